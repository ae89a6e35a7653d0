package webrootsim

import "time"

// Token knobs and inspection.

// ExpireAccessTokens makes every access token issued so far expired, as if time passed.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for _, g := range s.tokens.access {
		g.expires = past
	}
}

// RevokeAllTokens revokes every access and refresh token (a console password change does
// this, §2.4).
func (s *Server) RevokeAllTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.tokens.access {
		g.revoked = true
	}
	for _, g := range s.tokens.refresh {
		g.revoked = true
	}
}

// RefuseRefreshTokens makes every refresh grant fail with invalid_grant while on.
func (s *Server) RefuseRefreshTokens(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens.refuseRefresh = on
}

// SetTokenLifetimes changes the lifetimes of tokens issued from now on.
func (s *Server) SetTokenLifetimes(access, refresh time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if access > 0 {
		s.tokens.accessTTL = access
	}
	if refresh > 0 {
		s.tokens.refreshTTL = refresh
	}
}

// SetPassword changes the console password and revokes every token, as Webroot does.
func (s *Server) SetPassword(p string) {
	s.mu.Lock()
	s.tokens.password = p
	s.mu.Unlock()
	s.RevokeAllTokens()
}

// SetClientSecret replaces the API client's secret.
func (s *Server) SetClientSecret(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens.clientSecret = secret
}

// SetAllowedScopes changes the scopes the user may be granted from now on.
func (s *Server) SetAllowedScopes(scopes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens.allowed = append([]string(nil), scopes...)
}

// IssuedTokens returns every access and refresh token issued so far, for tests that
// check none leaks into logs or errors.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens.issued...)
}

// RefreshTokenValid reports whether a refresh grant with t would succeed now.
func (s *Server) RefreshTokenValid(t string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.tokens.refresh[t]
	return g != nil && !g.revoked && !s.tokens.refuseRefresh && s.now().Before(g.expires)
}

// AccessTokenValid reports whether an API call with t would be accepted now.
func (s *Server) AccessTokenValid(t string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.tokens.access[t]
	return g != nil && !g.revoked && s.now().Before(g.expires)
}
