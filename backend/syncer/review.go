package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer/synclock"
)

// Review errors, in words the user can act on.
var (
	ErrSuperseded    = errors.New("a newer sync replaced this plan: review the changes of the latest sync")
	ErrDryRunPlan    = errors.New("a dry run's plan cannot be applied: run Sync now, then review its changes")
	ErrRunInProgress = errors.New("this sync is still running: wait for it to finish")
	ErrNotReviewable = errors.New("this change is not waiting for review")
	ErrChangeMissing = errors.New("this addition is not in that sync's plan")
)

// FieldQuantity labels the adjusted quantity in errors.
const FieldQuantity = "Quantity"

// MaxQuantity bounds an adjusted quantity: far above any real seat count, it catches a
// mistyped number before it reaches an invoice.
const MaxQuantity = 1_000_000

// Audit-log actions of review decisions.
const (
	AuditApproved = "sync.change.approved"
	AuditAdjusted = "sync.change.adjusted"
	AuditSkipped  = "sync.change.skipped"
)

// Approve marks a held change of the latest sync for ApplyApproved.
func (s *Syncer) Approve(ctx context.Context, actor string, runID, additionID int64) (Change, error) {
	return s.decide(ctx, actor, runID, additionID, StateApproved, nil)
}

// Adjust approves a held change with another quantity than the plan's.
func (s *Syncer) Adjust(ctx context.Context, actor string, runID, additionID int64, quantity int) (Change, error) {
	if quantity < 0 || quantity > MaxQuantity {
		return Change{}, apperr.FieldError{Field: FieldQuantity, Message: fmt.Sprintf("Enter a whole number between 0 and %d.", MaxQuantity)}
	}
	return s.decide(ctx, actor, runID, additionID, StateApproved, &quantity)
}

// Skip marks a held change as not to be applied.
func (s *Syncer) Skip(ctx context.Context, actor string, runID, additionID int64) (Change, error) {
	return s.decide(ctx, actor, runID, additionID, StateSkipped, nil)
}

// ApproveAll approves every held change of the latest sync and returns how many.
func (s *Syncer) ApproveAll(ctx context.Context, actor string, runID int64) (int, error) {
	var n int64
	err := s.st.Tx(ctx, func(tx *sql.Tx) error {
		if err := reviewable(ctx, tx, runID); err != nil {
			return err
		}
		now := fmtTime(s.opts.Now())
		res, err := tx.ExecContext(ctx, `UPDATE sync_changes SET state = ?, decided_by = ?, decided_at = ?, updated_at = ?
			WHERE run_id = ? AND state = ?`, StateApproved, actor, now, now, runID, StateHeld)
		if err != nil {
			return fmt.Errorf("approving the changes of sync #%d: %w", runID, err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return store.Audit(ctx, tx, s.opts.Now(), actor, AuditApproved, fmt.Sprintf("sync #%d: all %d held changes", runID, n))
	})
	return int(n), err
}

// decide records one review decision, with an audit entry, in one transaction.
func (s *Syncer) decide(ctx context.Context, actor string, runID, additionID int64, state string, quantity *int) (Change, error) {
	err := s.st.Tx(ctx, func(tx *sql.Tx) error {
		if err := reviewable(ctx, tx, runID); err != nil {
			return err
		}
		var cur, plan string
		var proposed int
		err := tx.QueryRowContext(ctx, `SELECT state, plan, proposed_qty FROM sync_changes WHERE run_id = ? AND addition_id = ?`,
			runID, additionID).Scan(&cur, &plan, &proposed)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("addition %d, sync #%d: %w", additionID, runID, ErrChangeMissing)
		}
		if err != nil {
			return fmt.Errorf("reading addition %d of sync #%d: %w", additionID, runID, err)
		}
		if (plan != PlanChange && plan != PlanNeedsReview) || (cur != StateHeld && cur != StateApproved && cur != StateSkipped) {
			return fmt.Errorf("addition %d is %s: %w", additionID, cur, ErrNotReviewable)
		}
		after, action, detail := proposed, AuditApproved, fmt.Sprintf("sync #%d, addition %d", runID, additionID)
		switch {
		case quantity != nil:
			after, action = *quantity, AuditAdjusted
			detail += fmt.Sprintf(": quantity %d instead of %d", after, proposed)
		case state == StateSkipped:
			action = AuditSkipped
		}
		now := fmtTime(s.opts.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE sync_changes SET state = ?, after_qty = ?, adjusted = ?, decided_by = ?,
			decided_at = ?, updated_at = ? WHERE run_id = ? AND addition_id = ?`,
			state, after, boolInt(after != proposed), actor, now, now, runID, additionID); err != nil {
			return fmt.Errorf("recording the decision on addition %d: %w", additionID, err)
		}
		return store.Audit(ctx, tx, s.opts.Now(), actor, action, detail)
	})
	if err != nil {
		return Change{}, err
	}
	cs, err := s.Changes(ctx, ChangeQuery{RunID: runID, AdditionID: additionID})
	if err != nil || len(cs) == 0 {
		return Change{}, errors.Join(err, ErrChangeMissing)
	}
	return cs[0], nil
}

// reviewable checks that a run's plan may still be decided on and applied: finished, not
// a dry run, and the newest real run (an older plan was made from older counts).
func reviewable(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, runID int64) error {
	var status string
	var dry int
	err := q.QueryRowContext(ctx, `SELECT status, dry_run FROM sync_runs WHERE id = ?`, runID).Scan(&status, &dry)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sync #%d: %w", runID, ErrRunNotFound)
	}
	if err != nil {
		return fmt.Errorf("reading sync #%d: %w", runID, err)
	}
	switch {
	case dry == 1:
		return ErrDryRunPlan
	case status == StatusPlanning || status == StatusApplying:
		return ErrRunInProgress
	}
	var newer int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sync_runs WHERE id > ? AND dry_run = 0`, runID).Scan(&newer); err != nil {
		return fmt.Errorf("reading the sync history: %w", err)
	}
	if newer > 0 {
		return ErrSuperseded
	}
	return nil
}

// ApplyApproved applies the approved changes of the latest sync, under the sync lock and
// with the same records and pacing as a run, then brings the run's status up to date.
func (s *Syncer) ApplyApproved(ctx context.Context, actor string, runID int64) (Result, error) {
	set, err := LoadSettings(ctx, s.st)
	if err != nil {
		return Result{}, err
	}
	started := s.opts.Now()
	lock, err := synclock.Acquire(s.opts.LockDir, synclock.Holder{StartedAt: started, By: actor, PID: os.Getpid()})
	if err != nil {
		return Result{}, err
	}
	defer lock.Release()
	dbctx := context.WithoutCancel(ctx)
	run, err := s.GetRun(ctx, runID)
	if err != nil {
		return Result{}, err
	}
	w := &work{s: s, run: &run, set: set}
	// No run is in progress while we hold the lock, this one included: settle everything
	// left open, in any run.
	open, err := s.rec.openChanges(dbctx, 0)
	if err != nil {
		return Result{}, err
	}
	if err := s.settleBeforeApply(ctx, w, open); err != nil {
		return Result{}, err
	}
	if err := reviewable(ctx, s.st.DB, runID); err != nil {
		return Result{}, err
	}
	approved, err := s.Changes(ctx, ChangeQuery{RunID: runID, State: StateApproved})
	if err != nil {
		return Result{}, err
	}
	if len(approved) == 0 {
		return s.RunResult(ctx, runID)
	}
	s.track.start(Progress{Running: true, RunID: runID, Trigger: run.Trigger, Actor: actor, Phase: PhaseApplying,
		StartedAt: &started, ToApply: len(approved)})
	if err := w.connect(ctx); err != nil {
		s.track.finish(func(p *Progress) { p.Status, p.Message = run.Status, runMessage(err) })
		return Result{}, err
	}
	if err := s.rec.setRunStatus(dbctx, runID, StatusApplying); err != nil {
		s.track.finish(func(p *Progress) { p.Status, p.Message = run.Status, runMessage(err) })
		return Result{}, err
	}
	s.opts.Logger.Info("sync: applying approved changes", "run", runID, "changes", len(approved), "by", actor)
	todo := make([]*Change, len(approved))
	for i := range approved {
		todo[i] = &approved[i]
	}
	applyErr := w.apply(ctx, todo)
	requests, throttled := w.counters()
	status, err := s.rec.finishRun(dbctx, runID, "", s.opts.Now(), requests, throttled)
	s.track.finish(func(p *Progress) { p.Status, p.Message = status, w.message })
	res, rerr := s.RunResult(dbctx, runID)
	return res, errors.Join(applyErr, err, rerr)
}

// settleBeforeApply settles changes an interrupted run left open, reading only the
// agreements whose changes may have been sent.
func (s *Syncer) settleBeforeApply(ctx context.Context, w *work, open []Change) error {
	reads := map[int64]agreementRead{}
	for _, c := range open {
		if c.State != StateApplying {
			continue
		}
		if _, done := reads[c.AgreementID]; done {
			continue
		}
		if err := w.connect(ctx); err != nil {
			return err
		}
		adds, err := w.client.ListAdditions(ctx, int(c.AgreementID), additionsQuery())
		r := agreementRead{err: err, additions: map[int64]manage.Addition{}}
		for _, a := range adds {
			r.additions[int64(a.ID)] = a
		}
		reads[c.AgreementID] = r
	}
	return w.reconcile(context.WithoutCancel(ctx), open, reads, 0)
}
