package webrootconn

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Connection states, as the dashboard card shows them.
const (
	StateNotConfigured = "not_configured"
	StateUntested      = "untested"
	StateConnected     = "connected"
	StateFailing       = "failing"
)

// connState is what the last test or refresh proved, stored as JSON under KeyState.
type connState struct {
	State     string    `json:"state"`
	Since     time.Time `json:"since,omitzero"`     // connected since / failing since
	CheckedAt time.Time `json:"checkedAt,omitzero"` // the last test or refresh
	// From the last successful test (kept while failing, so the card can name the console).
	Username    string `json:"username,omitempty"`
	ConsoleName string `json:"consoleName,omitempty"`
	SiteCount   int    `json:"siteCount,omitempty"`
	TotalSeats  int    `json:"totalSeats,omitempty"`
	// Problem is the user message of the last failure; Kind its webroot.Kind.
	Problem string `json:"problem,omitempty"`
	Kind    string `json:"kind,omitempty"`
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
	// SitesRefreshedAt is when the site cache was last replaced; CachedSites how many it holds.
	SitesRefreshedAt *time.Time `json:"sitesRefreshedAt,omitempty" ts_type:"string"`
	CachedSites      int        `json:"cachedSites"`
}

func readState(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (connState, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, KeyState).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return connState{State: StateUntested}, nil
	}
	if err != nil {
		return connState{}, fmt.Errorf("reading the Webroot connection state: %w", err)
	}
	var st connState
	if err := json.Unmarshal([]byte(raw), &st); err != nil || st.State == "" {
		return connState{State: StateUntested}, nil // unreadable: test again
	}
	return st, nil
}

func writeState(ctx context.Context, tx *sql.Tx, st connState) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return setSetting(ctx, tx, KeyState, string(raw))
}

// outcome is one test's or refresh's result for the state machine.
type outcome struct {
	// version is the settings version the test or refresh started with (settingsVersion).
	version int64
	ok      bool
	// From a test: who and what it proved. Zero values keep what was known.
	username, consoleName string
	siteCount, totalSeats int
	hasConsole            bool
	problem, kind         string
}

// record moves the state after a test or refresh: connected since the first success after
// anything else, failing since the first failure after anything else.
func (s *Service) record(ctx context.Context, o outcome) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	now := s.now()
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		st, err := readState(ctx, tx)
		if err != nil {
			return err
		}
		if st.Version != o.version {
			s.log.Info("webroot result not recorded: the settings changed while it ran")
			return errStale
		}
		st.CheckedAt = now
		if o.ok {
			if st.State != StateConnected {
				st.State, st.Since = StateConnected, now
			}
			st.Problem, st.Kind = "", ""
		} else {
			if st.State != StateFailing {
				st.State, st.Since = StateFailing, now
			}
			st.Problem, st.Kind = o.problem, o.kind
		}
		if o.username != "" {
			st.Username = o.username
		}
		if o.hasConsole {
			st.ConsoleName, st.SiteCount, st.TotalSeats = o.consoleName, o.siteCount, o.totalSeats
		} else if o.ok && o.siteCount > 0 {
			st.SiteCount = o.siteCount
		}
		return writeState(ctx, tx, st)
	})
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
	st, err := readState(ctx, s.store.DB)
	return st.Version, err
}

// Status reports the connection's state and the site cache's age.
func (s *Service) Status(ctx context.Context) (Status, error) {
	_, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return Status{}, err
	}
	out := Status{State: StateNotConfigured}
	if configured {
		st, err := readState(ctx, s.store.DB)
		if err != nil {
			return Status{}, err
		}
		out = Status{State: st.State, Username: st.Username, ConsoleName: st.ConsoleName, SiteCount: st.SiteCount,
			TotalSeats: st.TotalSeats, CheckedAt: timePtr(st.CheckedAt)}
		switch st.State {
		case StateConnected:
			out.ConnectedSince = timePtr(st.Since)
		case StateFailing:
			out.FailingSince = timePtr(st.Since)
			out.Problem = st.Problem
		}
	}
	meta, err := s.snapshotMeta(ctx)
	if err != nil {
		return Status{}, err
	}
	if meta != nil {
		out.SitesRefreshedAt = timePtr(meta.refreshedAt)
		out.CachedSites = meta.siteCount
	}
	out.Summary = summary(out)
	return out, nil
}

func summary(st Status) string {
	switch st.State {
	case StateNotConfigured:
		return "Not configured"
	case StateUntested:
		return "Saved, not tested yet"
	case StateConnected:
		s := "Connected as " + st.Username
		if st.ConsoleName != "" {
			s += fmt.Sprintf(" to %q", st.ConsoleName)
		}
		return s
	case StateFailing:
		s := "Failing"
		if st.FailingSince != nil {
			s += " since " + st.FailingSince.Local().Format("2006-01-02 15:04 MST")
		}
		if st.Problem != "" {
			s += ": " + st.Problem
		}
		return s
	}
	return st.State
}

func (s *Service) emitStatus(ctx context.Context) {
	st, err := s.Status(ctx)
	if err != nil {
		s.log.Warn("reading the webroot status for an event failed", "err", err.Error())
		return
	}
	s.emit(EventStatus, st)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
