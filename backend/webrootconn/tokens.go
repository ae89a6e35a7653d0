package webrootconn

import (
	"errors"

	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/webroot"
)

// KeychainTokens keeps Webroot's rotating refresh token in the keychain under
// secrets.WebrootRefreshToken, so every rotation survives a restart and the command line and
// the window share one token.
func KeychainTokens(s secrets.Store) webroot.TokenStore {
	return webroot.TokenStoreFuncs{
		GetFunc: func() (string, error) {
			v, err := s.Get(secrets.WebrootRefreshToken)
			if errors.Is(err, secrets.ErrNotFound) {
				return "", nil
			}
			return v, err
		},
		SetFunc: func(token string) error {
			if token == "" {
				return s.Delete(secrets.WebrootRefreshToken)
			}
			return s.Set(secrets.WebrootRefreshToken, token)
		},
	}
}
