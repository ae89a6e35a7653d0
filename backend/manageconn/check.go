package manageconn

import (
	"context"
	"errors"
	"strings"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/manage"
)

// Step statuses, the same as the Webroot connection test's, so one UI lists both.
const (
	StepOK      = connstate.StepOK
	StepWarning = connstate.StepWarning
	StepFailed  = connstate.StepFailed
	StepSkipped = connstate.StepSkipped
)

// Step is one line of a connection test (see connstate.Step).
type Step connstate.Step

// TestOutcome is the result of "Test connection".
type TestOutcome struct {
	OK    bool   `json:"ok"`
	Steps []Step `json:"steps"`
	// Summary: "Connected as … to …", or the first failure in words the user can act on.
	Summary     string    `json:"summary"`
	Username    string    `json:"username"`
	CompanyName string    `json:"companyName"`
	Codebase    string    `json:"codebase"`
	APIBase     string    `json:"apiBase"`
	Version     string    `json:"version"`
	IsCloud     bool      `json:"isCloud"`
	TestedAt    time.Time `json:"testedAt" ts_type:"string"`
	// Field is the form label the failure points at, when one does ("Company ID").
	Field string `json:"field,omitempty"`
}

// Test proves the saved settings: the codebase lookup, the keys, and read access to
// agreements, companies and the catalog. A connection failure is not an error: it is in the
// outcome (OK false) and the state turns to "failing". The error is for what stops the test
// from running at all: not configured, the private key missing from the keychain, the
// database.
func (s *Service) Test(ctx context.Context) (TestOutcome, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.TestTimeout)
	defer cancel()
	rev, err := s.revision(ctx)
	if err != nil {
		return TestOutcome{}, err
	}
	c, cfg, err := s.client(ctx, interactive)
	if err != nil {
		return TestOutcome{}, err
	}
	defer c.CloseIdleConnections()
	res := c.TestConnection(ctx)
	if errors.Is(ctx.Err(), context.Canceled) {
		return TestOutcome{}, ctx.Err() // stopped by the app closing, not by Manage: record nothing
	}
	out := TestOutcome{OK: res.OK, Username: cfg.Username, CompanyName: res.CompanyName, Codebase: res.Codebase,
		APIBase: res.APIBase, Version: res.Version, IsCloud: res.IsCloud, TestedAt: s.now()}
	for _, st := range res.Steps {
		// The request id is a field of its own here; the message need not repeat it.
		msg := st.Message
		if st.RequestID != "" {
			msg = strings.TrimSuffix(msg, " (Manage request id "+st.RequestID+")")
		}
		out.Steps = append(out.Steps, Step{ID: st.ID, Title: st.Title, Status: string(st.Status), Message: msg,
			Kind: string(st.Kind), RequestID: st.RequestID, DurationMs: st.DurationMs})
	}
	if out.Steps == nil {
		out.Steps = []Step{}
	}
	o := outcome{Outcome: connstate.Outcome{Revision: rev, OK: res.OK}, companyName: res.CompanyName, version: res.Version}
	if res.OK {
		out.Summary = summary(Status{State: StateConnected, Username: cfg.Username, CompanyName: res.CompanyName})
	} else if f := res.Failure(); f != nil {
		o.Problem, o.Kind = f.Message, string(f.Kind)
		o.Field = fieldFor(f.Kind)
		out.Summary, out.Field = f.Message, o.Field
	}
	s.log.Info("manage connection tested", "ok", res.OK, "kind", o.Kind, "company", res.CompanyName)
	if err := s.record(context.WithoutCancel(ctx), o); err != nil {
		// errStale: the settings were saved again while this test ran; its outcome is about
		// settings that are gone, so it is neither recorded nor followed by a refresh.
		return out, err
	}
	return out, nil
}

// fieldFor names the form field a failure asks the user to fix, so the page can point at it.
func fieldFor(k manage.Kind) string {
	switch k {
	case manage.KindUnknownCompany:
		return FieldCompanyID
	case manage.KindKeysRejected:
		return FieldPrivateKey
	case manage.KindClientIDRejected:
		return FieldClientID
	case manage.KindWrongSite, manage.KindSiteUnreachable, manage.KindTLSFailure:
		return FieldSite
	}
	return ""
}
