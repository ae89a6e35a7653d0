package webroot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Test steps, in order.
const (
	StepSignIn  = "sign_in"
	StepConsole = "console"
	StepReports = "reports"
)

// TestStep is the outcome of one step of TestConnection, in words for the user.
type TestStep struct {
	Name      string        `json:"name"`
	Label     string        `json:"label"`
	OK        bool          `json:"ok"`
	Skipped   bool          `json:"skipped"`
	Message   string        `json:"message"`
	Kind      Kind          `json:"kind,omitempty"`
	RequestID string        `json:"requestId,omitempty"`
	Duration  time.Duration `json:"duration"`
}

// TestResult is what "Test connection" shows.
type TestResult struct {
	OK               bool       `json:"ok"`
	Steps            []TestStep `json:"steps"`
	ConsoleName      string     `json:"consoleName"`
	SiteCount        int        `json:"siteCount"`
	DeactivatedSites int        `json:"deactivatedSites"`
	TotalSeats       int        `json:"totalSeats"`
	GrantedScopes    []string   `json:"grantedScopes,omitempty"`
}

// TestConnection proves the settings: a fresh password sign-in (so the credentials just
// typed are the ones checked), the GSM console (key and Console.GSM scope) and one usage
// report (SkyStatus.Reporting scope). Later steps are skipped after a failure. The error
// is the first failing step's *Error, nil when every step passed.
func (c *Client) TestConnection(ctx context.Context) (*TestResult, error) {
	res := &TestResult{}
	var firstErr error
	run := func(name, label string, f func() (string, error)) {
		step := TestStep{Name: name, Label: label}
		if firstErr != nil {
			step.Skipped = true
			step.Message = "Not checked because the previous step failed."
			res.Steps = append(res.Steps, step)
			return
		}
		started := time.Now()
		msg, err := f()
		step.Duration = time.Since(started)
		if err != nil {
			firstErr = err
			step.Message = userMessage(err)
			if e, ok := err.(*Error); ok {
				step.Kind, step.RequestID = e.Kind, e.RequestID
			}
		} else {
			step.OK, step.Message = true, msg
		}
		res.Steps = append(res.Steps, step)
	}

	run(StepSignIn, "Sign in", func() (string, error) {
		if err := c.tokens.signIn(ctx); err != nil {
			return "", err
		}
		res.GrantedScopes = c.tokens.grantedScopes()
		msg := fmt.Sprintf("Signed in to %s as %s.", c.host, c.cfg.Username)
		if len(res.GrantedScopes) > 0 {
			msg += " Scopes granted: " + strings.Join(res.GrantedScopes, ", ") + "."
		}
		return msg, nil
	})
	run(StepConsole, "GSM console", func() (string, error) {
		con, err := c.Console(ctx)
		if err != nil {
			return "", err
		}
		res.ConsoleName, res.SiteCount, res.DeactivatedSites, res.TotalSeats = con.Name, con.TotalSites, con.DeactivatedSites, con.TotalSeatsAllowed
		msg := fmt.Sprintf("Connected to %q: %s, %s.", con.Name, plural(con.TotalSites, "site"), plural(con.TotalSeatsAllowed, "seat"))
		if con.DeactivatedSites > 0 {
			msg = fmt.Sprintf("Connected to %q: %s (%d deactivated), %s.", con.Name, plural(con.TotalSites, "site"),
				con.DeactivatedSites, plural(con.TotalSeatsAllowed, "seat"))
		}
		return msg, nil
	})
	run(StepReports, "Usage reports", func() (string, error) {
		r, err := c.Report(ctx, ReportActiveEndpointsWithoutHidden, ReportOptions{})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Usage reports are readable: %s counted on %s.", plural(len(r.Sites), "site"),
			r.EffectiveDate.Format(time.DateOnly)), nil
	})
	res.OK = firstErr == nil
	return res, firstErr
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
