package mail

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// Security is how the connection to the SMTP server is encrypted.
const (
	SecurityStartTLS = "starttls" // plain connect, then STARTTLS (port 587 or 25)
	SecurityTLS      = "tls"      // TLS from the first byte (port 465)
	SecurityNone     = "none"     // no encryption: only for a server on this computer
)

// Defaults for settings that were never saved: submission port with STARTTLS is what
// almost every provider documents.
const (
	DefaultPort     = 587
	DefaultSecurity = SecurityStartTLS
)

// Settings keys in the store. Secrets never go here.
const (
	keyHost        = "mail.host"
	keyPort        = "mail.port"
	keySecurity    = "mail.security"
	keyUsername    = "mail.username"
	keyFromAddress = "mail.from_address"
	keyFromName    = "mail.from_name"
)

// Settings is the outgoing mail server configuration as the Email settings page shows it.
// The password is not part of it: only whether one is saved.
type Settings struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security"`
	Username    string `json:"username"`
	FromAddress string `json:"fromAddress"`
	FromName    string `json:"fromName"`
	// PasswordSaved tells the UI whether the keychain holds an SMTP password.
	PasswordSaved bool `json:"passwordSaved"`
}

// Load returns the saved settings, with defaults for what was never set. When the keychain
// cannot be read the settings are still returned (PasswordSaved false) along with the error,
// so the page can show what is saved and say what is wrong.
func Load(ctx context.Context, st *store.Store, sec secrets.Store) (Settings, error) {
	s := Settings{Port: DefaultPort, Security: DefaultSecurity}
	for key, dst := range map[string]*string{
		keyHost: &s.Host, keySecurity: &s.Security, keyUsername: &s.Username,
		keyFromAddress: &s.FromAddress, keyFromName: &s.FromName,
	} {
		v, ok, err := st.Setting(ctx, key)
		if err != nil {
			return s, fmt.Errorf("loading mail settings: %w", err)
		}
		if ok {
			*dst = v
		}
	}
	v, ok, err := st.Setting(ctx, keyPort)
	if err != nil {
		return s, fmt.Errorf("loading mail settings: %w", err)
	}
	if ok {
		if p, err := strconv.Atoi(v); err == nil {
			s.Port = p
		}
	}
	saved, err := sec.Has(secrets.SMTPPassword)
	if err != nil {
		return s, fmt.Errorf("checking for a saved SMTP password: %w", err)
	}
	s.PasswordSaved = saved
	return s, nil
}

// AuditSettings is the activity log's action for a change of the email settings (the
// password is never written there).
const AuditSettings = "settings.email"

// Save validates s and saves it. password nil keeps the saved password, "" deletes it, and
// any other value replaces it. Nothing is written unless every field is valid; the keychain
// is written before the settings so a locked keychain leaves everything as it was.
func Save(ctx context.Context, st *store.Store, sec secrets.Store, actor string, s Settings, password *string) error {
	s = s.normalized()
	if err := s.validate(password); err != nil {
		return err
	}
	// What was saved until now, for the activity log. A keychain that cannot be read still
	// gives the settings, and a database that cannot be read fails the save below.
	before, _ := Load(ctx, st, sec)
	var notes []string
	if password != nil {
		if *password == "" {
			notes = append(notes, "Password: removed")
			if err := sec.Delete(secrets.SMTPPassword); err != nil {
				return fmt.Errorf("deleting the SMTP password: %w", err)
			}
		} else {
			notes = append(notes, "Password: replaced")
			if err := sec.Set(secrets.SMTPPassword, *password); err != nil {
				return fmt.Errorf("saving the SMTP password: %w", err)
			}
		}
	}
	err := st.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: AuditSettings,
		Values: s.values(), Before: before.values(), Labels: settingLabels, Notes: notes})
	if err != nil {
		return fmt.Errorf("saving mail settings: %w", err)
	}
	return nil
}

// values are the settings as saved, by key (the password lives in the keychain).
func (s Settings) values() map[string]string {
	return map[string]string{
		keyHost:        s.Host,
		keyPort:        strconv.Itoa(s.Port),
		keySecurity:    s.Security,
		keyUsername:    s.Username,
		keyFromAddress: s.FromAddress,
		keyFromName:    s.FromName,
	}
}

// settingLabels name the keys in the activity log as the Email settings do.
var settingLabels = map[string]string{
	keyHost: FieldHost, keyPort: FieldPort, keySecurity: FieldSecurity, keyUsername: FieldUsername,
	keyFromAddress: FieldFromAddress, keyFromName: FieldFromName,
}

// LoadPassword returns the saved SMTP password, or "" when none is saved.
func LoadPassword(sec secrets.Store) (string, error) {
	p, err := sec.Get(secrets.SMTPPassword)
	if errors.Is(err, secrets.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the SMTP password: %w", err)
	}
	return p, nil
}

// Configured reports whether mail can be sent with these settings: every field is valid
// and, when a username is set, a password is saved for it.
func Configured(s Settings) bool {
	return s.Validate() == nil && (s.Username == "" || s.PasswordSaved)
}
