package account

import (
	"context"
	"errors"
	"sync"
)

// ErrNotLoggedIn is returned by calls that need a logged-in user.
var ErrNotLoggedIn = errors.New("you are not logged in: log in again")

// Session is who is logged in to this window. It lives only in memory: quitting the app
// logs out, and the background sync never depends on it.
type Session struct {
	mu     sync.Mutex
	userID int64
}

// Start records a successful log-in.
func (s *Session) Start(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userID = u.ID
}

// End logs out.
func (s *Session) End() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userID = 0
}

// Current re-reads the logged-in user, so a user disabled or removed by an admin loses
// access at the next call instead of keeping a stale session.
func (s *Session) Current(ctx context.Context, svc *Service) (User, error) {
	s.mu.Lock()
	id := s.userID
	s.mu.Unlock()
	if id == 0 {
		return User{}, ErrNotLoggedIn
	}
	u, err := svc.User(ctx, id)
	if err != nil || u.Status != StatusActive {
		s.End()
		return User{}, ErrNotLoggedIn
	}
	return u, nil
}
