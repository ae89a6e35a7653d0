package secrets

const unavailableHint = "check that Windows Credential Manager is running for your user, then try again"
