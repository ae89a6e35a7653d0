package manage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// StepStatus is the outcome of one connection-test step.
type StepStatus string

// Step outcomes.
const (
	StepOK      StepStatus = "ok"
	StepWarning StepStatus = "warning" // works, with a caveat the user may want to fix
	StepFailed  StepStatus = "failed"
	StepSkipped StepStatus = "skipped" // an earlier step failed
)

// Step ids, in order.
const (
	StepCodebase       = "codebase"
	StepAuthentication = "authentication"
	StepAgreements     = "agreements"
	StepCompanies      = "companies"
	StepCatalog        = "catalog"
)

// Step is one line of the connection test's result.
type Step struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Status     StepStatus `json:"status"`
	Message    string     `json:"message"`
	Kind       Kind       `json:"kind,omitempty"`
	RequestID  string     `json:"requestId,omitempty"`
	DurationMs int64      `json:"durationMs"`
	Err        error      `json:"-"`
}

// TestResult is the whole connection test. OK is true when no step failed.
type TestResult struct {
	OK          bool   `json:"ok"`
	Steps       []Step `json:"steps"`
	CompanyName string `json:"companyName,omitempty"`
	Codebase    string `json:"codebase,omitempty"`
	APIBase     string `json:"apiBase,omitempty"`
	Version     string `json:"version,omitempty"`
	IsCloud     bool   `json:"isCloud"`
}

// Failure returns the first failed step, or nil.
func (r TestResult) Failure() *Step {
	for i := range r.Steps {
		if r.Steps[i].Status == StepFailed {
			return &r.Steps[i]
		}
	}
	return nil
}

var stepTitles = map[string]string{
	StepCodebase:       "Find the company on the site",
	StepAuthentication: "Sign in with the API keys",
	StepAgreements:     "Read agreements",
	StepCompanies:      "Read companies",
	StepCatalog:        "Read the product catalog",
}

// TestConnection checks the settings step by step (manage-api.md §3.1): the codebase lookup,
// the keys (GET /system/info), then read access to agreements (required for sync), companies
// (required for the pickers) and the catalog (needed only to create additions, so a warning).
// It retries briefly, as for an interactive call, and never returns an error: every failure
// is a step with a message.
func (c *Client) TestConnection(ctx context.Context) TestResult {
	ctx = withPolicy(ctx, interactivePolicy)
	var res TestResult
	failed := false
	run := func(id string, fn func() (string, StepStatus, error)) {
		st := Step{ID: id, Title: stepTitles[id]}
		if failed {
			st.Status, st.Message = StepSkipped, "Not checked because an earlier step failed."
			res.Steps = append(res.Steps, st)
			return
		}
		start := time.Now()
		msg, status, err := fn()
		st.DurationMs = time.Since(start).Milliseconds()
		st.Message, st.Status, st.Err = msg, status, err
		var e *Error
		if errors.As(err, &e) {
			st.Kind, st.RequestID = e.Kind, e.RequestID
		}
		if status == StepFailed {
			failed = true
		}
		res.Steps = append(res.Steps, st)
	}

	run(StepCodebase, func() (string, StepStatus, error) { return c.testCodebase(ctx, &res) })
	run(StepAuthentication, func() (string, StepStatus, error) { return c.testAuth(ctx, &res) })
	run(StepAgreements, func() (string, StepStatus, error) {
		return c.testRead(ctx, "/finance/agreements", "agreements", false)
	})
	run(StepCompanies, func() (string, StepStatus, error) {
		return c.testRead(ctx, "/company/companies", "companies", false)
	})
	run(StepCatalog, func() (string, StepStatus, error) {
		return c.testRead(ctx, "/procurement/catalog", "catalog items", true)
	})
	res.OK = !failed
	if b := c.base.Load(); b != nil {
		res.APIBase = *b
	}
	return res
}

func (c *Client) testCodebase(ctx context.Context, res *TestResult) (string, StepStatus, error) {
	info, err := c.freshLookup(ctx)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			switch e.Kind {
			case KindUnknownCompany, KindSiteUnreachable, KindTLSFailure, KindWrongSite, KindCanceled, KindTimeout:
				return e.UserMessage(), StepFailed, err
			}
			// companyinfo answered oddly (404, not JSON…): many servers still work with the
			// default codebase, so carry on and let the next steps decide.
			return fmt.Sprintf("Could not read the company information (%s); trying the default codebase %s.",
				e.Kind, DefaultCodebase), StepWarning, err
		}
		return err.Error(), StepFailed, err
	}
	res.CompanyName, res.Codebase, res.Version, res.IsCloud = info.CompanyName, info.Codebase,
		info.VersionCode, info.IsCloud
	msg := fmt.Sprintf("Found %q on %s (codebase %s).", info.CompanyName, c.site.APIHost, info.Codebase)
	if c.site.FixedBase != "" {
		msg += " The API address given in the Site is used as is."
	}
	return msg, StepOK, nil
}

func (c *Client) testAuth(ctx context.Context, res *TestResult) (string, StepStatus, error) {
	info, err := c.SystemInfo(ctx)
	var e *Error
	switch {
	case err == nil:
		if res.Version == "" {
			res.Version = info.Version
		}
		return "The API keys were accepted.", StepOK, nil
	case errors.As(err, &e) && e.Kind == KindPermissionDenied:
		// The keys got past authentication; System access is not needed by the app.
		return "The API keys were accepted.", StepOK, nil
	case errors.As(err, &e) && e.Kind == KindNotFound:
		// On cloud a 404 usually means a wrong codebase or bad authentication (DG).
		return "Manage answered \"not found\" after a fresh codebase lookup, which usually means the keys or the Company ID are wrong. Check the Company ID and both keys." +
			requestIDSuffix(e), StepFailed, err
	case errors.As(err, &e):
		return e.UserMessage(), StepFailed, err
	}
	return err.Error(), StepFailed, err
}

// testRead asks for one record's id: enough to prove read access, cheap on any site.
func (c *Client) testRead(ctx context.Context, path, what string, optional bool) (string, StepStatus, error) {
	cl := &call{op: "read " + what, method: http.MethodGet, path: path, idempotent: true,
		query: url.Values{"pageSize": {"1"}, "fields": {"id"}}}
	r, err := c.do(ctx, cl)
	if err == nil {
		var rows []struct {
			ID int `json:"id"`
		}
		err = c.decode(cl, r, &rows)
	}
	if err == nil {
		return "The API member can read " + what + ".", StepOK, nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return err.Error(), StepFailed, err
	}
	msg := e.UserMessage()
	if optional && e.Kind == KindPermissionDenied {
		return msg + " This is only needed to create additions.", StepWarning, err
	}
	return msg, StepFailed, err
}

// freshLookup looks the company up again and adopts its codebase: the test must reflect the
// site as it is now, not as it was when the client first called it.
func (c *Client) freshLookup(ctx context.Context) (CompanyInfo, error) {
	if err := c.lock(ctx); err != nil {
		return CompanyInfo{}, err
	}
	defer c.unlock()
	info, err := c.CompanyInfo(ctx)
	if c.site.FixedBase != "" {
		c.setBase(c.site.FixedBase, "")
		return info, err
	}
	_ = c.adopt(info, err)
	return info, err
}

func requestIDSuffix(e *Error) string {
	if e.RequestID == "" {
		return ""
	}
	return " (Manage request id " + e.RequestID + ")"
}
