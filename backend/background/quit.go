package background

// Quitting while a sync runs is safe (the sync records where it stopped and the next run
// finishes it), but a billing person who chose Quit mid-sync usually wants the sync to
// finish. So the app asks, and one of the answers is "quit when the sync finishes".

// QuitWhenIdle calls quit once no sync runs: at once when none does, otherwise when the
// running one ends (then on a goroutine of its own). It reports whether it is waiting. KeepRunning takes it back.
func (s *Service) QuitWhenIdle(quit func()) (waiting bool) {
	s.mu.Lock()
	s.pendingQuit = quit
	s.mu.Unlock()
	s.requestRefresh() // the tray says so
	// The sync may have ended between the caller's look and now, with nobody left to see
	// its end event: checking after arming covers that, and quit is taken only once.
	if quit := s.takeQuitIfIdle(); quit != nil {
		quit()
		return false
	}
	return true
}

// QuitPending says whether QuitWhenIdle is waiting for a sync to end.
func (s *Service) QuitPending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pendingQuit != nil
}

// KeepRunning cancels a QuitWhenIdle still waiting.
func (s *Service) KeepRunning() {
	s.mu.Lock()
	s.pendingQuit = nil
	s.mu.Unlock()
	s.requestRefresh()
}

// takeQuitIfIdle hands over a pending quit when no sync runs. A run-less sync:done (a
// sync refused while another runs) gets here too, hence the look at Running.
func (s *Service) takeQuitIfIdle() func() {
	if s.o.Syncer.Progress().Running {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	quit := s.pendingQuit
	s.pendingQuit = nil
	return quit
}
