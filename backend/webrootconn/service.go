// Package webrootconn is the app's one Webroot GSM connection, shared by the desktop window
// and the command line: it loads and saves the "Configure Webroot" settings (non-secret
// fields in the settings table under webroot.* keys; the Client Secret, the Admin Password
// and the rotating refresh token only in the OS keychain), builds a webroot.Client from
// them, tests the connection and remembers its state (connected as … / failing since …),
// and caches the console's sites with their counts on every basis in SQLite.
//
// Nothing this package returns, stores in SQLite, logs or puts in an error holds a secret:
// the frontend learns only whether each secret is saved.
package webrootconn

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/events"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
)

// Events the service emits (payloads in parentheses). Events are not buffered for late
// listeners, so each has a snapshot getter: Activity, Status and Sites.
const (
	// EventActivity: a background test or refresh started, moved on or finished (Activity).
	EventActivity = "webroot:activity"
	// EventStatus: the connection state changed (Status).
	EventStatus = "webroot:status"
	// EventSites: the site cache was replaced (SitesChanged).
	EventSites = "webroot:sites"
)

// ErrNotConfigured means the connection was never saved.
var ErrNotConfigured = errors.New("Webroot is not configured yet: fill in Configure Webroot (or run `cwm-webroot connect webroot`)")

// Options adjust a Service; the zero value gives production behaviour.
type Options struct {
	// Emitter receives the events above [events.Discard].
	Emitter events.Emitter
	// BaseContext bounds background jobs; the app passes its Wails context, so closing the
	// window cancels them [context.Background()].
	BaseContext context.Context
	// Now is the clock [time.Now].
	Now func() time.Time
	// Logger receives what the service and the client do, never a secret [discard].
	Logger *slog.Logger
	// Version goes into the client's User-Agent [buildinfo.Version].
	Version string
	// ClientConfig adjusts every webroot.Config before a client is built: tests and the
	// demo inject an HTTP transport, a clock or fast retries here.
	ClientConfig func(*webroot.Config)
	// TestTimeout bounds one connection test [90 s]; RefreshTimeout one refresh [10 min].
	TestTimeout    time.Duration
	RefreshTimeout time.Duration
}

// Service is the Webroot connection of one installation. It is safe for concurrent use.
type Service struct {
	store   *store.Store
	secrets secrets.Store
	opts    Options
	env     connstate.Env
	log     *slog.Logger
	state   connstate.Setting[connState]
	jobs    *connstate.Jobs[Activity]

	// writeMu serialises this process's writes of the configuration and the state, so a
	// test finishing while the user saves cannot interleave their read-modify-write.
	writeMu sync.Mutex
}

// New returns the service for an opened installation's database and keychain.
func New(st *store.Store, sec secrets.Store, opts Options) *Service {
	if opts.TestTimeout <= 0 {
		opts.TestTimeout = 90 * time.Second
	}
	if opts.RefreshTimeout <= 0 {
		opts.RefreshTimeout = 10 * time.Minute
	}
	env := connstate.Env{Emitter: opts.Emitter, BaseContext: opts.BaseContext, Now: opts.Now, Logger: opts.Logger}.WithDefaults()
	s := &Service{store: st, secrets: sec, opts: opts, env: env, log: env.Logger}
	s.state = connstate.Setting[connState]{DB: st, Key: KeyState, Name: "Webroot", Stale: ErrSettingsChanged,
		Core:     func(c *connState) *connstate.Core { return &c.Core },
		Revision: func(c *connState) *int64 { return &c.Version }}
	// A job that panics is not recovered (connstate.JobsConfig.OnPanic).
	s.jobs = connstate.NewJobs(connstate.JobsConfig[Activity]{Env: env, Event: EventActivity,
		Job: func(a *Activity) *connstate.Job { return &a.Job }})
	return s
}

func (s *Service) now() time.Time { return s.env.Time() }

func (s *Service) emit(name string, payload any) { s.env.Emit(name, payload) }

// UserMessage is the text to show for an error from this package: a Webroot failure in
// words the user can act on, anything else as is. It never holds a secret.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	var we *webroot.Error
	if errors.As(err, &we) {
		return we.UserMessage()
	}
	return err.Error()
}

// IsConnectionFailure reports whether err is Webroot (or the way to it) failing, as opposed
// to a configuration or local problem: the command line exits 3 for these.
func IsConnectionFailure(err error) bool {
	return webroot.KindOf(err) != "" && webroot.KindOf(err) != webroot.KindCanceled
}

// connectionKinds are failures that say the connection itself is broken (as opposed to one
// report or one site): they turn the state to "failing".
func connectionKind(k webroot.Kind) bool {
	switch k {
	case webroot.KindClientRejected, webroot.KindCredentialsRejected, webroot.KindAuthRejected,
		webroot.KindGSMKeyUnknown, webroot.KindScopeMissing, webroot.KindAccessDenied,
		webroot.KindSiteUnreachable, webroot.KindTLSFailure, webroot.KindBadResponse:
		return true
	}
	return false
}

func asFieldError(err error) (apperr.FieldError, bool) {
	var fe apperr.FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}

// describeError is an error from this package in words, a field error with its label.
func describeError(err error) string {
	if fe, ok := asFieldError(err); ok {
		return "The " + fe.Field + " " + fe.Message + "."
	}
	return UserMessage(err)
}
