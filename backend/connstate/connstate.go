// Package connstate is the machinery the app's vendor connections share (manageconn for
// ConnectWise Manage, webrootconn for Webroot): what a connection remembers of its last test
// or refresh (connected since … / failing since …), kept as JSON in the settings table and
// guarded by a revision that every save of the settings bumps; the one-at-a-time background
// job that tests or refreshes a connection and reports it through an event; and the shape of
// a connection test's steps.
//
// It knows nothing of either vendor: a connection embeds Core in its own stored state and
// Job in its own Activity, and keeps its own exported types, events and settings keys.
package connstate

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"cwm-webroot/backend/events"
)

// Env is what a connection service runs with. WithDefaults fills its zero fields.
type Env struct {
	// Emitter receives the service's events [events.Discard].
	Emitter events.Emitter
	// BaseContext bounds background jobs [context.Background()].
	BaseContext context.Context
	// Now is the clock [time.Now].
	Now func() time.Time
	// Logger receives what the service does [discard].
	Logger *slog.Logger
}

// WithDefaults returns e with production defaults for what it leaves zero.
func (e Env) WithDefaults() Env {
	if e.Emitter == nil {
		e.Emitter = events.Discard
	}
	if e.BaseContext == nil {
		e.BaseContext = context.Background()
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Logger == nil {
		e.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return e
}

// Time is the clock's time in UTC.
func (e Env) Time() time.Time { return e.Now().UTC() }

// Emit sends an event.
func (e Env) Emit(name string, payload any) { e.Emitter.Emit(name, payload) }

// TimePtr is t in UTC for a JSON field that is left out when there is no time; nil for the
// zero time.
func TimePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Step statuses of a connection test, the same for every vendor so one UI lists them.
const (
	StepOK      = "ok"
	StepWarning = "warning"
	StepFailed  = "failed"
	StepSkipped = "skipped"
)

// Step is one line of a connection test. A connection declares its own Step type on this
// one (type Step connstate.Step), so its bindings keep their names.
type Step struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Status     string `json:"status"` // ok, warning, failed, skipped
	Message    string `json:"message"`
	Kind       string `json:"kind,omitempty"`
	RequestID  string `json:"requestId,omitempty"`
	DurationMs int64  `json:"durationMs"`
}

// Shorten keeps the last four characters of an identifying key (the Manage public key, the
// GSM parent key): enough to tell two apart in the activity log or a diagnostics report,
// not enough to reuse.
func Shorten(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("•", len(r))
	}
	return "…" + string(r[len(r)-4:])
}
