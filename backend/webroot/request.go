package webroot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// request is one logical call; roundTrip may send it several times.
type request struct {
	op       string // what the user was waiting for, for errors: "reading the GSM console"
	method   string
	path     string // escaped path below the base URL
	query    url.Values
	form     map[string]string // token requests only
	basic    bool              // token requests: client id and secret as HTTP Basic
	bearer   string            // API requests: the access token
	scope    string            // the scope the path needs, named when a 403 says it is missing
	notFound Kind              // what a 404 means for this path
}

// response is the final answer to a request: any status roundTrip does not retry.
type response struct {
	status   int
	body     []byte
	header   http.Header
	attempts int
}

// roundTrip sends rq, retrying network errors, 429 and 5xx with exponential backoff and
// jitter, honouring Retry-After (webroot-api.md §6). It returns the first answer that is
// not retried, or an *Error once retries are exhausted or the failure is permanent.
func (c *Client) roundTrip(ctx context.Context, rq *request) (*response, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, c.canceled(rq, err, attempt-1)
		}
		started := time.Now()
		resp, err := c.send(ctx, rq)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, c.canceled(rq, ctxErr, attempt)
			}
			kind, retry := classifyNetError(err)
			e := &Error{Kind: kind, Op: rq.op, Host: c.host, Attempts: attempt, Err: c.redactErr(err)}
			c.log.Warn("webroot request failed", "op", rq.op, "path", c.logPath(rq.path), "attempt", attempt,
				"kind", string(kind), "cause", causeText(err))
			if !retry || attempt >= c.cfg.MaxAttempts {
				return nil, e
			}
			if err := c.pause(ctx, rq, attempt, c.backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}

		status := resp.StatusCode()
		out := &response{status: status, body: resp.Body(), header: resp.Header(), attempts: attempt}
		c.log.Debug("webroot request", "op", rq.op, "method", rq.method, "path", c.logPath(rq.path),
			"status", status, "attempt", attempt, "elapsed", time.Since(started).Round(time.Millisecond))
		if !retryableStatus(status) {
			return out, nil
		}

		e := c.statusError(rq, out)
		wait, hasRetryAfter := parseRetryAfter(out.header.Get("Retry-After"), c.now())
		if hasRetryAfter {
			e.RetryAfter = wait
		}
		if attempt >= c.cfg.MaxAttempts || (hasRetryAfter && wait > c.cfg.MaxRetryAfter) {
			return nil, e
		}
		if !hasRetryAfter {
			wait = c.backoff(attempt)
		}
		c.log.Warn("webroot request will be retried", "op", rq.op, "path", c.logPath(rq.path), "status", status,
			"attempt", attempt, "wait", wait, "request_id", e.RequestID)
		if err := c.pause(ctx, rq, attempt, wait); err != nil {
			return nil, err
		}
	}
}

func (c *Client) send(ctx context.Context, rq *request) (*resty.Response, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	r := c.http.R().SetContext(actx)
	if rq.query != nil {
		r.SetQueryParamsFromValues(rq.query)
	}
	if rq.basic {
		r.SetBasicAuth(c.cfg.ClientID, c.cfg.ClientSecret)
	}
	if rq.bearer != "" {
		r.SetAuthScheme("Bearer").SetAuthToken(rq.bearer)
	}
	if rq.form != nil {
		r.SetFormData(rq.form)
	}
	return r.Execute(rq.method, rq.path)
}

// pause sleeps before the next attempt, unless the caller gives up first.
func (c *Client) pause(ctx context.Context, rq *request, attempt int, d time.Duration) error {
	if err := c.cfg.Sleep(ctx, d); err != nil {
		return c.canceled(rq, err, attempt)
	}
	return nil
}

// backoff is exponential from BackoffBase, capped at BackoffMax, with "equal jitter":
// half the delay is fixed and half random, so callers spread out but still wait.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.BackoffMax
	if attempt < 30 {
		if b := c.cfg.BackoffBase << (attempt - 1); b > 0 && b < d {
			d = b
		}
	}
	half := d / 2
	return half + time.Duration(c.cfg.Jitter()*float64(half))
}

// parseRetryAfter reads delta-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			secs = 0
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// getJSON sends an authenticated GET and decodes a 2xx body into out. A 401 refreshes
// the access token and retries once (§2.4 step 2).
func (c *Client) getJSON(ctx context.Context, rq *request, out any) error {
	rq.method = http.MethodGet
	retriedAuth := false
	for {
		tok, err := c.tokens.accessToken(ctx)
		if err != nil {
			return err
		}
		rq.bearer = tok
		resp, err := c.roundTrip(ctx, rq)
		if err != nil {
			return err
		}
		if resp.status == http.StatusUnauthorized && !retriedAuth {
			retriedAuth = true
			f := parseFailure(resp.body, resp.header.Get("WWW-Authenticate"))
			c.log.Info("webroot refused the access token; refreshing it and retrying once", "op", rq.op,
				"path", c.logPath(rq.path), "code", f.Code, "reason", c.redactor.clean(f.Description))
			c.tokens.invalidate(tok)
			continue
		}
		if resp.status/100 != 2 {
			return c.apiError(rq, resp)
		}
		if err := json.Unmarshal(resp.body, out); err != nil {
			return &Error{Kind: KindBadResponse, Op: rq.op, Host: c.host, Status: resp.status,
				Attempts: resp.attempts, Err: fmt.Errorf("decoding the JSON answer: %w", err)}
		}
		return nil
	}
}

// apiError turns a final non-2xx answer from /service/api into an *Error.
func (c *Client) apiError(rq *request, resp *response) *Error {
	e := c.statusError(rq, resp)
	switch {
	case resp.status == http.StatusUnauthorized:
		e.Kind = KindAuthRejected
	case resp.status/100 == 4:
		e.Kind = apiFailureKind(resp.status, apiFailure{Code: e.Code, Description: e.Description}, rq.notFound)
		if e.Kind == KindScopeMissing {
			e.Scope = rq.scope
		}
	}
	return e
}

// statusError builds the *Error for a status, reading the envelope. Kinds for 429/5xx are
// set here; callers refine 4xx.
func (c *Client) statusError(rq *request, resp *response) *Error {
	f := parseFailure(resp.body, resp.header.Get("WWW-Authenticate"))
	e := &Error{
		Kind:        KindBadRequest,
		Op:          rq.op,
		Host:        c.host,
		Status:      resp.status,
		Code:        f.Code,
		Description: c.redactor.clean(f.Description),
		RequestID:   f.RequestID,
		Attempts:    resp.attempts,
	}
	switch {
	case resp.status == http.StatusTooManyRequests:
		e.Kind = KindThrottled
	case resp.status >= 500:
		e.Kind = KindServer
	}
	return e
}

func (c *Client) canceled(rq *request, err error, attempts int) *Error {
	return &Error{Kind: KindCanceled, Op: rq.op, Host: c.host, Attempts: attempts, Err: err}
}

// logPath hides the GSM key in logged paths: it is a licence key, not ours to spread.
func (c *Client) logPath(p string) string {
	return strings.ReplaceAll(p, url.PathEscape(c.gsmKey), "{gsmKey}")
}

// redactErr keeps the error chain (errors.Is still works) but scrubs its text.
func (c *Client) redactErr(err error) error {
	msg := err.Error()
	if clean := c.redactor.clean(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }
