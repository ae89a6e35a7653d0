package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"cwm-webroot/backend/store"
)

// timeFormat has a fixed width so stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

func parseNullTime(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid || ns.String == "" {
		return nil, nil
	}
	t, err := parseTime(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// records writes runs and changes. Every method commits before it returns, so what it
// wrote survives the process being killed right after.
type records struct {
	st *store.Store
}

func (r records) insertRun(ctx context.Context, run Run, pid int) (int64, error) {
	res, err := r.st.DB.ExecContext(ctx, `INSERT INTO sync_runs(trigger, actor, dry_run, include_held, auto_apply, status,
		started_at, pid, review_share, requests_per_minute) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(run.Trigger), run.Actor, boolInt(run.DryRun), boolInt(run.IncludeHeld), boolInt(run.AutoApply),
		StatusPlanning, fmtTime(run.StartedAt), pid, run.ReviewShare, run.RequestsPerMinute)
	if err != nil {
		return 0, fmt.Errorf("recording the start of the sync: %w", err)
	}
	return res.LastInsertId()
}

// savePlan stores every planned change and moves the run on, in one transaction: the plan is
// recorded whole or not at all.
func (r records) savePlan(ctx context.Context, runID int64, changes []Change, status string, at time.Time) error {
	return r.st.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO sync_changes(run_id, addition_id, agreement_id, company_id,
			company_name, agreement_name, product, product_identifier, basis, sites, before_qty, proposed_qty, after_qty,
			less_included_before, less_included, minimum, unit_price, plan, state, reason, message, updated_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("recording the plan: %w", err)
		}
		defer stmt.Close()
		for i := range changes {
			c := &changes[i]
			sites, err := json.Marshal(c.Sites)
			if err != nil {
				return fmt.Errorf("recording the plan: %w", err)
			}
			res, err := stmt.ExecContext(ctx, runID, c.AdditionID, c.AgreementID, c.CompanyID, c.CompanyName,
				c.AgreementName, c.Product, c.ProductIdentifier, c.Basis, string(sites), nullFloat(c.Before),
				c.Proposed, c.After, nullFloat(c.LessIncludedBefore), nullInt(c.LessIncluded), nullInt(c.Minimum),
				nullFloat(c.UnitPrice), c.Plan, c.State, c.Reason, c.Message, fmtTime(at))
			if err != nil {
				return fmt.Errorf("recording the plan for addition %d: %w", c.AdditionID, err)
			}
			if c.ID, err = res.LastInsertId(); err != nil {
				return err
			}
			c.RunID, c.UpdatedAt = runID, at
		}
		_, err = tx.ExecContext(ctx, `UPDATE sync_runs SET status = ?, planned_at = ? WHERE id = ?`, status, fmtTime(at), runID)
		if err != nil {
			return fmt.Errorf("recording the plan: %w", err)
		}
		return nil
	})
}

// markApplying records that a change's PATCH is about to be sent. It only moves a change
// that is still waiting (pending or approved), so a change can never be sent twice.
func (r records) markApplying(ctx context.Context, changeID int64, at time.Time) (bool, error) {
	res, err := r.st.DB.ExecContext(ctx, `UPDATE sync_changes SET state = ?, attempted_at = ?, updated_at = ?
		WHERE id = ? AND state IN (?, ?)`, StateApplying, fmtTime(at), fmtTime(at), changeID, StatePending, StateApproved)
	if err != nil {
		return false, fmt.Errorf("recording change %d as applying: %w", changeID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// markOutcome records how a change ended.
func (r records) markOutcome(ctx context.Context, changeID int64, state, message, requestID string, at time.Time) error {
	_, err := r.st.DB.ExecContext(ctx, `UPDATE sync_changes SET state = ?, message = ?, request_id = ?, finished_at = ?,
		updated_at = ? WHERE id = ?`, state, message, requestID, fmtTime(at), fmtTime(at), changeID)
	if err != nil {
		return fmt.Errorf("recording the outcome of change %d: %w", changeID, err)
	}
	return nil
}

// setRunStatus moves a run to a status, e.g. applying when approved changes are applied.
func (r records) setRunStatus(ctx context.Context, runID int64, status string) error {
	_, err := r.st.DB.ExecContext(ctx, `UPDATE sync_runs SET status = ? WHERE id = ?`, status, runID)
	if err != nil {
		return fmt.Errorf("recording sync %d as %s: %w", runID, status, err)
	}
	return nil
}

// finishRun records a run's outcome from its changes' states and returns it. message is
// kept when the caller has none (a later ApplyApproved keeps the run's original message).
func (r records) finishRun(ctx context.Context, runID int64, message string, at time.Time, requests, throttled int64) (string, error) {
	counts, err := r.counts(ctx, runID)
	if err != nil {
		return "", err
	}
	status := counts.finalStatus()
	_, err = r.st.DB.ExecContext(ctx, `UPDATE sync_runs SET status = ?, message = CASE WHEN ? = '' THEN message ELSE ? END,
		finished_at = ?, requests = requests + ?, throttled = throttled + ? WHERE id = ?`,
		status, message, message, fmtTime(at), requests, throttled, runID)
	if err != nil {
		return "", fmt.Errorf("recording the end of sync %d: %w", runID, err)
	}
	return status, nil
}

// failRun records a run that could not make its plan.
func (r records) failRun(ctx context.Context, runID int64, message string, at time.Time, requests, throttled int64) error {
	_, err := r.st.DB.ExecContext(ctx, `UPDATE sync_runs SET status = ?, message = ?, finished_at = ?, requests = requests + ?,
		throttled = throttled + ? WHERE id = ?`, StatusFailed, message, fmtTime(at), requests, throttled, runID)
	if err != nil {
		return fmt.Errorf("recording the failure of sync %d: %w", runID, err)
	}
	return nil
}

func (r records) counts(ctx context.Context, runID int64) (Counts, error) {
	var c Counts
	rows, err := r.st.DB.QueryContext(ctx, `SELECT state, COUNT(*) FROM sync_changes WHERE run_id = ? GROUP BY state`, runID)
	if err != nil {
		return c, fmt.Errorf("counting the changes of sync %d: %w", runID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return c, err
		}
		c.add(state, n)
	}
	return c, rows.Err()
}
