package manageconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// DefaultClientID is the clientId GUID this integration sends to ConnectWise on every call
// (manage-api.md §1), registered at developer.connectwise.com/ClientID. It is the value of
// the advanced "Client ID" setting until the user changes it. A release build may stamp its
// own registration:
//
//	-ldflags "-X cwm-webroot/backend/manageconn.DefaultClientID=<guid>"
var DefaultClientID = "d64fa5a8-7402-4ba2-8774-ee3045ae3185"

// Form labels, exactly as "Configure ConnectWise" shows them; validation errors name them.
const (
	FieldSite       = "Site"
	FieldCompanyID  = "Company ID"
	FieldUsername   = "Username"
	FieldPublicKey  = "Public Key"
	FieldPrivateKey = "Private Key"
	FieldClientID   = "Client ID"
)

// Settings keys (table settings). The private key is never stored here.
const (
	KeySite      = "manage.site"
	KeyCompanyID = "manage.company_id"
	KeyUsername  = "manage.username"
	KeyPublicKey = "manage.public_key"
	KeyClientID  = "manage.client_id"
	// KeyState holds the connection state as JSON (see Status).
	KeyState = "manage.connection_state"
)

var configKeys = []string{KeySite, KeyCompanyID, KeyUsername, KeyPublicKey, KeyClientID}

// AuditActionSaved is the audit-log action of a saved configuration.
const AuditActionSaved = "manage.config.saved"

// Config is the saved, non-secret part of the connection.
type Config struct {
	Site      string
	CompanyID string
	Username  string
	PublicKey string
	ClientID  string
}

// ConfigView is what the "Configure ConnectWise" form shows: the saved fields (or
// suggestions for a new connection) and, for the private key, only whether it is saved.
type ConfigView struct {
	// Configured is true once the connection has been saved.
	Configured bool   `json:"configured"`
	Site       string `json:"site"`
	CompanyID  string `json:"companyId"`
	Username   string `json:"username"`
	PublicKey  string `json:"publicKey"`
	ClientID   string `json:"clientId"`
	// PrivateKeySaved says whether the Private Key is in the OS keychain; the key itself
	// never leaves the backend.
	PrivateKeySaved bool   `json:"privateKeySaved"`
	DefaultClientID string `json:"defaultClientId"`
	// KeychainProblem is set when the keychain cannot be read: what is wrong and what to do.
	KeychainProblem string `json:"keychainProblem,omitempty"`
}

// ConfigInput is the form as the user submits it. An empty PrivateKey keeps the saved one,
// so the form never needs to show (or even hold) a saved key; an empty ClientID means the
// default.
type ConfigInput struct {
	Site       string `json:"site"`
	CompanyID  string `json:"companyId"`
	Username   string `json:"username"`
	PublicKey  string `json:"publicKey"`
	PrivateKey string `json:"privateKey"`
	ClientID   string `json:"clientId"`
}

// SaveResult says what a save changed.
type SaveResult struct {
	Config ConfigView `json:"config"`
	// Changed lists the form labels whose values changed ("Private Key" when replaced).
	Changed []string `json:"changed"`
	// CacheCleared is true when the Site or Company ID changed, so the cached companies,
	// agreements and catalog (of the other Manage company) were dropped.
	CacheCleared bool `json:"cacheCleared"`
}

// LoadConfig returns the saved configuration; ok is false when it was never saved.
func (s *Service) LoadConfig(ctx context.Context) (cfg Config, ok bool, err error) {
	vals := map[string]*string{KeySite: &cfg.Site, KeyCompanyID: &cfg.CompanyID, KeyUsername: &cfg.Username,
		KeyPublicKey: &cfg.PublicKey, KeyClientID: &cfg.ClientID}
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
		return Config{ClientID: DefaultClientID}, false, nil
	}
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	return cfg, true, nil
}

// GetConfig returns the form's contents. Before the first save, the Site and Company ID
// the company signed up with are suggested. A keychain that cannot be read does not fail
// the call: the form still loads, saying what is wrong.
func (s *Service) GetConfig(ctx context.Context) (ConfigView, error) {
	cfg, ok, err := s.LoadConfig(ctx)
	if err != nil {
		return ConfigView{}, err
	}
	if !ok {
		if c, signedUp, err := account.New(s.store, nil, nil).Company(ctx); err == nil && signedUp {
			cfg.Site, cfg.CompanyID = c.ManageSite, c.ManageCompanyID
		}
	}
	v := ConfigView{Configured: ok, Site: cfg.Site, CompanyID: cfg.CompanyID, Username: cfg.Username,
		PublicKey: cfg.PublicKey, ClientID: cfg.ClientID, DefaultClientID: DefaultClientID}
	if v.PrivateKeySaved, err = s.secrets.Has(secrets.ManagePrivateKey); err != nil {
		v.KeychainProblem = err.Error()
	}
	return v, nil
}

// normalise trims what the user typed and fills the default Client ID, without judging it.
func (in ConfigInput) normalise() ConfigInput {
	in.Site = strings.TrimRight(strings.TrimSpace(in.Site), "/")
	in.CompanyID = strings.TrimSpace(in.CompanyID)
	in.Username = strings.TrimSpace(in.Username)
	in.PublicKey = strings.TrimSpace(in.PublicKey)
	// Keys never contain spaces: surrounding ones come from copying and pasting.
	in.PrivateKey = strings.TrimSpace(in.PrivateKey)
	in.ClientID = strings.ToLower(strings.Trim(strings.TrimSpace(in.ClientID), "{}"))
	if in.ClientID == "" {
		in.ClientID = DefaultClientID
	}
	return in
}

// Validate checks the input as Save would, reading the keychain only to know whether an
// empty Private Key is already saved. The error is an *apperr.Validation naming fields by
// their form labels.
func (s *Service) Validate(ctx context.Context, in ConfigInput) error {
	_, err := s.validate(ctx, in.normalise())
	return err
}

func (s *Service) validate(ctx context.Context, in ConfigInput) (keySaved bool, err error) {
	if keySaved, err = s.secrets.Has(secrets.ManagePrivateKey); err != nil {
		return false, fmt.Errorf("the ConnectWise settings were not saved: %w", err)
	}
	old, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return false, err
	}
	probe := manage.Config{Site: in.Site, CompanyID: in.CompanyID, PublicKey: in.PublicKey,
		PrivateKey: in.PrivateKey, ClientID: in.ClientID}
	// An empty private key keeps the saved one; only its presence matters here.
	if probe.PrivateKey == "" && keySaved {
		probe.PrivateKey = "saved"
	}
	var v apperr.Validation
	if err := probe.Validate(); err != nil {
		var pv *apperr.Validation
		if !errors.As(err, &pv) {
			return keySaved, err
		}
		v.Fields = append(v.Fields, pv.Fields...)
	}
	if in.Username == "" {
		v.Add(FieldUsername, "enter the API member's username, as it appears in Manage under System → Members → API Members")
	} else if len(in.Username) > 100 {
		v.Add(FieldUsername, "is longer than 100 characters")
	}
	// The keys are a pair: a new public key needs its own private key.
	if in.PrivateKey == "" && keySaved && configured && in.PublicKey != "" && in.PublicKey != old.PublicKey && !hasField(v, FieldPrivateKey) {
		v.Add(FieldPrivateKey, "enter the private key that belongs to the new public key")
	}
	return keySaved, v.Err()
}

func hasField(v apperr.Validation, label string) bool {
	for _, f := range v.Fields {
		if f.Field == label {
			return true
		}
	}
	return false
}

// Save validates the input and, only when every field is right, writes the private key to
// the keychain and the other fields (with an audit entry) to the database in one
// transaction. Saving marks the connection untested; changing the Site or Company ID also
// drops the cache, which belongs to the other Manage company. actor names who saved
// ("command line", a user's email).
func (s *Service) Save(ctx context.Context, actor string, raw ConfigInput) (SaveResult, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	in := raw.normalise()
	if _, err := s.validate(ctx, in); err != nil {
		return SaveResult{}, err
	}
	old, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return SaveResult{}, err
	}
	var changed []string
	for _, f := range []struct{ label, old, new string }{
		{FieldSite, old.Site, in.Site},
		{FieldCompanyID, old.CompanyID, in.CompanyID},
		{FieldUsername, old.Username, in.Username},
		{FieldPublicKey, old.PublicKey, in.PublicKey},
		{FieldClientID, old.ClientID, in.ClientID},
	} {
		if !configured || f.old != f.new {
			changed = append(changed, f.label)
		}
	}
	if in.PrivateKey != "" {
		changed = append(changed, FieldPrivateKey)
	}
	if len(changed) == 0 {
		view, err := s.GetConfig(ctx)
		return SaveResult{Config: view, Changed: []string{}}, err
	}
	otherCompany := configured && (!strings.EqualFold(old.Site, in.Site) || !strings.EqualFold(old.CompanyID, in.CompanyID))

	undo, err := s.writeSecret(in.PrivateKey)
	if err != nil {
		return SaveResult{}, err
	}
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := connstate.SetSettings(ctx, tx, map[string]string{KeySite: in.Site, KeyCompanyID: in.CompanyID,
			KeyUsername: in.Username, KeyPublicKey: in.PublicKey, KeyClientID: in.ClientID}); err != nil {
			return err
		}
		// The last test proved other settings: the state starts again from "untested", at a
		// new revision, so a test or refresh still running on the old settings is ignored.
		if err := s.state.Reset(ctx, tx); err != nil {
			return err
		}
		if otherCompany {
			if err := clearCache(ctx, tx); err != nil {
				return err
			}
		}
		return store.Audit(ctx, tx, now, actor, AuditActionSaved, auditDetail(in, changed, otherCompany))
	})
	if err != nil {
		undo()
		return SaveResult{}, fmt.Errorf("the ConnectWise settings were not saved: %w", err)
	}
	s.log.Info("manage settings saved", "changed", strings.Join(changed, ", "), "actor", actor, "cache_cleared", otherCompany)
	view, err := s.GetConfig(ctx)
	if err != nil {
		return SaveResult{}, err
	}
	s.emitStatus(ctx)
	if otherCompany {
		s.emitCache(ctx)
	}
	return SaveResult{Config: view, Changed: changed, CacheCleared: otherCompany}, nil
}

// writeSecret stores a newly typed private key. On failure nothing is left changed; the
// returned undo puts the previous key back if the database write fails afterwards.
func (s *Service) writeSecret(key string) (undo func(), err error) {
	if key == "" {
		return func() {}, nil
	}
	prev, gerr := s.secrets.Get(secrets.ManagePrivateKey)
	if gerr != nil && !errors.Is(gerr, secrets.ErrNotFound) {
		return nil, fmt.Errorf("the ConnectWise settings were not saved: %w", gerr)
	}
	if err := s.secrets.Set(secrets.ManagePrivateKey, key); err != nil {
		return nil, fmt.Errorf("the ConnectWise settings were not saved: the %s could not be stored in the OS keychain: %w", FieldPrivateKey, err)
	}
	return func() {
		if gerr == nil {
			_ = s.secrets.Set(secrets.ManagePrivateKey, prev)
		} else {
			_ = s.secrets.Delete(secrets.ManagePrivateKey)
		}
	}, nil
}

func auditDetail(in ConfigInput, changed []string, cacheCleared bool) string {
	key := "kept"
	if in.PrivateKey != "" {
		key = "replaced"
	}
	d := fmt.Sprintf("site %s, company ID %s, username %s, public key %s, client ID %s; private key %s; changed: %s",
		in.Site, in.CompanyID, in.Username, connstate.Shorten(in.PublicKey), in.ClientID, key, strings.Join(changed, ", "))
	if cacheCleared {
		d += "; cached Manage data cleared (other company)"
	}
	return d
}

// credentials reads the saved configuration and the private key into a manage.Config.
func (s *Service) credentials(ctx context.Context) (manage.Config, Config, error) {
	cfg, ok, err := s.LoadConfig(ctx)
	if err != nil {
		return manage.Config{}, cfg, err
	}
	if !ok {
		return manage.Config{}, cfg, ErrNotConfigured
	}
	key, err := s.secrets.Get(secrets.ManagePrivateKey)
	if err != nil {
		if errors.Is(err, secrets.ErrNotFound) {
			return manage.Config{}, cfg, apperr.FieldError{Field: FieldPrivateKey, Message: "is not saved in the OS keychain: enter it again and save"}
		}
		return manage.Config{}, cfg, fmt.Errorf("reading the ConnectWise %s: %w", FieldPrivateKey, err)
	}
	return manage.Config{Site: cfg.Site, CompanyID: cfg.CompanyID, PublicKey: cfg.PublicKey,
		PrivateKey: key, ClientID: cfg.ClientID}, cfg, nil
}

type purpose int

const (
	interactive purpose = iota // a person waits: fail fast
	background                 // a refresh or a sync: be patient
)

// Client builds a Manage client from the saved settings and the private key in the
// keychain, tuned for background work (a refresh, a sync). It makes no request.
func (s *Service) Client(ctx context.Context) (*manage.Client, error) {
	c, _, err := s.client(ctx, background)
	return c, err
}

func (s *Service) client(ctx context.Context, p purpose) (*manage.Client, Config, error) {
	mc, cfg, err := s.credentials(ctx)
	if err != nil {
		return nil, cfg, err
	}
	mc.Logger = s.log
	if p == interactive {
		mc.RequestTimeout = 20 * time.Second
		mc.MaxRetries = 2
		mc.RetryMaxDelay = 2 * time.Second
		mc.MaxRetryAfter = 10 * time.Second
	}
	if s.opts.ClientConfig != nil {
		s.opts.ClientConfig(&mc)
	}
	c, err := manage.New(mc)
	return c, cfg, err
}
