package webrootconn

import (
	"context"
	"errors"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/webroot"
)

// Step statuses, shared in shape with the ConnectWise connection test so one UI lists both.
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
	Summary          string    `json:"summary"`
	Username         string    `json:"username"`
	ConsoleName      string    `json:"consoleName"`
	SiteCount        int       `json:"siteCount"`
	DeactivatedSites int       `json:"deactivatedSites"`
	TotalSeats       int       `json:"totalSeats"`
	GrantedScopes    []string  `json:"grantedScopes"`
	TestedAt         time.Time `json:"testedAt" ts_type:"string"`
	// Field is the form label the failure points at, when one does ("Client Secret").
	Field string `json:"field,omitempty"`
}

type purpose int

const (
	interactive purpose = iota // a person waits: fail fast
	background                 // a refresh or a sync: be patient
)

// Client builds a Webroot client from the saved settings, with the refresh token in the
// keychain. It makes no request.
func (s *Service) Client(ctx context.Context) (*webroot.Client, error) {
	version, err := s.settingsVersion(ctx)
	if err != nil {
		return nil, err
	}
	return s.client(ctx, background, version)
}

func (s *Service) client(ctx context.Context, p purpose, version int64) (*webroot.Client, error) {
	cfg, err := s.credentials(ctx)
	if err != nil {
		return nil, err
	}
	cfg.Tokens = s.tokens(version)
	cfg.Logger = s.log
	cfg.Version = s.opts.Version
	if p == interactive {
		cfg.RequestTimeout = 20 * time.Second
		cfg.MaxAttempts = 2
		cfg.BackoffMax = 2 * time.Second
		cfg.MaxRetryAfter = 10 * time.Second
	}
	if s.opts.ClientConfig != nil {
		s.opts.ClientConfig(&cfg)
	}
	return webroot.New(cfg)
}

// Test proves the saved settings: a fresh sign-in, the GSM console and a usage report. A
// connection failure is not an error: it is in the outcome (OK false) and the state turns
// to "failing". The error is for what stops the test from running at all: not configured,
// a secret missing from the keychain, the database.
func (s *Service) Test(ctx context.Context) (TestOutcome, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.TestTimeout)
	defer cancel()
	version, err := s.settingsVersion(ctx)
	if err != nil {
		return TestOutcome{}, err
	}
	cfg, _, err := s.LoadConfig(ctx)
	if err != nil {
		return TestOutcome{}, err
	}
	c, err := s.client(ctx, interactive, version)
	if err != nil {
		return TestOutcome{}, err
	}
	res, terr := c.TestConnection(ctx)
	if res == nil {
		if terr == nil {
			terr = errors.New("the connection test returned nothing")
		}
		return TestOutcome{}, terr
	}
	if webroot.KindOf(terr) == webroot.KindCanceled && ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
		return TestOutcome{}, terr // stopped by the app closing, not by Webroot: record nothing
	}
	out := TestOutcome{OK: res.OK, Username: cfg.Username, ConsoleName: res.ConsoleName, SiteCount: res.SiteCount,
		DeactivatedSites: res.DeactivatedSites, TotalSeats: res.TotalSeats, GrantedScopes: res.GrantedScopes, TestedAt: s.now()}
	if out.GrantedScopes == nil {
		out.GrantedScopes = []string{}
	}
	for _, st := range res.Steps {
		out.Steps = append(out.Steps, convertStep(st))
	}
	o := outcome{Outcome: connstate.Outcome{Revision: version, OK: res.OK}, username: cfg.Username}
	if res.OK {
		o.hasConsole, o.consoleName, o.siteCount, o.totalSeats = true, res.ConsoleName, res.SiteCount, res.TotalSeats
		out.Summary = summary(Status{State: StateConnected, Username: cfg.Username, ConsoleName: res.ConsoleName})
	} else {
		o.Problem, o.Kind = UserMessage(terr), string(webroot.KindOf(terr))
		out.Summary = o.Problem
		out.Field = fieldFor(webroot.KindOf(terr))
		if res.ConsoleName != "" { // the console was read, a later step failed
			o.hasConsole, o.consoleName, o.siteCount, o.totalSeats = true, res.ConsoleName, res.SiteCount, res.TotalSeats
		}
	}
	if err := s.record(context.WithoutCancel(ctx), o); err != nil {
		return TestOutcome{}, err
	}
	return out, nil
}

// tokens is the keychain's refresh-token store for a client built from one version of the
// settings: once they are saved again, a token that client obtains (for the previous
// credentials) is dropped instead of replacing the new settings' state.
func (s *Service) tokens(version int64) webroot.TokenStore {
	kc := KeychainTokens(s.secrets)
	return webroot.TokenStoreFuncs{
		GetFunc: kc.Get,
		SetFunc: func(token string) error {
			s.writeMu.Lock() // Save bumps the version and clears the token under this lock
			defer s.writeMu.Unlock()
			current, err := s.settingsVersion(context.Background())
			if err != nil {
				return err
			}
			if current != version {
				return nil
			}
			return kc.Set(token)
		},
	}
}

func convertStep(st webroot.TestStep) Step {
	out := Step{ID: st.Name, Title: st.Label, Message: st.Message, Kind: string(st.Kind), RequestID: st.RequestID,
		DurationMs: st.Duration.Milliseconds()}
	switch {
	case st.Skipped:
		out.Status = StepSkipped
	case st.OK:
		out.Status = StepOK
	default:
		out.Status = StepFailed
	}
	return out
}

// fieldFor names the form field a failure asks the user to fix, so the page can point at it.
func fieldFor(k webroot.Kind) string {
	switch k {
	case webroot.KindClientRejected:
		return webroot.FieldClientSecret
	case webroot.KindCredentialsRejected:
		return webroot.FieldPassword
	case webroot.KindGSMKeyUnknown:
		return webroot.FieldGSMKey
	case webroot.KindScopeMissing:
		return webroot.FieldScope
	case webroot.KindSiteUnreachable, webroot.KindTLSFailure, webroot.KindBadResponse:
		return webroot.FieldSite
	}
	return ""
}
