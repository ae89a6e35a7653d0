package secrets

const unavailableHint = "unlock your login keychain in Keychain Access, then try again"
