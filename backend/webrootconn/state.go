package webrootconn

import (
	"context"
	"errors"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/webroot"
)

// Connection states, as the dashboard card shows them.
const (
	StateNotConfigured = connstate.NotConfigured
	StateUntested      = connstate.Untested
	StateConnected     = connstate.Connected
	StateFailing       = connstate.Failing
)

// connState is what the last test or refresh proved, stored as JSON under KeyState (see
// connstate.Setting). Its Kind is a webroot.Kind.
type connState struct {
	connstate.Core
	// From the last successful test (kept while failing, so the card can name the console).
	Username    string `json:"username,omitempty"`
	ConsoleName string `json:"consoleName,omitempty"`
	SiteCount   int    `json:"siteCount,omitempty"`
	TotalSeats  int    `json:"totalSeats,omitempty"`
	// Version counts the saves that changed the settings: a test or refresh started before
	// a save must not report on the settings that replaced the ones it used.
	Version int64 `json:"version"`
}

// Status is the connection's state for the dashboard card and `test-connections`.
type Status struct {
	State string `json:"state"` // not_configured, untested, connected, failing
	// Summary is one line for the command line and tooltips.
	Summary     string `json:"summary"`
	Username    string `json:"username"`
	ConsoleName string `json:"consoleName"`
	SiteCount   int    `json:"siteCount"`
	TotalSeats  int    `json:"totalSeats"`
	// ConnectedSince / FailingSince: when the current state began.
	ConnectedSince *time.Time `json:"connectedSince,omitempty" ts_type:"string"`
	FailingSince   *time.Time `json:"failingSince,omitempty" ts_type:"string"`
	CheckedAt      *time.Time `json:"checkedAt,omitempty" ts_type:"string"`
	// Problem says what failed and what to do, while failing.
	Problem string `json:"problem,omitempty"`
	// CredentialsRejected: Webroot refused the client or the GSM credentials, which only the
	// user can fix (a notification says so).
	CredentialsRejected bool `json:"credentialsRejected,omitempty"`
	// SitesRefreshedAt is when the site cache was last replaced; CachedSites how many it holds.
	SitesRefreshedAt *time.Time `json:"sitesRefreshedAt,omitempty" ts_type:"string"`
	CachedSites      int        `json:"cachedSites"`
}

// outcome is one test's or refresh's result: the state machine's (its Revision is the
// settings version the test or refresh started with, settingsVersion), and what it learnt.
type outcome struct {
	connstate.Outcome
	// From a test: who and what it proved. Zero values keep what was known.
	username, consoleName string
	siteCount, totalSeats int
	hasConsole            bool
}

// record moves the state after a test or refresh (see connstate.Setting.Record). It records
// nothing, and returns ErrSettingsChanged, when the settings were saved again meanwhile.
func (s *Service) record(ctx context.Context, o outcome) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.state.Record(ctx, s.now(), o.Outcome, func(st *connState) {
		if o.username != "" {
			st.Username = o.username
		}
		if o.hasConsole {
			st.ConsoleName, st.SiteCount, st.TotalSeats = o.consoleName, o.siteCount, o.totalSeats
		} else if o.OK && o.siteCount > 0 {
			st.SiteCount = o.siteCount
		}
	})
	if errors.Is(err, errStale) {
		s.log.Info("webroot result not recorded: the settings changed while it ran")
	}
	if err != nil {
		return err
	}
	s.emitStatus(ctx)
	return nil
}

// ErrSettingsChanged: the settings were saved again while a test or refresh ran with the
// previous ones, so its result was dropped.
var ErrSettingsChanged = errors.New("The Webroot settings were saved again while they were being used: test the connection again")

var errStale = ErrSettingsChanged

// settingsVersion is the version of the saved settings, read when a test or refresh starts.
func (s *Service) settingsVersion(ctx context.Context) (int64, error) {
	return s.state.CurrentRevision(ctx)
}

// Status reports the connection's state and the site cache's age.
func (s *Service) Status(ctx context.Context) (Status, error) {
	_, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return Status{}, err
	}
	out := Status{State: StateNotConfigured}
	if configured {
		st, err := s.state.Read(ctx, s.store.DB)
		if err != nil {
			return Status{}, err
		}
		out = Status{State: st.State, Username: st.Username, ConsoleName: st.ConsoleName, SiteCount: st.SiteCount,
			TotalSeats: st.TotalSeats}
		out.ConnectedSince, out.FailingSince, out.CheckedAt = st.Times()
		if st.State == StateFailing {
			out.Problem = st.Problem
			switch webroot.Kind(st.Kind) {
			case webroot.KindClientRejected, webroot.KindCredentialsRejected, webroot.KindAuthRejected:
				out.CredentialsRejected = true
			}
		}
	}
	meta, err := s.snapshotMeta(ctx)
	if err != nil {
		return Status{}, err
	}
	if meta != nil {
		out.SitesRefreshedAt = connstate.TimePtr(meta.refreshedAt)
		out.CachedSites = meta.siteCount
	}
	out.Summary = summary(out)
	return out, nil
}

func summary(st Status) string {
	return connstate.Summary{State: st.State, Username: st.Username, To: st.ConsoleName,
		FailingSince: st.FailingSince, Problem: st.Problem}.String()
}

func (s *Service) emitStatus(ctx context.Context) {
	st, err := s.Status(ctx)
	if err != nil {
		s.log.Warn("reading the webroot status for an event failed", "err", err.Error())
		return
	}
	s.emit(EventStatus, st)
}
