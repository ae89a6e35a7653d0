// Package manageconn is the app's one ConnectWise Manage connection, shared by the desktop
// window and the command line: it loads and saves the "Configure ConnectWise" settings
// (non-secret fields in the settings table under manage.* keys; the Private Key only in
// the OS keychain), builds a manage.Client from them, tests the connection step by step and
// remembers its state (connected as … / failing since …), and caches the site's companies,
// agreements, the additions of the agreements the app may write to, and the product catalog
// in SQLite for the mapping pickers.
//
// Nothing this package returns, stores in SQLite, logs or puts in an error holds the private
// key: the frontend learns only whether it is saved.
package manageconn

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/events"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// Events the service emits (payloads in parentheses). Events are not buffered for late
// listeners, so each has a snapshot getter: Activity, Status and CacheSummary.
const (
	// EventActivity: a background test or refresh started, moved on or finished (Activity).
	EventActivity = "manage:activity"
	// EventStatus: the connection state changed (Status).
	EventStatus = "manage:status"
	// EventCache: the cache was replaced or cleared (CacheSummary).
	EventCache = "manage:cache"
)

// ErrNotConfigured means the connection was never saved.
var ErrNotConfigured = errors.New("ConnectWise is not configured yet: fill in Configure ConnectWise (or run `cwm-webroot connect manage`)")

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
	// ClientConfig adjusts every manage.Config before a client is built: tests and the demo
	// inject an HTTP transport, a clock or fast retries here.
	ClientConfig func(*manage.Config)
	// TestTimeout bounds one connection test [60 s]; RefreshTimeout one refresh [10 min].
	TestTimeout    time.Duration
	RefreshTimeout time.Duration
}

// Service is the ConnectWise connection of one installation. It is safe for concurrent use.
type Service struct {
	store   *store.Store
	secrets secrets.Store
	opts    Options
	env     connstate.Env
	log     *slog.Logger
	state   connstate.Setting[connState]
	jobs    *connstate.Jobs[Activity]

	// writeMu serialises this process's writes of the configuration, the state and the
	// cache, so a test finishing while the user saves cannot interleave with the save.
	writeMu sync.Mutex
}

// New returns the service for an opened installation's database and keychain.
func New(st *store.Store, sec secrets.Store, opts Options) *Service {
	if opts.TestTimeout <= 0 {
		opts.TestTimeout = 60 * time.Second
	}
	if opts.RefreshTimeout <= 0 {
		opts.RefreshTimeout = 10 * time.Minute
	}
	env := connstate.Env{Emitter: opts.Emitter, BaseContext: opts.BaseContext, Now: opts.Now, Logger: opts.Logger}.WithDefaults()
	s := &Service{store: st, secrets: sec, opts: opts, env: env, log: env.Logger}
	s.state = connstate.Setting[connState]{DB: st, Key: KeyState, Name: "ConnectWise", Stale: errStale,
		Core:     func(c *connState) *connstate.Core { return &c.Core },
		Revision: func(c *connState) *int64 { return &c.Revision }}
	s.jobs = connstate.NewJobs(connstate.JobsConfig[Activity]{Env: env, Event: EventActivity,
		Job: func(a *Activity) *connstate.Job { return &a.Job },
		OnPanic: func(a *Activity, p any) {
			s.log.Error("manage background job panicked", "panic", p)
			a.Error = "Something went wrong inside the app. Try again; if it keeps happening, restart the app."
		}})
	return s
}

func (s *Service) now() time.Time { return s.env.Time() }

func (s *Service) emit(name string, payload any) { s.env.Emit(name, payload) }

// UserMessage is the text to show for an error from this package: a Manage failure in
// words the user can act on, a field problem with its label, anything else as is. It never
// holds a secret.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	var me *manage.Error
	if errors.As(err, &me) {
		return me.UserMessage()
	}
	var fe apperr.FieldError
	if errors.As(err, &fe) {
		return "The " + fe.Field + " " + fe.Message + "."
	}
	return err.Error()
}

// IsConnectionFailure reports whether err is Manage (or the way to it) failing, as opposed
// to a configuration or local problem: the command line exits 3 for these.
func IsConnectionFailure(err error) bool {
	k := manage.KindOf(err)
	return k != "" && k != manage.KindCanceled && k != manage.KindInvalidInput
}

// connectionKind reports failures that say the connection itself is broken (as opposed to
// one record): they turn the state to "failing".
func connectionKind(k manage.Kind) bool {
	switch k {
	case manage.KindUnknownCompany, manage.KindKeysRejected, manage.KindClientIDRejected,
		manage.KindPermissionDenied, manage.KindWrongSite, manage.KindSiteUnreachable,
		manage.KindTLSFailure, manage.KindBadResponse, manage.KindTimeout, manage.KindNetwork,
		manage.KindServer, manage.KindThrottled:
		return true
	}
	return false
}

func fieldOf(err error) string {
	var fe apperr.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
