package background

import (
	"time"

	"cwm-webroot/backend/scheduler"
)

// scheduleAdapter shows the scheduler to the tray.
type scheduleAdapter struct{ s *scheduler.Scheduler }

// FromScheduler adapts the scheduler to what the tray needs.
func FromScheduler(s *scheduler.Scheduler) Schedule { return scheduleAdapter{s} }

func (a scheduleAdapter) TrayInfo() (on, paused bool, next *time.Time) {
	st := a.s.Status()
	return st.Enabled, st.Paused, st.NextRun
}

func (a scheduleAdapter) SetPaused(paused bool) error {
	if paused {
		return a.s.Pause()
	}
	return a.s.Resume()
}
