package webroot

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	grantPassword = "password"
	grantRefresh  = "refresh_token"
	tokenPath     = "/auth/token"
	// defaultAccessTTL is used when a token response omits expires_in (§2.4: 5 minutes).
	defaultAccessTTL = 300 * time.Second
	// stillUsable is the least lifetime left for a token to be used after a failed refresh.
	stillUsable = 5 * time.Second
)

// tokenManager owns the access and refresh tokens. At most one grant runs at a time: the
// first caller that finds the token stale starts a "flight", everyone else waits for its
// result, so concurrent calls never rotate the refresh token twice (§2.4).
type tokenManager struct {
	c *Client

	mu        sync.Mutex
	access    string
	refreshAt time.Time // when the access token is too close to expiry to use
	expires   time.Time // when Webroot stops accepting it
	refresh   string
	loaded    bool // refresh token read from the TokenStore
	scopes    []string
	flight    *tokenFlight
}

type tokenFlight struct {
	done   chan struct{}
	access string
	err    error
}

func newTokenManager(c *Client) *tokenManager { return &tokenManager{c: c} }

// accessToken returns a usable access token, obtaining one when needed.
func (m *tokenManager) accessToken(ctx context.Context) (string, error) {
	return m.obtain(ctx, false)
}

// signIn runs the password grant even if a token is held: "Test connection" must prove the
// credentials the user just typed.
func (m *tokenManager) signIn(ctx context.Context) error {
	_, err := m.obtain(ctx, true)
	return err
}

func (m *tokenManager) obtain(ctx context.Context, forcePassword bool) (string, error) {
	for {
		m.mu.Lock()
		if !forcePassword && m.access != "" && m.c.now().Before(m.refreshAt) {
			tok := m.access
			m.mu.Unlock()
			return tok, nil
		}
		f := m.flight
		leader := f == nil
		if leader {
			f = &tokenFlight{done: make(chan struct{})}
			m.flight = f
			// Detached from the caller's context: once Webroot has rotated the refresh token
			// the answer must be read and stored, or the old one (now invalid) is all we keep.
			go m.fly(context.WithoutCancel(ctx), f, forcePassword)
		}
		m.mu.Unlock()

		select {
		case <-f.done:
		case <-ctx.Done():
			return "", &Error{Kind: KindCanceled, Op: "signing in to Webroot", Host: m.c.host, Err: ctx.Err()}
		}
		if leader || !forcePassword {
			return f.access, f.err
		}
		// A refresh flight finished while a password sign-in was asked for: run our own.
		forcePassword = true
	}
}

func (m *tokenManager) fly(ctx context.Context, f *tokenFlight, forcePassword bool) {
	tr, err := m.fetch(ctx, forcePassword)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case err == nil:
		m.access = tr.AccessToken
		m.refreshAt = m.refreshTime(tr.ExpiresIn)
		m.expires = m.c.now().Add(tr.ExpiresIn)
		m.scopes = tr.Scopes
		f.access = tr.AccessToken
	case !forcePassword && m.access != "" && m.c.now().Add(stillUsable).Before(m.expires):
		// The early refresh failed (say Webroot is briefly down) but the current token has
		// not expired: keep working with it; the next call tries the refresh again.
		m.c.log.Warn("webroot token refresh failed; using the current token until it expires", "kind", string(KindOf(err)))
		f.access = m.access
		err = nil
	}
	f.err = err
	m.flight = nil
	close(f.done)
}

// refreshTime is when to stop using a token: RefreshMargin before expiry, but never less
// than half its lifetime, so a short-lived token is not refreshed in a loop.
func (m *tokenManager) refreshTime(ttl time.Duration) time.Time {
	use := ttl - m.c.cfg.RefreshMargin
	if use < ttl/2 {
		use = ttl / 2
	}
	return m.c.now().Add(use)
}

// fetch runs §2.4's flow: refresh grant when a refresh token is held; if Webroot refuses
// it (400/401), the password grant once.
func (m *tokenManager) fetch(ctx context.Context, forcePassword bool) (*tokenResponse, error) {
	if !forcePassword {
		if rt := m.currentRefresh(); rt != "" {
			tr, err := m.grant(ctx, grantRefresh, rt)
			if err == nil {
				return tr, nil
			}
			if !refusedGrant(err) {
				return nil, err
			}
			m.c.log.Info("webroot refused the refresh token; signing in again with the password", "kind", string(KindOf(err)))
		}
	}
	return m.grant(ctx, grantPassword, "")
}

// refusedGrant: the token endpoint answered with a 4xx, as opposed to being unreachable.
func refusedGrant(err error) bool {
	e, ok := err.(*Error)
	return ok && e.Status >= 400 && e.Status < 500 && e.Kind != KindThrottled
}

func (m *tokenManager) currentRefresh() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		m.loaded = true
		rt, err := m.c.cfg.Tokens.Get()
		if err != nil {
			m.c.log.Warn("could not read the saved Webroot refresh token; signing in with the password", "error", err.Error())
		}
		m.refresh = rt
		m.c.redactor.addToken(rt)
	}
	return m.refresh
}

// invalidate drops the access token a request was refused with, unless another caller
// has already replaced it (then the refused token is not ours to drop).
func (m *tokenManager) invalidate(tok string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.access == tok {
		m.access = ""
		m.refreshAt, m.expires = time.Time{}, time.Time{}
	}
}

// grantedScopes is the scope list of the current token, as Webroot reported it.
func (m *tokenManager) grantedScopes() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.scopes...)
}

// grant sends one token request and keeps the newest refresh token (§2.4: rotation
// invalidates the previous one, so it is persisted before anything else can fail).
func (m *tokenManager) grant(ctx context.Context, grantType, refreshToken string) (*tokenResponse, error) {
	c := m.c
	form := map[string]string{"grant_type": grantType, "scope": c.scope}
	op := "signing in to Webroot"
	if grantType == grantPassword {
		form["username"] = c.cfg.Username
		form["password"] = c.cfg.Password
	} else {
		form["refresh_token"] = refreshToken
		op = "refreshing the Webroot access token"
	}
	rq := &request{op: op, method: http.MethodPost, path: tokenPath, form: form, basic: true}
	resp, err := c.roundTrip(ctx, rq)
	if err != nil {
		return nil, err
	}
	if resp.status/100 != 2 {
		e := c.statusError(rq, resp)
		e.Kind = tokenFailureKind(resp.status, apiFailure{Code: e.Code, Description: e.Description}, grantType)
		if e.Kind == KindScopeMissing {
			e.Scope = c.scope
		}
		c.log.Warn("webroot token request refused", "grant", grantType, "status", resp.status, "code", e.Code,
			"reason", e.Description, "kind", string(e.Kind), "request_id", e.RequestID)
		return nil, e
	}
	tr, err := parseTokenResponse(resp.body)
	if err != nil {
		// Never quote the body: it may hold a token.
		return nil, &Error{Kind: KindBadResponse, Op: op, Host: c.host, Status: resp.status, Attempts: resp.attempts, Err: err}
	}
	c.redactor.addToken(tr.AccessToken)
	c.redactor.addToken(tr.RefreshToken)
	m.keepRefresh(tr.RefreshToken)
	c.log.Info("webroot token obtained", "grant", grantType, "expires_in", tr.ExpiresIn, "scopes", strings.Join(tr.Scopes, " "),
		"refresh_token_rotated", tr.RefreshToken != "")
	return tr, nil
}

func (m *tokenManager) keepRefresh(rt string) {
	if rt == "" {
		return // no new refresh token issued: the current one stays valid
	}
	m.mu.Lock()
	changed := rt != m.refresh
	m.refresh = rt
	m.loaded = true
	m.mu.Unlock()
	if changed {
		if err := m.c.cfg.Tokens.Set(rt); err != nil {
			m.c.log.Warn("could not save the new Webroot refresh token; the next start signs in with the password", "error", err.Error())
		}
	}
}
