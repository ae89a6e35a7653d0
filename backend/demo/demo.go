// Package demo prepares the throw-away installation behind `cwm-webroot demo`, so a newcomer
// can see every screen without credentials and without touching a real installation.
package demo

import (
	"fmt"
	"os"
)

// NewDataDir creates a fresh, empty data folder for one demo session. The caller removes it
// (and the keychain namespace named after it) when the demo ends.
func NewDataDir() (string, error) {
	dir, err := os.MkdirTemp("", "cwm-webroot-demo-")
	if err != nil {
		return "", fmt.Errorf("creating the demo data folder: %w", err)
	}
	return dir, nil
}
