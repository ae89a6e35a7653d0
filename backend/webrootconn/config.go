package webrootconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
)

// Settings keys (table settings). Secrets are never stored here.
const (
	KeySite     = "webroot.site"
	KeyScope    = "webroot.scope"
	KeyClientID = "webroot.client_id"
	KeyGSMKey   = "webroot.gsm_key"
	KeyUsername = "webroot.username"
	// KeyState holds the connection state as JSON (see Status).
	KeyState = "webroot.connection_state"
)

var configKeys = []string{KeySite, KeyScope, KeyClientID, KeyGSMKey, KeyUsername}

// AuditActionSaved is the audit-log action of a saved configuration.
const AuditActionSaved = "webroot.config.saved"

// Config is the saved, non-secret part of the connection.
type Config struct {
	Site     string
	Scope    string
	ClientID string
	GSMKey   string
	Username string
}

// ConfigView is what the "Configure Webroot" form shows: the saved fields (or the defaults
// for a new connection) and, for each secret, only whether it is saved.
type ConfigView struct {
	// Configured is true once the connection has been saved.
	Configured        bool   `json:"configured"`
	Site              string `json:"site"`
	Scope             string `json:"scope"`
	ClientID          string `json:"clientId"`
	GSMKey            string `json:"gsmKey"`
	Username          string `json:"username"`
	ClientSecretSaved bool   `json:"clientSecretSaved"`
	PasswordSaved     bool   `json:"passwordSaved"`
	DefaultSite       string `json:"defaultSite"`
	DefaultScope      string `json:"defaultScope"`
	// KeychainProblem is set when the keychain cannot be read: what is wrong and what to do.
	KeychainProblem string `json:"keychainProblem,omitempty"`
}

// ConfigInput is the form as the user submits it. An empty secret keeps the saved one, so
// the form never needs to show (or even hold) a saved secret.
type ConfigInput struct {
	Site         string `json:"site"`
	Scope        string `json:"scope"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	GSMKey       string `json:"gsmKey"`
	Username     string `json:"username"`
	Password     string `json:"password"`
}

// SaveResult says what a save changed.
type SaveResult struct {
	Config ConfigView `json:"config"`
	// Changed lists the form labels whose values changed ("Client Secret" when replaced).
	Changed []string `json:"changed"`
}

// LoadConfig returns the saved configuration; ok is false when it was never saved.
func (s *Service) LoadConfig(ctx context.Context) (cfg Config, ok bool, err error) {
	vals := map[string]*string{KeySite: &cfg.Site, KeyScope: &cfg.Scope, KeyClientID: &cfg.ClientID,
		KeyGSMKey: &cfg.GSMKey, KeyUsername: &cfg.Username}
	found := 0
	for _, k := range configKeys {
		v, has, err := s.store.Setting(ctx, k)
		if err != nil {
			return Config{}, false, err
		}
		if has {
			found++
			*vals[k] = v
		}
	}
	if found == 0 {
		return Config{Site: webroot.DefaultSite, Scope: webroot.DefaultScope}, false, nil
	}
	return cfg, true, nil
}

// GetConfig returns the form's contents. A keychain that cannot be read does not fail the
// call: the form still loads, saying what is wrong.
func (s *Service) GetConfig(ctx context.Context) (ConfigView, error) {
	cfg, ok, err := s.LoadConfig(ctx)
	if err != nil {
		return ConfigView{}, err
	}
	v := ConfigView{Configured: ok, Site: cfg.Site, Scope: cfg.Scope, ClientID: cfg.ClientID, GSMKey: cfg.GSMKey,
		Username: cfg.Username, DefaultSite: webroot.DefaultSite, DefaultScope: webroot.DefaultScope}
	var problems []string
	if v.ClientSecretSaved, err = s.secrets.Has(secrets.WebrootClientSecret); err != nil {
		problems = append(problems, err.Error())
	}
	if v.PasswordSaved, err = s.secrets.Has(secrets.WebrootPassword); err != nil && len(problems) == 0 {
		problems = append(problems, err.Error())
	}
	v.KeychainProblem = strings.Join(problems, "; ")
	return v, nil
}

// normalise trims what the user typed and fills the defaults, without judging it.
func (in ConfigInput) normalise() ConfigInput {
	in.Site = strings.TrimSpace(in.Site)
	if in.Site == "" {
		in.Site = webroot.DefaultSite
	}
	in.Scope = strings.Join(strings.Fields(in.Scope), " ")
	if in.Scope == "" {
		in.Scope = webroot.DefaultScope
	}
	in.ClientID = strings.TrimSpace(in.ClientID)
	in.ClientSecret = strings.TrimSpace(in.ClientSecret)
	if k, err := webroot.NormalizeGSMKey(in.GSMKey); err == nil {
		in.GSMKey = k
	} else {
		in.GSMKey = strings.TrimSpace(in.GSMKey)
	}
	in.Username = strings.TrimSpace(in.Username)
	// The password is kept exactly as typed: spaces may be part of it.
	return in
}

// Validate checks the input as Save would, reading the keychain only to know whether a
// secret left empty is already saved. The error is an *apperr.Validation naming fields by
// their form labels.
func (s *Service) Validate(in ConfigInput) error {
	_, err := s.validate(in.normalise())
	return err
}

type savedSecrets struct{ clientSecret, password bool }

func (s *Service) validate(in ConfigInput) (savedSecrets, error) {
	var saved savedSecrets
	var err error
	if saved.clientSecret, err = s.secrets.Has(secrets.WebrootClientSecret); err != nil {
		return saved, fmt.Errorf("the Webroot settings were not saved: %w", err)
	}
	if saved.password, err = s.secrets.Has(secrets.WebrootPassword); err != nil {
		return saved, fmt.Errorf("the Webroot settings were not saved: %w", err)
	}
	probe := webroot.Config{Site: in.Site, Scope: in.Scope, ClientID: in.ClientID, ClientSecret: in.ClientSecret,
		GSMKey: in.GSMKey, Username: in.Username, Password: in.Password}
	// A secret left empty keeps the saved one; only its presence matters here.
	if probe.ClientSecret == "" && saved.clientSecret {
		probe.ClientSecret = "saved"
	}
	if probe.Password == "" && saved.password {
		probe.Password = "saved"
	}
	if err := probe.Validate(); err != nil {
		return saved, err
	}
	return saved, nil
}

// Save validates the input and, only when every field is right, writes the secrets to the
// keychain and the other fields (with an audit entry) to the database in one transaction.
// Changing anything that signs in discards the saved refresh token and marks the
// connection untested. actor names who saved ("desktop app", "command line", a user).
func (s *Service) Save(ctx context.Context, actor string, raw ConfigInput) (SaveResult, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	in := raw.normalise()
	if _, err := s.validate(in); err != nil {
		return SaveResult{}, err
	}
	old, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return SaveResult{}, err
	}
	var changed []string
	for _, f := range []struct{ label, old, new string }{
		{webroot.FieldSite, old.Site, in.Site},
		{webroot.FieldScope, old.Scope, in.Scope},
		{webroot.FieldClientID, old.ClientID, in.ClientID},
		{webroot.FieldGSMKey, old.GSMKey, in.GSMKey},
		{webroot.FieldUsername, old.Username, in.Username},
	} {
		if !configured || f.old != f.new {
			changed = append(changed, f.label)
		}
	}
	if in.ClientSecret != "" {
		changed = append(changed, webroot.FieldClientSecret)
	}
	if in.Password != "" {
		changed = append(changed, webroot.FieldPassword)
	}
	if len(changed) == 0 {
		view, err := s.GetConfig(ctx)
		return SaveResult{Config: view, Changed: []string{}}, err
	}

	undo, err := s.writeSecrets(in)
	if err != nil {
		return SaveResult{}, err
	}
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := connstate.SetSettings(ctx, tx, map[string]string{KeySite: in.Site, KeyScope: in.Scope,
			KeyClientID: in.ClientID, KeyGSMKey: in.GSMKey, KeyUsername: in.Username}); err != nil {
			return err
		}
		// The last test proved other settings: the state starts again from "untested".
		if err := s.state.Reset(ctx, tx); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor, AuditActionSaved, auditDetail(in, changed))
	})
	if err != nil {
		undo()
		return SaveResult{}, fmt.Errorf("the Webroot settings were not saved: %w", err)
	}
	s.log.Info("webroot settings saved", "changed", strings.Join(changed, ", "), "actor", actor)
	view, err := s.GetConfig(ctx)
	if err != nil {
		return SaveResult{}, err
	}
	s.emitStatus(ctx)
	return SaveResult{Config: view, Changed: changed}, nil
}

// writeSecrets replaces the typed secrets and forgets the refresh token (it belongs to the
// credentials being replaced). On failure nothing is left changed; the returned undo puts
// the previous secrets back if the database write fails afterwards.
func (s *Service) writeSecrets(in ConfigInput) (undo func(), err error) {
	type prev struct {
		name, value string
		had         bool
	}
	var done []prev
	undo = func() {
		for i := len(done) - 1; i >= 0; i-- {
			p := done[i]
			if p.had {
				_ = s.secrets.Set(p.name, p.value)
			} else {
				_ = s.secrets.Delete(p.name)
			}
		}
	}
	write := func(name, label, value string) error {
		old, gerr := s.secrets.Get(name)
		if gerr != nil && !errors.Is(gerr, secrets.ErrNotFound) {
			return fmt.Errorf("the Webroot settings were not saved: %w", gerr)
		}
		var err error
		if value == "" {
			err = s.secrets.Delete(name)
		} else {
			err = s.secrets.Set(name, value)
		}
		if err != nil {
			if label != "" {
				return fmt.Errorf("the Webroot settings were not saved: the %s could not be stored: %w", label, err)
			}
			return fmt.Errorf("the Webroot settings were not saved: %w", err)
		}
		done = append(done, prev{name: name, value: old, had: gerr == nil})
		return nil
	}
	if in.ClientSecret != "" {
		if err := write(secrets.WebrootClientSecret, webroot.FieldClientSecret, in.ClientSecret); err != nil {
			undo()
			return nil, err
		}
	}
	if in.Password != "" {
		if err := write(secrets.WebrootPassword, webroot.FieldPassword, in.Password); err != nil {
			undo()
			return nil, err
		}
	}
	if err := write(secrets.WebrootRefreshToken, "", ""); err != nil {
		undo()
		return nil, err
	}
	return undo, nil
}

func auditDetail(in ConfigInput, changed []string) string {
	secret := func(v string) string {
		if v != "" {
			return "replaced"
		}
		return "kept"
	}
	return fmt.Sprintf("site %s, API scope %s, client ID %s, GSM parent key %s, super admin %s; client secret %s, admin password %s; changed: %s",
		in.Site, in.Scope, in.ClientID, connstate.Shorten(in.GSMKey), in.Username, secret(in.ClientSecret), secret(in.Password), strings.Join(changed, ", "))
}

// credentials reads the saved configuration and secrets into a webroot.Config.
func (s *Service) credentials(ctx context.Context) (webroot.Config, error) {
	cfg, ok, err := s.LoadConfig(ctx)
	if err != nil {
		return webroot.Config{}, err
	}
	if !ok {
		return webroot.Config{}, ErrNotConfigured
	}
	secret, err := s.secrets.Get(secrets.WebrootClientSecret)
	if err != nil {
		return webroot.Config{}, missingSecret(webroot.FieldClientSecret, err)
	}
	password, err := s.secrets.Get(secrets.WebrootPassword)
	if err != nil {
		return webroot.Config{}, missingSecret(webroot.FieldPassword, err)
	}
	return webroot.Config{Site: cfg.Site, Scope: cfg.Scope, ClientID: cfg.ClientID, ClientSecret: secret,
		GSMKey: cfg.GSMKey, Username: cfg.Username, Password: password}, nil
}

func missingSecret(label string, err error) error {
	if errors.Is(err, secrets.ErrNotFound) {
		return apperr.FieldError{Field: label, Message: "is not saved in the OS keychain: enter it again and save"}
	}
	return fmt.Errorf("reading the Webroot %s: %w", label, err)
}
