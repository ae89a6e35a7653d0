package manage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// call is one logical request; do may send it several times.
type call struct {
	op         string // for errors and logs: "list agreements"
	method     string
	path       string     // below the API root, e.g. /finance/agreements
	url        string     // instead of path: an absolute URL called without auth (companyinfo)
	query      url.Values // nil for none
	body       []byte     // JSON, for POST and PATCH
	header     map[string]string
	idempotent bool // safe to send again after a failure that may have reached the server
}

func (cl *call) logPath() string {
	if cl.url != "" {
		return cl.url
	}
	return cl.path
}

// response is a received answer with its body read.
type response struct {
	status    int
	header    http.Header
	body      []byte
	requestID string
}

// do sends a call with the retry policy: 429 waits out Retry-After (or backs off from 1 s),
// 5xx and network failures back off exponentially with jitter, other 4xx fail at once. A 404
// on an API path triggers one codebase re-lookup. Non-idempotent calls are only re-sent
// when they cannot have reached the server (429, or a failure to connect).
func (c *Client) do(ctx context.Context, cl *call) (*response, error) {
	pol := c.policy(ctx)
	relooked := false
	var last *Error // the failure being retried, if any
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			c.retries.Add(1)
		}
		target, base, err := c.target(ctx, cl)
		if err != nil {
			return nil, err
		}
		if err := c.waitGate(ctx, cl); err != nil {
			if last != nil {
				return nil, interrupted(err, last)
			}
			return nil, err
		}
		r, sendErr := c.send(ctx, cl, target, attempt)
		if sendErr != nil {
			e := c.transportError(ctx, cl, sendErr)
			e.Attempts = attempt
			retry := attempt <= pol.maxRetries && c.retryableTransport(e, cl, sendErr)
			c.logFailure(cl, e, retry)
			if !retry {
				return nil, e
			}
			if err := c.pause(ctx, cl, c.backoff(pol, attempt, 0)); err != nil {
				return nil, interrupted(err, e)
			}
			last = e
			continue
		}
		if r.status >= 200 && r.status < 300 {
			return r, nil
		}
		if r.status == http.StatusNotFound && cl.url == "" && !relooked {
			relooked = true
			changed, err := c.relookup(ctx, base, isRouteError(r.body))
			if err != nil {
				return nil, err
			}
			if changed {
				continue
			}
		}
		e := c.statusError(cl, r)
		e.Attempts = attempt
		var wait time.Duration
		retry := false
		switch {
		case r.status == http.StatusTooManyRequests:
			c.throttled.Add(1)
			if c.cfg.Pacer != nil {
				c.cfg.Pacer.Throttled(e.RetryAfter)
			}
			wait = e.RetryAfter
			if wait <= 0 {
				// No Retry-After: back off from 1 s with jitter (manage-api.md §7.3).
				wait = c.backoff(pol, attempt, time.Second)
			}
			retry = attempt <= pol.maxRetries && wait <= pol.maxRetryAfter && !deadlineWithin(ctx, wait)
			if retry {
				c.closeGate(wait)
				wait = 0 // waitGate does the waiting, for every call about to start
			}
		case r.status >= 500 && cl.idempotent:
			retry = attempt <= pol.maxRetries
			wait = c.backoff(pol, attempt, 0)
		}
		c.logFailure(cl, e, retry)
		if !retry {
			return nil, e
		}
		if wait > 0 {
			if err := c.pause(ctx, cl, wait); err != nil {
				return nil, interrupted(err, e)
			}
		}
		last = e
	}
}

// interrupted is the error for a call whose context ended while it waited to retry: the
// caller's cancellation wins, and the failure being retried is kept in the message.
func interrupted(pauseErr error, last *Error) error {
	var e *Error
	if errors.As(pauseErr, &e) {
		e.Status, e.RequestID, e.Attempts = last.Status, last.RequestID, last.Attempts
		e.Message = "stopped while waiting to retry after " + string(last.Kind)
		return e
	}
	return pauseErr
}

// target is the URL for this attempt, built from the current base so a codebase change
// between attempts (or pages) is picked up.
func (c *Client) target(ctx context.Context, cl *call) (target, base string, err error) {
	if cl.url != "" {
		return cl.url, "", nil
	}
	base, err = c.APIBase(ctx)
	if err != nil {
		return "", "", err
	}
	target = base + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	if len(target) > 2000 {
		// DG "URL Max Length": about 2,000 characters; log it so an odd failure is explainable.
		c.cfg.Logger.Warn("manage: long request URL", "op", cl.op, "length", len(target))
	}
	return target, base, nil
}

func (c *Client) retryableTransport(e *Error, cl *call, cause error) bool {
	switch e.Kind {
	case KindSiteUnreachable:
		return !isPermanentDNS(cause)
	case KindTimeout, KindNetwork:
		return cl.idempotent
	}
	return false
}

func isRouteError(body []byte) bool {
	return len(body) < 200 && strings.Contains(strings.ToLower(string(body)), "cannot route")
}

// send makes one attempt: it takes a slot, waits for the pacer, and bounds the attempt by
// RequestTimeout.
func (c *Client) send(ctx context.Context, cl *call, target string, attempt int) (*response, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.slots }()
	if c.cfg.Pacer != nil {
		if err := c.cfg.Pacer.Wait(ctx); err != nil {
			return nil, fmt.Errorf("waiting for the request pace: %w", err)
		}
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req := c.rc.R().SetContext(actx).
		SetHeader("Accept", AcceptHeader).
		SetHeaderVerbatim("clientId", c.cfg.ClientID).
		SetHeader("User-Agent", c.cfg.UserAgent).
		SetHeader("Cache-Control", "no-cache")
	if cl.url == "" {
		req.SetBasicAuth(c.authUser, c.cfg.PrivateKey)
	}
	for k, v := range cl.header {
		req.SetHeader(k, v)
	}
	if cl.body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(cl.body)
	}
	c.requests.Add(1)
	start := time.Now()
	resp, err := req.Execute(cl.method, target)
	elapsed := time.Since(start)
	if err != nil {
		if errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("%w (%s): %w", errAttemptTimeout, c.cfg.RequestTimeout, err)
		}
		return nil, err
	}
	r := &response{status: resp.StatusCode(), header: resp.Header(), body: resp.Body(),
		requestID: resp.Header().Get("x-cw-request-id")}
	c.cfg.Logger.Debug("manage: call", "op", cl.op, "method", cl.method, "path", cl.logPath(),
		"status", r.status, "attempt", attempt, "ms", elapsed.Milliseconds(), "request_id", r.requestID)
	return r, nil
}

// closeGate holds back every request for d after a 429, so the calls in flight do not keep
// hitting a limit the server has just announced.
func (c *Client) closeGate(d time.Duration) {
	until := c.cfg.Now().Add(d)
	c.gateMu.Lock()
	if until.After(c.gate) {
		c.gate = until
	}
	c.gateMu.Unlock()
}

// waitGate waits until the gate opens, with a little jitter so the waiting calls do not all
// start in the same instant. A wait that would outlast the caller's deadline fails at once.
func (c *Client) waitGate(ctx context.Context, cl *call) error {
	c.gateMu.Lock()
	until := c.gate
	c.gateMu.Unlock()
	d := until.Sub(c.cfg.Now())
	if d <= 0 {
		return nil
	}
	if deadlineWithin(ctx, d) {
		e := c.newError(cl)
		e.Kind, e.RetryAfter = KindThrottled, d
		e.Message = "Manage asked to wait longer than the time left for this call"
		return e
	}
	d += time.Duration(c.cfg.Jitter() * float64(min(d/10, time.Second)))
	return c.pause(ctx, cl, d)
}

func (c *Client) pause(ctx context.Context, cl *call, d time.Duration) error {
	if err := c.cfg.Sleep(ctx, d); err != nil {
		e := c.transportError(ctx, cl, err)
		if ctx.Err() == nil {
			e.Kind = KindCanceled
		}
		return e
	}
	return nil
}

// deadlineWithin reports a caller's deadline that comes before d has passed. Deadlines are
// wall-clock, so this uses the real clock whatever Config.Now is.
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}

func (c *Client) logFailure(cl *call, e *Error, retrying bool) {
	attrs := []any{"op", cl.op, "method", cl.method, "path", cl.logPath(), "kind", e.Kind,
		"status", e.Status, "attempt", e.Attempts, "request_id", e.RequestID}
	if e.Message != "" {
		attrs = append(attrs, "message", e.Message)
	} else if e.Err != nil {
		attrs = append(attrs, "err", c.redact(e.Err.Error()))
	}
	if retrying {
		c.cfg.Logger.Warn("manage: call failed, retrying", attrs...)
		return
	}
	c.cfg.Logger.Warn("manage: call failed", attrs...)
}

// decode reads a JSON answer; an unreadable one is a KindBadResponse error.
func (c *Client) decode(cl *call, r *response, v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return c.badJSON(cl, r, err)
	}
	return nil
}

func (c *Client) badJSON(cl *call, r *response, err error) *Error {
	e := c.newError(cl)
	e.Kind, e.Status, e.RequestID = KindBadResponse, r.status, r.requestID
	e.Message = "the answer is not the JSON expected: " + err.Error()
	e.Err = err
	c.cfg.Logger.Warn("manage: unreadable answer", "op", cl.op, "path", cl.logPath(),
		"status", r.status, "request_id", r.requestID, "bytes", len(r.body))
	return e
}
