//go:build !((linux || freebsd || netbsd || openbsd || illumos) && !nodbus)

package notify

// bodyMarkup is false where notifications do not go through D-Bus: Windows and macOS show
// the body as plain text.
func bodyMarkup() bool { return false }
