package notify

import (
	"context"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Settings keys (table settings). Only preferences live here; what was already notified
// lives in the notify_sent table.
const (
	KeySyncFailed          = "notify.sync_failed"
	KeyHeldChanges         = "notify.held_changes"
	KeyCredentialsRejected = "notify.credentials_rejected"
	KeyNewUnmappedSites    = "notify.new_unmapped_sites"
	KeyOverSeatLimit       = "notify.over_seat_limit"
	KeyStaleSync           = "notify.stale_sync"
	KeyStaleDays           = "notify.stale_days"
	KeyDigestEnabled       = "notify.digest_enabled"
	KeyDigestRecipients    = "notify.digest_recipients"
)

// Field labels, as the Notifications settings page shows them; validation errors name them.
const (
	FieldSyncFailed          = "Failed syncs"
	FieldHeldChanges         = "Changes awaiting review"
	FieldCredentialsRejected = "Rejected credentials"
	FieldNewUnmappedSites    = "New unmapped sites"
	FieldOverSeatLimit       = "Sites over their seat limit"
	FieldStaleSync           = "No successful sync"
	FieldStaleDays           = "Days without a successful sync"
	FieldDigestEnabled       = "Email digest"
	FieldDigestRecipients    = "Digest recipients"
)

// Limits. Three days lets a long weekend pass with a daily schedule before nagging; 90 is
// a quarter, beyond which a reminder is no longer a reminder.
const (
	DefaultStaleDays = 3
	MinStaleDays     = 1
	MaxStaleDays     = 90
	// MaxDigestRecipients keeps the digest a digest, not a mailing list: each recipient is
	// one SMTP transaction after every sync.
	MaxDigestRecipients = 20
)

// Preferences say which desktop notifications to show and whether to email a digest.
type Preferences struct {
	// SyncFailed: a sync failed or partly failed.
	SyncFailed bool `json:"syncFailed"`
	// HeldChanges: a sync held changes for review.
	HeldChanges bool `json:"heldChanges"`
	// CredentialsRejected: ConnectWise Manage or Webroot refused the saved credentials.
	CredentialsRejected bool `json:"credentialsRejected"`
	// NewUnmappedSites: Webroot lists sites that appeared after the first refresh and are
	// not mapped yet.
	NewUnmappedSites bool `json:"newUnmappedSites"`
	// OverSeatLimit: a site has more devices than its GSM seat limit (DevicesAllowed).
	OverSeatLimit bool `json:"overSeatLimit"`
	// StaleSync: no successful sync for longer than StaleDays.
	StaleSync bool `json:"staleSync"`
	StaleDays int  `json:"staleDays"`
	// DigestEnabled emails a summary of each sync that applied, failed or held something.
	DigestEnabled bool `json:"digestEnabled"`
	// DigestRecipients is a comma-separated list of addresses.
	DigestRecipients string `json:"digestRecipients"`
}

// DefaultPreferences are what an installation starts with: every desktop notification on,
// since each one is about something the MSP has to act on, and no email until someone
// names its recipients.
func DefaultPreferences() Preferences {
	return Preferences{
		SyncFailed: true, HeldChanges: true, CredentialsRejected: true,
		NewUnmappedSites: true, OverSeatLimit: true, StaleSync: true,
		StaleDays: DefaultStaleDays,
	}
}

// Recipients returns the digest recipients as a list, in the order they were typed.
func (p Preferences) Recipients() []string {
	list, _ := parseRecipients(p.DigestRecipients)
	return list
}

// LoadPreferences reads the preferences, with defaults for what was never set (or was
// written by hand into something unreadable).
func LoadPreferences(ctx context.Context, st *store.Store) (Preferences, error) {
	p := DefaultPreferences()
	for key, dst := range map[string]*bool{
		KeySyncFailed: &p.SyncFailed, KeyHeldChanges: &p.HeldChanges,
		KeyCredentialsRejected: &p.CredentialsRejected, KeyNewUnmappedSites: &p.NewUnmappedSites,
		KeyOverSeatLimit: &p.OverSeatLimit, KeyStaleSync: &p.StaleSync, KeyDigestEnabled: &p.DigestEnabled,
	} {
		v, ok, err := st.Setting(ctx, key)
		if err != nil {
			return DefaultPreferences(), fmt.Errorf("loading notification preferences: %w", err)
		}
		if b, perr := strconv.ParseBool(v); ok && perr == nil {
			*dst = b
		}
	}
	v, ok, err := st.Setting(ctx, KeyStaleDays)
	if err != nil {
		return DefaultPreferences(), fmt.Errorf("loading notification preferences: %w", err)
	}
	if n, perr := strconv.Atoi(v); ok && perr == nil && validStaleDays(n) == "" {
		p.StaleDays = n
	}
	v, ok, err = st.Setting(ctx, KeyDigestRecipients)
	if err != nil {
		return DefaultPreferences(), fmt.Errorf("loading notification preferences: %w", err)
	}
	if ok {
		p.DigestRecipients = v
	}
	return p, nil
}

// AuditPreferences is the activity log's action for a change of the notification settings.
const AuditPreferences = "settings.notifications"

// SavePreferences checks every field and saves them all, or none: the error is an
// *apperr.Validation naming each wrong field by its label. Recipients are saved normalized
// ("a@example.com, b@example.com"), duplicates dropped.
func SavePreferences(ctx context.Context, st *store.Store, actor string, p Preferences) error {
	p, err := p.normalized()
	if err != nil {
		return err
	}
	before, err := LoadPreferences(ctx, st)
	if err != nil {
		return err
	}
	return st.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: AuditPreferences,
		Values: p.values(), Before: before.values(), Labels: preferenceLabels})
}

// values are the preferences as saved, by key.
func (p Preferences) values() map[string]string {
	return map[string]string{
		KeySyncFailed:          strconv.FormatBool(p.SyncFailed),
		KeyHeldChanges:         strconv.FormatBool(p.HeldChanges),
		KeyCredentialsRejected: strconv.FormatBool(p.CredentialsRejected),
		KeyNewUnmappedSites:    strconv.FormatBool(p.NewUnmappedSites),
		KeyOverSeatLimit:       strconv.FormatBool(p.OverSeatLimit),
		KeyStaleSync:           strconv.FormatBool(p.StaleSync),
		KeyStaleDays:           strconv.Itoa(p.StaleDays),
		KeyDigestEnabled:       strconv.FormatBool(p.DigestEnabled),
		KeyDigestRecipients:    p.DigestRecipients,
	}
}

// preferenceLabels name the keys in the activity log as the Settings page does.
var preferenceLabels = map[string]string{
	KeySyncFailed: FieldSyncFailed, KeyHeldChanges: FieldHeldChanges, KeyCredentialsRejected: FieldCredentialsRejected,
	KeyNewUnmappedSites: FieldNewUnmappedSites, KeyOverSeatLimit: FieldOverSeatLimit, KeyStaleSync: FieldStaleSync,
	KeyStaleDays: FieldStaleDays, KeyDigestEnabled: FieldDigestEnabled, KeyDigestRecipients: FieldDigestRecipients,
}

// Validate checks every field and returns an *apperr.Validation naming each bad one, or nil.
func (p Preferences) Validate() error {
	_, err := p.normalized()
	return err
}

// normalized validates p and returns it with the recipient list cleaned up.
func (p Preferences) normalized() (Preferences, error) {
	var v apperr.Validation
	if msg := validStaleDays(p.StaleDays); msg != "" {
		v.Add(FieldStaleDays, msg)
	}
	// Recipients are checked even while the digest is off, so nothing unusable is stored
	// for the day it is turned on.
	list, msg := parseRecipients(p.DigestRecipients)
	switch {
	case msg != "":
		v.Add(FieldDigestRecipients, msg)
	case p.DigestEnabled && len(list) == 0:
		v.Add(FieldDigestRecipients, "Enter at least one email address to send the digest to, such as billing@example.com.")
	}
	if err := v.Err(); err != nil {
		return p, err
	}
	p.DigestRecipients = strings.Join(list, ", ")
	return p, nil
}

func validStaleDays(n int) string {
	if n < MinStaleDays || n > MaxStaleDays {
		return fmt.Sprintf("Choose a number of days between %d and %d.", MinStaleDays, MaxStaleDays)
	}
	return ""
}

// parseRecipients splits a comma-separated list into bare addresses, dropping empty
// entries and repeats (compared without case), and says what is wrong with the first bad
// entry.
func parseRecipients(s string) ([]string, string) {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return nil, "Addresses cannot contain line breaks or control characters; separate them with commas."
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		addr := strings.TrimSpace(part)
		if addr == "" {
			continue
		}
		a, err := mail.ParseAddress(addr)
		switch {
		case err != nil && strings.ContainsAny(addr, "; "):
			return nil, fmt.Sprintf("%q is not a valid email address: separate addresses with commas.", addr)
		case err != nil:
			return nil, fmt.Sprintf("%q is not a valid email address.", addr)
		case a.Address != addr:
			return nil, fmt.Sprintf("Enter only the address %q, without a name or angle brackets.", a.Address)
		}
		if key := strings.ToLower(addr); !seen[key] {
			seen[key] = true
			out = append(out, addr)
		}
	}
	if len(out) > MaxDigestRecipients {
		return nil, fmt.Sprintf("Enter at most %d addresses (a shared mailbox or list can reach more people).", MaxDigestRecipients)
	}
	return out, ""
}
