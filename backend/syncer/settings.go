package syncer

import (
	"context"
	"fmt"
	"strconv"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Settings keys (table settings).
const (
	KeyAutoApply         = "sync.auto_apply"
	KeyReviewShare       = "sync.review_share"
	KeyRequestsPerMinute = "sync.requests_per_minute"
)

// Field labels, as the Settings page shows them; validation errors name them.
const (
	FieldAutoApply         = "Apply automatically"
	FieldReviewShare       = "Review threshold"
	FieldRequestsPerMinute = "Requests per minute"
)

// Defaults and limits. 1,000 requests a minute is ConnectWise's documented cloud limit
// (manage-api.md §7.3); an on-premise server may allow more.
const (
	DefaultReviewShare       = 20
	MaxReviewShare           = 1000
	DefaultRequestsPerMinute = 1000
	MinRequestsPerMinute     = 10
	MaxRequestsPerMinute     = 100000
)

// Settings are the sync's options.
type Settings struct {
	// AutoApply applies changes that need no review on scheduled and window syncs; when off
	// they wait for approval like held ones. The command line applies them regardless.
	AutoApply bool `json:"autoApply"`
	// ReviewShare is the percentage of the current quantity above which a change needs
	// review (0: every change does).
	ReviewShare int `json:"reviewShare"`
	// RequestsPerMinute paces calls to Manage.
	RequestsPerMinute int `json:"requestsPerMinute"`
}

// DefaultSettings are what an installation starts with.
func DefaultSettings() Settings {
	return Settings{AutoApply: true, ReviewShare: DefaultReviewShare, RequestsPerMinute: DefaultRequestsPerMinute}
}

// LoadSettings reads the settings, with defaults for what was never set (or was written
// by hand into something unreadable).
func LoadSettings(ctx context.Context, st *store.Store) (Settings, error) {
	s := DefaultSettings()
	if v, ok, err := st.Setting(ctx, KeyAutoApply); err != nil {
		return s, err
	} else if b, perr := strconv.ParseBool(v); ok && perr == nil {
		s.AutoApply = b
	}
	if v, ok, err := st.Setting(ctx, KeyReviewShare); err != nil {
		return s, err
	} else if n, perr := strconv.Atoi(v); ok && perr == nil && validReviewShare(n) == "" {
		s.ReviewShare = n
	}
	if v, ok, err := st.Setting(ctx, KeyRequestsPerMinute); err != nil {
		return s, err
	} else if n, perr := strconv.Atoi(v); ok && perr == nil && validRequestsPerMinute(n) == "" {
		s.RequestsPerMinute = n
	}
	return s, nil
}

// AuditSettings is the activity log's action for a change of the sync settings.
const AuditSettings = "settings.sync"

// SaveSettings checks every field and saves them all, or none: the error is an
// *apperr.Validation naming each wrong field by its label. The activity log records who
// changed what.
func SaveSettings(ctx context.Context, st *store.Store, actor string, s Settings) error {
	var v apperr.Validation
	if msg := validReviewShare(s.ReviewShare); msg != "" {
		v.Add(FieldReviewShare, msg)
	}
	if msg := validRequestsPerMinute(s.RequestsPerMinute); msg != "" {
		v.Add(FieldRequestsPerMinute, msg)
	}
	if err := v.Err(); err != nil {
		return err
	}
	before, err := LoadSettings(ctx, st)
	if err != nil {
		return err
	}
	return st.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: AuditSettings,
		Values: s.values(), Before: before.values(), Labels: settingLabels})
}

// values are the settings as saved, by key.
func (s Settings) values() map[string]string {
	return map[string]string{
		KeyAutoApply:         strconv.FormatBool(s.AutoApply),
		KeyReviewShare:       strconv.Itoa(s.ReviewShare),
		KeyRequestsPerMinute: strconv.Itoa(s.RequestsPerMinute),
	}
}

// settingLabels name the keys in the activity log as the Sync page does.
var settingLabels = map[string]string{
	KeyAutoApply: FieldAutoApply, KeyReviewShare: FieldReviewShare + " (%)", KeyRequestsPerMinute: FieldRequestsPerMinute,
}

// SetAutoApply turns "Apply automatically" on or off.
func SetAutoApply(ctx context.Context, st *store.Store, on bool) error {
	return st.SetSettings(ctx, map[string]string{KeyAutoApply: strconv.FormatBool(on)})
}

// SetReviewShare saves the review threshold, a percentage of the current quantity.
func SetReviewShare(ctx context.Context, st *store.Store, percent int) error {
	if msg := validReviewShare(percent); msg != "" {
		return apperr.FieldError{Field: FieldReviewShare, Message: msg}
	}
	return st.SetSettings(ctx, map[string]string{KeyReviewShare: strconv.Itoa(percent)})
}

// SetRequestsPerMinute saves the pace of calls to Manage.
func SetRequestsPerMinute(ctx context.Context, st *store.Store, n int) error {
	if msg := validRequestsPerMinute(n); msg != "" {
		return apperr.FieldError{Field: FieldRequestsPerMinute, Message: msg}
	}
	return st.SetSettings(ctx, map[string]string{KeyRequestsPerMinute: strconv.Itoa(n)})
}

func validReviewShare(n int) string {
	if n < 0 || n > MaxReviewShare {
		return fmt.Sprintf("Choose a percentage between 0 (review every change) and %d.", MaxReviewShare)
	}
	return ""
}

func validRequestsPerMinute(n int) string {
	if n < MinRequestsPerMinute || n > MaxRequestsPerMinute {
		return fmt.Sprintf("Choose between %d and %d (ConnectWise cloud allows %d; an on-premise server may allow more).",
			MinRequestsPerMinute, MaxRequestsPerMinute, DefaultRequestsPerMinute)
	}
	return ""
}
