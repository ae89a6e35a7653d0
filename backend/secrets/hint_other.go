//go:build !linux && !windows && !darwin

package secrets

const unavailableHint = "this operating system's keychain is not supported"
