package manageconn

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
	// From the last successful test (kept while failing, so the card can name the company).
	CompanyName string `json:"companyName,omitempty"`
	Version     string `json:"version,omitempty"`
	// Problem is the user message of the last failure; Kind its manage.Kind; Field the form
	// label it points at, if any.
	Problem string `json:"problem,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Field   string `json:"field,omitempty"`
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
	// Cache summarises the cached Manage data.
	Cache CacheSummary `json:"cache"`
}

type rowQuerier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func readState(ctx context.Context, q rowQuerier) (connState, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, KeyState).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return connState{State: StateUntested}, nil
	}
	if err != nil {
		return connState{}, fmt.Errorf("reading the ConnectWise connection state: %w", err)
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
	revision             int64 // of the settings the test or refresh used
	ok                   bool
	companyName, version string // from a test; empty keeps what was known
	problem, kind, field string
}

// record moves the state after a test or refresh: connected since the first success after
// anything else, failing since the first failure after anything else. It records nothing,
// and returns errStale, when the settings were saved again meanwhile.
func (s *Service) record(ctx context.Context, o outcome) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	now := s.now()
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		st, err := readState(ctx, tx)
		if err != nil {
			return err
		}
		if st.Revision != o.revision {
			return errStale
		}
		st.CheckedAt = now
		if o.ok {
			if st.State != StateConnected {
				st.State, st.Since = StateConnected, now
			}
			st.Problem, st.Kind, st.Field = "", "", ""
		} else {
			if st.State != StateFailing {
				st.State, st.Since = StateFailing, now
			}
			st.Problem, st.Kind, st.Field = o.problem, o.kind, o.field
		}
		if o.companyName != "" {
			st.CompanyName = o.companyName
		}
		if o.version != "" {
			st.Version = o.version
		}
		return writeState(ctx, tx, st)
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
	st, err := readState(ctx, s.store.DB)
	return st.Revision, err
}

// Status reports the connection's state and the cache's age and size.
func (s *Service) Status(ctx context.Context) (Status, error) {
	cfg, configured, err := s.LoadConfig(ctx)
	if err != nil {
		return Status{}, err
	}
	out := Status{State: StateNotConfigured}
	if configured {
		st, err := readState(ctx, s.store.DB)
		if err != nil {
			return Status{}, err
		}
		out = Status{State: st.State, Site: cfg.Site, CompanyID: cfg.CompanyID, Username: cfg.Username,
			CompanyName: st.CompanyName, Version: st.Version, CheckedAt: timePtr(st.CheckedAt)}
		switch st.State {
		case StateConnected:
			out.ConnectedSince = timePtr(st.Since)
		case StateFailing:
			out.FailingSince = timePtr(st.Since)
			out.Problem, out.ProblemField = st.Problem, st.Field
		}
	}
	if out.Cache, err = s.CacheSummary(ctx); err != nil {
		return Status{}, err
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
		if st.CompanyName != "" {
			s += fmt.Sprintf(" to %q", st.CompanyName)
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
		s.log.Warn("reading the manage status for an event failed", "err", err.Error())
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
