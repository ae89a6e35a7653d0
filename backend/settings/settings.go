// Package settings reads and writes the user's preferences, validated, through the store.
package settings

import (
	"context"
	"fmt"
	"strconv"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Themes the user can choose; "system" follows the OS light/dark setting.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

const (
	keyTheme    = "ui.theme"
	keyIdleLock = "security.idle_lock_minutes"
)

// Idle lock limits: 0 turns the lock off; a working day is the longest that still protects.
const (
	DefaultIdleLockMinutes = 15
	MaxIdleLockMinutes     = 480
)

// Preferences are the user-interface preferences.
type Preferences struct {
	Theme string `json:"theme"`
	// IdleLockMinutes locks the window after this long without input (0: never).
	IdleLockMinutes int `json:"idleLockMinutes"`
}

// Load returns the saved preferences, with defaults for what was never set.
func Load(ctx context.Context, s *store.Store) (Preferences, error) {
	p := Preferences{Theme: ThemeSystem, IdleLockMinutes: DefaultIdleLockMinutes}
	v, ok, err := s.Setting(ctx, keyTheme)
	if err != nil {
		return p, err
	}
	if ok {
		p.Theme = v
	}
	v, ok, err = s.Setting(ctx, keyIdleLock)
	if err != nil {
		return p, err
	}
	if n, convErr := strconv.Atoi(v); ok && convErr == nil {
		p.IdleLockMinutes = n
	}
	return p, nil
}

// AuditSecurity is the activity log's action for a change of the idle lock.
const AuditSecurity = "settings.security"

// SetIdleLockMinutes saves how long the window may stay idle before it locks; the activity
// log records who changed it.
func SetIdleLockMinutes(ctx context.Context, s *store.Store, actor string, minutes int) error {
	if minutes < 0 || minutes > MaxIdleLockMinutes {
		return apperr.FieldError{Field: "Lock after", Message: fmt.Sprintf("Choose between 0 (never) and %d minutes.", MaxIdleLockMinutes)}
	}
	before, err := Load(ctx, s)
	if err != nil {
		return err
	}
	return s.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: AuditSecurity,
		Values: map[string]string{keyIdleLock: strconv.Itoa(minutes)},
		Before: map[string]string{keyIdleLock: strconv.Itoa(before.IdleLockMinutes)},
		Labels: map[string]string{keyIdleLock: "Lock after (minutes)"}})
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
