// Package settings reads and writes the user's preferences, validated, through the store.
package settings

import (
	"context"
	"fmt"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Themes the user can choose; "system" follows the OS light/dark setting.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

const keyTheme = "ui.theme"

// Preferences are the user-interface preferences.
type Preferences struct {
	Theme string `json:"theme"`
}

// Load returns the saved preferences, with defaults for what was never set.
func Load(ctx context.Context, s *store.Store) (Preferences, error) {
	p := Preferences{Theme: ThemeSystem}
	v, ok, err := s.Setting(ctx, keyTheme)
	if err != nil {
		return p, err
	}
	if ok {
		p.Theme = v
	}
	return p, nil
}

// SetTheme saves the theme after checking it is one the app knows.
func SetTheme(ctx context.Context, s *store.Store, theme string) error {
	switch theme {
	case ThemeSystem, ThemeLight, ThemeDark:
	default:
		return apperr.FieldError{Field: "Theme", Message: fmt.Sprintf("%q is not a theme; choose system, light or dark", theme)}
	}
	return s.SetSettings(ctx, map[string]string{keyTheme: theme})
}
