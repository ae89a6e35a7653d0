package secrets

const unavailableHint = "install and unlock a Secret Service keyring such as GNOME Keyring or KWallet, then try again"
