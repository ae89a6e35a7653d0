package webrootsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

const tokenPath = "/auth/token"

type accessGrant struct {
	scopes  []string
	expires time.Time
	revoked bool
}

type refreshGrant struct {
	scopes  []string
	expires time.Time
	revoked bool
}

// tokenState holds every token issued; guarded by Server.mu.
type tokenState struct {
	access        map[string]*accessGrant
	refresh       map[string]*refreshGrant
	issued        []string
	refuseRefresh bool
	accessTTL     time.Duration
	refreshTTL    time.Duration
	clientSecret  string
	password      string
	allowed       []string
}

func newTokenState(o Options) tokenState {
	return tokenState{access: map[string]*accessGrant{}, refresh: map[string]*refreshGrant{},
		accessTTL: o.AccessTokenTTL, refreshTTL: o.RefreshTokenTTL, clientSecret: o.ClientSecret,
		password: o.Password, allowed: append([]string(nil), o.AllowedScopes...)}
}

// handleToken implements POST /auth/token (§2.1, §9): Basic client authentication,
// password and refresh_token grants, scope required on both, rotation on refresh.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.writeTokenError(w, http.StatusMethodNotAllowed, "invalid_request", "The token endpoint only accepts POST.")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeTokenError(w, http.StatusBadRequest, "invalid_request", "The request body is not form-encoded.")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok { // the body form is allowed "only" for clients that cannot use Basic (§2.1)
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	echo := s.knobs.echoSecrets
	if id != s.opts.ClientID || secret != s.tokens.clientSecret {
		desc := "The client credentials are invalid."
		if echo {
			desc = "The client credentials are invalid: " + id + ":" + secret
		}
		s.writeTokenError(w, s.opts.ClientErrorStatus, "invalid_client", desc)
		return
	}
	grant, scope := r.PostForm.Get("grant_type"), r.PostForm.Get("scope")
	switch {
	case grant == "":
		s.writeTokenError(w, http.StatusBadRequest, "invalid_request", "The grant_type parameter is required.")
		return
	case grant != "password" && grant != "refresh_token":
		s.writeTokenError(w, http.StatusBadRequest, "unsupported_grant_type", "The grant type "+grant+" is not supported.")
		return
	case strings.TrimSpace(scope) == "":
		s.writeTokenError(w, http.StatusBadRequest, "invalid_request", "The scope parameter is required.")
		return
	}

	now := s.now()
	var base []string // scopes the grant may draw from
	var used string   // refresh token presented
	if grant == "password" {
		user, pass := r.PostForm.Get("username"), r.PostForm.Get("password")
		if !strings.EqualFold(user, s.opts.Username) || pass != s.tokens.password {
			desc := "The user name or password is incorrect."
			if echo {
				desc = "The user name or password is incorrect: " + user + " / " + pass
			}
			s.writeTokenError(w, http.StatusBadRequest, "invalid_grant", desc)
			return
		}
		base = s.tokens.allowed
	} else {
		used = r.PostForm.Get("refresh_token")
		g := s.tokens.refresh[used]
		if s.tokens.refuseRefresh || g == nil || g.revoked || !now.Before(g.expires) {
			desc := "The refresh token is invalid or has expired."
			if echo {
				desc = "The refresh token " + used + " is invalid or has expired."
			}
			s.writeTokenError(w, http.StatusBadRequest, "invalid_grant", desc)
			return
		}
		base = g.scopes
	}
	granted, ok := grantScopes(strings.Fields(scope), base)
	if !ok {
		s.writeTokenError(w, http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or exceeds what the user may be granted.")
		return
	}

	access := newToken(24)
	s.tokens.access[access] = &accessGrant{scopes: granted, expires: now.Add(s.tokens.accessTTL)}
	s.tokens.issued = append(s.tokens.issued, access)
	body := map[string]any{"access_token": access, "token_type": "Bearer",
		"expires_in": int(s.tokens.accessTTL / time.Second), "scope": s.scopeField(granted)}
	if s.opts.LowercaseTokenType {
		body["token_type"] = "bearer"
	}
	if grant == "password" || s.opts.Rotation != NoNewRefreshToken {
		rt := newToken(16)
		s.tokens.refresh[rt] = &refreshGrant{scopes: granted, expires: now.Add(s.tokens.refreshTTL)}
		s.tokens.issued = append(s.tokens.issued, rt)
		body["refresh_token"] = rt
		if used != "" && s.opts.Rotation == RotateInvalidate {
			s.tokens.refresh[used].revoked = true // "issuing a new refresh token invalidates the previous one"
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

// scopeField is "scope" as Webroot sends it: a string holding a JSON array (§2.3).
func (s *Server) scopeField(scopes []string) string {
	if s.opts.ScopeAsSpaceList {
		return strings.Join(scopes, " ")
	}
	b, _ := json.Marshal(scopes)
	return string(b)
}

// grantScopes expands the requested scopes (wildcards *, Ext.*, *.Domain) against what
// may be granted. A concrete scope that may not be granted makes the request invalid;
// a wildcard simply grants what it matches.
func grantScopes(requested, allowed []string) ([]string, bool) {
	var out []string
	for _, req := range requested {
		matched := false
		for _, a := range allowed {
			if scopeMatches(req, a) {
				matched = true
				if !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
		}
		if !matched && !strings.Contains(req, "*") {
			return nil, false
		}
	}
	if len(out) == 0 {
		return nil, false
	}
	return out, true
}

// scopeMatches reports whether pattern (possibly with wildcards) covers scope.
func scopeMatches(pattern, scope string) bool {
	if pattern == "*" || strings.EqualFold(pattern, scope) {
		return true
	}
	pe, pd, ok := strings.Cut(pattern, ".")
	se, sd, _ := strings.Cut(scope, ".")
	return ok && (pe == "*" || strings.EqualFold(pe, se)) && (pd == "*" || strings.EqualFold(pd, sd))
}

// bearer checks an API call's access token; it returns the token's scopes, or answers
// 401 invalid_token and returns false. Callers hold s.mu.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	g := s.tokens.access[strings.TrimSpace(tok)]
	if !strings.EqualFold(scheme, "Bearer") || g == nil || g.revoked || !s.now().Before(g.expires) {
		desc := "Access was denied due to invalid token."
		if s.knobs.echoSecrets && tok != "" {
			desc = "Access was denied due to invalid token " + tok + "."
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		s.writeEnvelope(w, http.StatusUnauthorized, "invalid_token", desc)
		return nil, false
	}
	return g.scopes, true
}
