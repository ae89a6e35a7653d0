package manageconn

import (
	"context"
	"errors"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/manage"
)

// Connection states, as the dashboard card shows them.
const (
	StateNotConfigured = connstate.NotConfigured
	StateUntested      = connstate.Untested
	StateConnected     = connstate.Connected
	StateFailing       = connstate.Failing
)

// connState is what the last test or refresh proved, stored as JSON under KeyState (see
// connstate.Setting). Its Kind is a manage.Kind.
type connState struct {
	connstate.Core
	// From the last successful test (kept while failing, so the card can name the company).
	CompanyName string `json:"companyName,omitempty"`
	Version     string `json:"version,omitempty"`
	// Revision counts saves of the settings. A test or refresh records its outcome only if
	// no save happened while it ran: its result is about settings that are gone.
	Revision int64 `json:"revision"`
}

// Status is the connection's state for the dashboard card and `test-connections`.
type Status struct {
	State string `json:"state"` // not_configured, untested, connected, failing
	// Summary is one line for the command line and tooltips: "Connected as …", "Failing
	// since …: reason".
	Summary     string `json:"summary"`
	Site        string `json:"site"`
	CompanyID   string `json:"companyId"`
	Username    string `json:"username"`
	CompanyName string `json:"companyName"`
	Version     string `json:"version"`
	// ConnectedSince / FailingSince: when the current state began.
	ConnectedSince *time.Time `json:"connectedSince,omitempty" ts_type:"string"`
	FailingSince   *time.Time `json:"failingSince,omitempty" ts_type:"string"`
	CheckedAt      *time.Time `json:"checkedAt,omitempty" ts_type:"string"`
	// Problem says what failed and what to do, while failing; ProblemField is the form label
	// it points at, if any.
	Problem      string `json:"problem,omitempty"`
	ProblemField string `json:"problemField,omitempty"`
	// CredentialsRejected: the failure is Manage refusing the keys or the client id, which
	// only the user can fix (a notification says so).
	CredentialsRejected bool `json:"credentialsRejected,omitempty"`
	// Cache summarises the cached Manage data.
	Cache CacheSummary `json:"cache"`
}

// outcome is one test's or refresh's result: the state machine's, and what a test learnt.
type outcome struct {
	connstate.Outcome
	companyName, version string // from a test; empty keeps what was known
}

// record moves the state after a test or refresh (see connstate.Setting.Record). It records
// nothing, and returns errStale, when the settings were saved again meanwhile.
func (s *Service) record(ctx context.Context, o outcome) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.state.Record(ctx, s.now(), o.Outcome, func(st *connState) {
		if o.companyName != "" {
			st.CompanyName = o.companyName
		}
		if o.version != "" {
			st.Version = o.version
		}
	})
	if err != nil {
		return err
	}
	s.emitStatus(ctx)
	return nil
}

// errStale means the settings were saved again while a test or refresh ran.
var errStale = errors.New("the ConnectWise settings were changed while they were being checked: test or refresh again")

// revision is the current settings revision (see connState.Revision).
func (s *Service) revision(ctx context.Context) (int64, error) {
	return s.state.CurrentRevision(ctx)
}

// Status reports the connection's state and the cache's age and size.
func (s *Service) Status(ctx context.Context) (Status, error) {
	cfg, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return Status{}, err
	}
	out := Status{State: StateNotConfigured}
	if configured {
		st, err := s.state.Read(ctx, s.store.DB)
		if err != nil {
			return Status{}, err
		}
		out = Status{State: st.State, Site: cfg.Site, CompanyID: cfg.CompanyID, Username: cfg.Username,
			CompanyName: st.CompanyName, Version: st.Version}
		out.ConnectedSince, out.FailingSince, out.CheckedAt = st.Times()
		if st.State == StateFailing {
			out.Problem, out.ProblemField = st.Problem, st.Field
			out.CredentialsRejected = st.Kind == string(manage.KindKeysRejected) || st.Kind == string(manage.KindClientIDRejected)
		}
	}
	if out.Cache, err = s.CacheSummary(ctx); err != nil {
		return Status{}, err
	}
	out.Summary = summary(out)
	return out, nil
}

func summary(st Status) string {
	return connstate.Summary{State: st.State, Username: st.Username, To: st.CompanyName,
		FailingSince: st.FailingSince, Problem: st.Problem}.String()
}

func (s *Service) emitStatus(ctx context.Context) {
	st, err := s.Status(ctx)
	if err != nil {
		s.log.Warn("reading the manage status for an event failed", "err", err.Error())
		return
	}
	s.emit(EventStatus, st)
}
