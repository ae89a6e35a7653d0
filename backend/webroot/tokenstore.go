package webroot

import "sync"

// TokenStore persists the newest refresh token. Webroot rotates refresh tokens: each
// refresh invalidates the previous one, so the client calls Set after every grant that
// returns one, and the app backs this with the OS keychain.
type TokenStore interface {
	// Get returns the saved refresh token, or "" and a nil error when none is saved.
	Get() (string, error)
	// Set replaces the saved refresh token.
	Set(refreshToken string) error
}

// MemoryTokenStore keeps the refresh token in memory, for tests and the demo.
type MemoryTokenStore struct {
	mu    sync.Mutex
	token string
	sets  int
}

// NewMemoryTokenStore returns a store holding initial ("" for none).
func NewMemoryTokenStore(initial string) *MemoryTokenStore {
	return &MemoryTokenStore{token: initial}
}

// Get returns the stored token.
func (m *MemoryTokenStore) Get() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.token, nil
}

// Set stores a token.
func (m *MemoryTokenStore) Set(token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.token = token
	m.sets++
	return nil
}

// Sets counts the calls to Set, so tests can check every rotation was persisted.
func (m *MemoryTokenStore) Sets() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sets
}

// TokenStoreFuncs adapts two functions (for example around the app's keychain) to a
// TokenStore.
type TokenStoreFuncs struct {
	GetFunc func() (string, error)
	SetFunc func(string) error
}

// Get calls GetFunc.
func (f TokenStoreFuncs) Get() (string, error) { return f.GetFunc() }

// Set calls SetFunc.
func (f TokenStoreFuncs) Set(token string) error { return f.SetFunc(token) }
