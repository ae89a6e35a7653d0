package syncer

import (
	"context"
	"fmt"

	"cwm-webroot/backend/manage"
)

// openChanges returns the changes of other runs still pending or applying: left behind by
// a process that stopped mid-run (the sync lock proves none is running now).
func (r records) openChanges(ctx context.Context, currentRun int64) ([]Change, error) {
	rows, err := r.st.DB.QueryContext(ctx, `SELECT `+changeColumns+` FROM sync_changes c
		WHERE c.state IN (?, ?) AND c.run_id != ? ORDER BY c.id`, StatePending, StateApplying, currentRun)
	if err != nil {
		return nil, fmt.Errorf("looking for interrupted syncs: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// interruptedRuns lists runs other than current left in planning or applying.
func (r records) interruptedRuns(ctx context.Context, currentRun int64) ([]int64, error) {
	rows, err := r.st.DB.QueryContext(ctx, `SELECT id FROM sync_runs WHERE status IN (?, ?) AND id != ? ORDER BY id`,
		StatusPlanning, StatusApplying, currentRun)
	if err != nil {
		return nil, fmt.Errorf("looking for interrupted syncs: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// reconcile settles what interrupted runs left open, from what Manage holds now (reads).
// A change whose PATCH may have been sent is applied when the addition already holds its
// target, so it is never sent again; otherwise it is recorded as interrupted and this run's
// fresh plan takes it over. Then each interrupted run gets its final status.
//
// exclude is the run in progress, whose own rows are not left over from anything.
func (w *work) reconcile(dbctx context.Context, open []Change, reads map[int64]agreementRead, exclude int64) error {
	rec, now, me := w.s.rec, w.s.opts.Now(), w.run.ID
	for _, c := range open {
		state, msg := settle(c, reads, me)
		if err := rec.markOutcome(dbctx, c.ID, state, msg, c.RequestID, now); err != nil {
			return err
		}
	}
	runs, err := rec.interruptedRuns(dbctx, exclude)
	if err != nil {
		return err
	}
	for _, id := range runs {
		counts, err := rec.counts(dbctx, id)
		if err != nil {
			return err
		}
		if counts.Total == 0 {
			msg := fmt.Sprintf("Interrupted while planning: the app stopped before the plan was complete; nothing was applied. Sync #%d took over.", me)
			err = rec.failRun(dbctx, id, msg, now, 0, 0)
		} else {
			msg := fmt.Sprintf("Interrupted: the app stopped during this sync; sync #%d settled what it left open.", me)
			_, err = rec.finishRun(dbctx, id, msg, now, 0, 0)
		}
		if err != nil {
			return err
		}
		if id == me {
			continue // an interrupted ApplyApproved, settled by the next one on the same run
		}
		if _, err := w.s.st.DB.ExecContext(dbctx, `UPDATE sync_runs SET reconciled_by = ? WHERE id = ?`, me, id); err != nil {
			return fmt.Errorf("recording sync %d as settled: %w", id, err)
		}
		w.s.opts.Logger.Info("sync: settled an interrupted run", "run", id, "by", me)
	}
	return nil
}

// settle decides an open change's final state from the addition's current values.
func settle(c Change, reads map[int64]agreementRead, by int64) (state, message string) {
	if c.State == StatePending {
		return StateInterrupted, fmt.Sprintf("Not sent: the app stopped before applying it; sync #%d planned afresh.", by)
	}
	read, ok := reads[c.AgreementID]
	if !ok || read.err != nil {
		why := "it was not read again"
		if ok {
			why = "reading it again failed: " + userMessage(read.err)
		}
		return StateInterrupted, fmt.Sprintf("Unknown whether ConnectWise applied it: the app stopped before ConnectWise answered and %s.", why)
	}
	a, ok := read.additions[c.AdditionID]
	if !ok {
		return StateInterrupted, fmt.Sprintf("Unknown whether ConnectWise applied it: the app stopped before ConnectWise answered and the addition is gone (checked by sync #%d).", by)
	}
	if holdsTarget(a, c) {
		return StateApplied, fmt.Sprintf("Applied: the app stopped before ConnectWise's answer arrived; sync #%d found the addition at %d.", by, c.After)
	}
	return StateInterrupted, fmt.Sprintf("Not applied: the app stopped before ConnectWise confirmed it (the addition holds %s); sync #%d planned afresh.",
		fmtQty(a.QuantityValue()), by)
}

// holdsTarget reports an addition already at a change's target values.
func holdsTarget(a manage.Addition, c Change) bool {
	if a.Quantity == nil || !sameQty(*a.Quantity, float64(c.After)) {
		return false
	}
	if c.LessIncluded == nil {
		return true
	}
	return a.LessIncluded != nil && sameQty(*a.LessIncluded, float64(*c.LessIncluded))
}
