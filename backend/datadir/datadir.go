// Package datadir decides which folder holds the database and other per-installation state.
package datadir

import (
	"fmt"
	"os"
	"path/filepath"

	"cwm-webroot/backend/buildinfo"
)

// EnvVar overrides the default data folder when --data-dir is not given.
const EnvVar = "CWM_WEBROOT_DATA_DIR"

// Resolve returns the absolute data folder: the flag value, else $CWM_WEBROOT_DATA_DIR,
// else <OS user config folder>/cwm-webroot. It does not create the folder.
func Resolve(flagValue string) (dir string, isDefault bool, err error) {
	switch {
	case flagValue != "":
		dir = flagValue
	case os.Getenv(EnvVar) != "":
		dir = os.Getenv(EnvVar)
	default:
		base, err := os.UserConfigDir()
		if err != nil {
			return "", false, fmt.Errorf("finding the user config folder (set --data-dir or %s): %w", EnvVar, err)
		}
		dir, isDefault = filepath.Join(base, buildinfo.ExecutableName), true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false, fmt.Errorf("data folder %q: %w", dir, err)
	}
	return abs, isDefault, nil
}

// Ensure creates the folder readable by the owner only (it holds the database and locks).
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating data folder %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("data folder %s exists but is not a folder", dir)
	}
	return nil
}
