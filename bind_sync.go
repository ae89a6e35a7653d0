package main

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"

	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/syncer/synclock"
	"cwm-webroot/backend/webrootconn"
)

// SyncAPI is the Sync and History pages: start a sync (or a dry run), follow its progress,
// review held changes, apply approved ones, read history and the sync settings.
type SyncAPI struct {
	app *App

	mu      sync.Mutex
	lastErr string
}

// SyncStarted is what Start answers at once; the outcome arrives as the sync:done event.
type SyncStarted struct {
	Started bool   `json:"started"`
	Message string `json:"message"`
}

// LatestResult is the newest run with its changes; Found is false before the first sync.
type LatestResult struct {
	Found  bool          `json:"found"`
	Result syncer.Result `json:"result"`
}

// service checks that a user is logged in and returns the syncer and the user's email.
func (x *SyncAPI) service() (*syncer.Syncer, string, error) {
	_, user, err := x.app.accountAPI.actor()
	if err != nil {
		return nil, "", err
	}
	return x.app.syncer, user.Email, nil
}

func (x *SyncAPI) setLastError(err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.lastErr = ""
	if err != nil {
		x.lastErr = syncErrText(err)
	}
}

// LastError is why the last Start or ApplyApproved could not be made ("" when it could).
func (x *SyncAPI) LastError() (string, error) {
	if _, _, err := x.service(); err != nil {
		return "", err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.lastErr, nil
}

func syncErrText(err error) string {
	var ce *syncer.ConnectionError
	switch {
	case errors.Is(err, synclock.ErrBusy):
		return "A sync is already running. Wait for it to finish, then try again."
	case errors.As(err, &ce):
		return ce.Error()
	case manageconn.IsConnectionFailure(err):
		return manageconn.UserMessage(err)
	case webrootconn.IsConnectionFailure(err):
		return webrootconn.UserMessage(err)
	}
	return err.Error()
}

// failed reports a run that could not be made through sync:done, unless the syncer already
// reported its ending. The event carries no run (RunID 0): the syncer's own progress may
// belong to another sync (one the schedule or the command line holds the lock for), which
// must not look ended, nor be notified twice.
func (x *SyncAPI) failed(err error, reported bool) {
	x.setLastError(err)
	if err == nil || reported {
		return
	}
	x.app.emitter.Emit(syncer.EventDone, syncer.Progress{Status: syncer.StatusFailed, Message: syncErrText(err)})
}

// trackerStarted says whether the syncer began reporting a run after since: then it also
// reports the run's end.
func trackerStarted(s *syncer.Syncer, since *time.Time) bool {
	p := s.Progress()
	return p.StartedAt != nil && (since == nil || p.StartedAt.After(*since))
}

// Start begins a sync (dryRun: plan only) in the background and returns at once.
func (x *SyncAPI) Start(dryRun bool) (SyncStarted, error) {
	s, actor, err := x.service()
	if err != nil {
		return SyncStarted{}, err
	}
	if p := s.Progress(); p.Running {
		return SyncStarted{Message: "A sync is already running. Wait for it to finish, then try again."}, nil
	}
	x.setLastError(nil)
	if err := x.app.bg.Go(func(ctx context.Context) {
		res, err := s.Sync(ctx, syncer.RunOptions{Trigger: syncer.TriggerUser, Actor: actor, DryRun: dryRun})
		x.failed(err, res.Run.ID != 0)
	}); err != nil {
		return SyncStarted{}, err
	}
	return SyncStarted{Started: true}, nil
}

// Progress is the current or last run's progress.
func (x *SyncAPI) Progress() (syncer.Progress, error) {
	s, _, err := x.service()
	if err != nil {
		return syncer.Progress{}, err
	}
	return s.Progress(), nil
}

// LatestRun is the newest run with all its changes.
func (x *SyncAPI) LatestRun() (LatestResult, error) {
	s, _, err := x.service()
	if err != nil {
		return LatestResult{}, err
	}
	run, ok, err := s.LatestRun(x.app.ctx)
	if err != nil || !ok {
		return LatestResult{}, err
	}
	res, err := s.RunResult(x.app.ctx, run.ID)
	if err != nil {
		return LatestResult{}, err
	}
	return LatestResult{Found: true, Result: res}, nil
}

// GetRun is one run with all its changes.
func (x *SyncAPI) GetRun(runID int64) (syncer.Result, error) {
	s, _, err := x.service()
	if err != nil {
		return syncer.Result{}, err
	}
	return s.RunResult(x.app.ctx, runID)
}

// Approve marks a held change for ApplyApproved.
func (x *SyncAPI) Approve(runID, additionID int64) (syncer.Change, error) {
	s, actor, err := x.service()
	if err != nil {
		return syncer.Change{}, err
	}
	return s.Approve(x.app.ctx, actor, runID, additionID)
}

// Adjust approves a held change with another quantity.
func (x *SyncAPI) Adjust(runID, additionID int64, quantity int) (syncer.Change, error) {
	s, actor, err := x.service()
	if err != nil {
		return syncer.Change{}, err
	}
	return s.Adjust(x.app.ctx, actor, runID, additionID, quantity)
}

// Skip marks a held change as not to be applied.
func (x *SyncAPI) Skip(runID, additionID int64) (syncer.Change, error) {
	s, actor, err := x.service()
	if err != nil {
		return syncer.Change{}, err
	}
	return s.Skip(x.app.ctx, actor, runID, additionID)
}

// ApproveAll approves every held change of the run and returns how many.
func (x *SyncAPI) ApproveAll(runID int64) (int, error) {
	s, actor, err := x.service()
	if err != nil {
		return 0, err
	}
	return s.ApproveAll(x.app.ctx, actor, runID)
}

// ApplyApproved applies the run's approved changes in the background; sync:done tells the end.
func (x *SyncAPI) ApplyApproved(runID int64) (SyncStarted, error) {
	s, actor, err := x.service()
	if err != nil {
		return SyncStarted{}, err
	}
	if p := s.Progress(); p.Running {
		return SyncStarted{Message: "A sync is already running. Wait for it to finish, then try again."}, nil
	}
	x.setLastError(nil)
	before := s.Progress().StartedAt
	if err := x.app.bg.Go(func(ctx context.Context) {
		_, err := s.ApplyApproved(ctx, actor, runID)
		started := trackerStarted(s, before)
		if err == nil && !started {
			// Nothing was approved (or it was all applied meanwhile): say so, or the page waits.
			x.app.emitter.Emit(syncer.EventDone, syncer.Progress{Status: syncer.StatusNoChanges, Message: "No approved changes were waiting to be applied."})
			return
		}
		x.failed(err, started)
	}); err != nil {
		return SyncStarted{}, err
	}
	return SyncStarted{Started: true}, nil
}

// Runs lists runs, newest first.
func (x *SyncAPI) Runs(q syncer.RunQuery) ([]syncer.Run, error) {
	s, _, err := x.service()
	if err != nil {
		return nil, err
	}
	return s.Runs(x.app.ctx, q)
}

// RunsPage lists one page of runs, newest first, and whether older ones follow.
func (x *SyncAPI) RunsPage(q syncer.RunQuery) (syncer.RunPage, error) {
	s, _, err := x.service()
	if err != nil {
		return syncer.RunPage{}, err
	}
	return s.RunsPage(x.app.ctx, q)
}

// Changes lists recorded changes.
func (x *SyncAPI) Changes(q syncer.ChangeQuery) ([]syncer.Change, error) {
	s, _, err := x.service()
	if err != nil {
		return nil, err
	}
	return s.Changes(x.app.ctx, q)
}

// Timeline is one addition's history across runs, newest first.
func (x *SyncAPI) Timeline(additionID int64) ([]syncer.Change, error) {
	s, _, err := x.service()
	if err != nil {
		return nil, err
	}
	return s.Timeline(x.app.ctx, additionID)
}

// ExportHistoryCSV returns the history's CSV text (every change).
func (x *SyncAPI) ExportHistoryCSV() (string, error) {
	s, _, err := x.service()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := s.WriteCSV(x.app.ctx, &b, syncer.ChangeQuery{}); err != nil {
		return "", err
	}
	return b.String(), nil
}

// SaveHistoryExport asks where to save the history's CSV and writes it; "" when the user
// cancels.
func (x *SyncAPI) SaveHistoryExport() (string, error) {
	return saveCSVExport(x.app.ctx, "Export sync history", "cwm-webroot-history.csv", x.ExportHistoryCSV)
}

// Settings are the sync's options.
func (x *SyncAPI) Settings() (syncer.Settings, error) {
	if _, _, err := x.service(); err != nil {
		return syncer.Settings{}, err
	}
	return syncer.LoadSettings(x.app.ctx, x.app.inst.Store)
}

// SaveSettings checks and saves all the sync's options, or none (errors name each field).
func (x *SyncAPI) SaveSettings(autoApply bool, reviewShare int, requestsPerMinute int) (syncer.Settings, error) {
	_, actor, err := x.service()
	if err != nil {
		return syncer.Settings{}, err
	}
	st := syncer.Settings{AutoApply: autoApply, ReviewShare: reviewShare, RequestsPerMinute: requestsPerMinute}
	if err := syncer.SaveSettings(x.app.ctx, x.app.inst.Store, actor, st); err != nil {
		return syncer.Settings{}, err
	}
	return syncer.LoadSettings(x.app.ctx, x.app.inst.Store)
}
