//go:build !linux

package tray

// Available is always true on Windows and macOS, whose trays are part of the desktop.
func Available() bool { return true }
