package syncer

import (
	"database/sql"
	"encoding/json"
	"fmt"
)

const runColumns = `r.id, r.trigger, r.actor, r.dry_run, r.include_held, r.auto_apply, r.status, r.message,
	r.started_at, r.planned_at, r.finished_at, r.review_share, r.requests_per_minute, r.requests, r.throttled,
	r.reconciled_by`

type scanner interface {
	Scan(dest ...any) error
}

func scanRun(s scanner) (Run, error) {
	var r Run
	var trig, started string
	var planned, finished sql.NullString
	var reconciled sql.NullInt64
	var dry, held, auto int
	err := s.Scan(&r.ID, &trig, &r.Actor, &dry, &held, &auto, &r.Status, &r.Message, &started, &planned, &finished,
		&r.ReviewShare, &r.RequestsPerMinute, &r.Requests, &r.Throttled, &reconciled)
	if err != nil {
		return r, fmt.Errorf("reading a sync run: %w", err)
	}
	r.Trigger, r.DryRun, r.IncludeHeld, r.AutoApply = Trigger(trig), dry == 1, held == 1, auto == 1
	if r.StartedAt, err = parseTime(started); err != nil {
		return r, fmt.Errorf("sync %d has a bad start time: %w", r.ID, err)
	}
	if r.PlannedAt, err = parseNullTime(planned); err != nil {
		return r, fmt.Errorf("sync %d has a bad plan time: %w", r.ID, err)
	}
	if r.FinishedAt, err = parseNullTime(finished); err != nil {
		return r, fmt.Errorf("sync %d has a bad end time: %w", r.ID, err)
	}
	if reconciled.Valid {
		id := reconciled.Int64
		r.ReconciledBy = &id
	}
	return r, nil
}

const changeColumns = `c.id, c.run_id, c.addition_id, c.agreement_id, c.company_id, c.company_name, c.agreement_name,
	c.product, c.product_identifier, c.basis, c.sites, c.before_qty, c.proposed_qty, c.after_qty,
	c.less_included_before, c.less_included, c.minimum, c.unit_price, c.plan, c.state, c.reason, c.message, c.request_id,
	c.adjusted, c.decided_by, c.decided_at, c.attempted_at, c.finished_at, c.updated_at`

func scanChange(s scanner) (Change, error) {
	var c Change
	var sites, updated string
	var before, lessBefore, unitPrice sql.NullFloat64
	var less, minimum sql.NullInt64
	var decided, attempted, finished sql.NullString
	var adjusted int
	err := s.Scan(&c.ID, &c.RunID, &c.AdditionID, &c.AgreementID, &c.CompanyID, &c.CompanyName, &c.AgreementName,
		&c.Product, &c.ProductIdentifier, &c.Basis, &sites, &before, &c.Proposed, &c.After, &lessBefore, &less,
		&minimum, &unitPrice, &c.Plan, &c.State, &c.Reason, &c.Message, &c.RequestID, &adjusted, &c.DecidedBy, &decided,
		&attempted, &finished, &updated)
	if err != nil {
		return c, fmt.Errorf("reading a sync change: %w", err)
	}
	c.Adjusted = adjusted == 1
	if err := json.Unmarshal([]byte(sites), &c.Sites); err != nil {
		return c, fmt.Errorf("change %d has unreadable sites: %w", c.ID, err)
	}
	if before.Valid {
		c.Before = &before.Float64
	}
	if lessBefore.Valid {
		c.LessIncludedBefore = &lessBefore.Float64
	}
	if unitPrice.Valid {
		c.UnitPrice = &unitPrice.Float64
	}
	if less.Valid {
		n := int(less.Int64)
		c.LessIncluded = &n
	}
	if minimum.Valid {
		n := int(minimum.Int64)
		c.Minimum = &n
	}
	if c.DecidedAt, err = parseNullTime(decided); err != nil {
		return c, err
	}
	if c.AttemptedAt, err = parseNullTime(attempted); err != nil {
		return c, err
	}
	if c.FinishedAt, err = parseNullTime(finished); err != nil {
		return c, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return c, fmt.Errorf("change %d has a bad time: %w", c.ID, err)
	}
	return c, nil
}
