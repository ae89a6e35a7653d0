package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"cwm-webroot/backend/store"
)

// History reads recorded runs and changes. It needs no connection, so the command line's
// `history` and the History page use it on their own.
type History struct {
	st *store.Store
}

// NewHistory returns the history of an opened installation.
func NewHistory(st *store.Store) *History { return &History{st: st} }

// ErrRunNotFound is a run id that is not in history.
var ErrRunNotFound = errors.New("this sync is not in the history")

// RunQuery narrows Runs.
type RunQuery struct {
	// Search matches the actor, the run's message, and any of its changes (see ChangeQuery).
	Search  string  `json:"search"`
	Trigger Trigger `json:"trigger"`
	Status  string  `json:"status"`
	// RealOnly leaves dry runs out.
	RealOnly bool `json:"realOnly"`
	// Limit caps the answer [50]; Offset skips the newest runs, for paging.
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
	// BeforeID, when set, lists only runs older than this one: the next page after a page
	// that ended with it, unaffected by runs that start in between (unlike Offset).
	BeforeID int64 `json:"beforeId"`
}

// RunPage is one page of runs, newest first; More says older runs follow (ask for them with
// BeforeID set to the last run's id).
type RunPage struct {
	Runs []Run `json:"runs"`
	More bool  `json:"more"`
}

// RunsPage lists one page of runs (Limit of them [50]) and whether more follow.
func (h *History) RunsPage(ctx context.Context, q RunQuery) (RunPage, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	want := q.Limit
	q.Limit++ // one more tells whether there are more
	runs, err := h.Runs(ctx, q)
	if err != nil {
		return RunPage{}, err
	}
	var page RunPage
	page.Runs, page.More = store.TrimPage(runs, want)
	return page, nil
}

// ChangeQuery narrows Changes and the CSV export.
type ChangeQuery struct {
	RunID      int64 `json:"runId"`
	AdditionID int64 `json:"additionId"`
	// Search matches company and agreement names, product, sites (ids and names), reason,
	// message and state, and ids written in full.
	Search string `json:"search"`
	State  string `json:"state"`
	// Limit caps the answer (0: no limit); Offset skips rows, for paging.
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// changeMatch is the search condition on sync_changes c, with its arguments.
func changeMatch(search string) (string, []any) {
	p := store.LikePattern(strings.TrimSpace(search))
	cond := `(c.company_name LIKE ? ESCAPE '\' OR c.agreement_name LIKE ? ESCAPE '\' OR c.product LIKE ? ESCAPE '\'
		OR c.product_identifier LIKE ? ESCAPE '\' OR c.sites LIKE ? ESCAPE '\' OR c.reason LIKE ? ESCAPE '\'
		OR c.message LIKE ? ESCAPE '\' OR c.state = ? OR CAST(c.addition_id AS TEXT) = ?
		OR CAST(c.agreement_id AS TEXT) = ? OR CAST(c.company_id AS TEXT) = ? OR c.request_id = ?)`
	t := strings.TrimSpace(search)
	return cond, []any{p, p, p, p, p, p, p, t, t, t, t, t}
}

// Runs lists runs, newest first, with their counts.
func (h *History) Runs(ctx context.Context, q RunQuery) ([]Run, error) {
	where := []string{"1=1"}
	var args []any
	if q.Search != "" {
		cond, cargs := changeMatch(q.Search)
		p := store.LikePattern(strings.TrimSpace(q.Search))
		where = append(where, `(r.actor LIKE ? ESCAPE '\' OR r.message LIKE ? ESCAPE '\' OR r.status = ? OR CAST(r.id AS TEXT) = ?
			OR EXISTS (SELECT 1 FROM sync_changes c WHERE c.run_id = r.id AND `+cond+`))`)
		args = append(append(args, p, p, strings.TrimSpace(q.Search), strings.TrimSpace(q.Search)), cargs...)
	}
	if q.Trigger != "" {
		where, args = append(where, "r.trigger = ?"), append(args, string(q.Trigger))
	}
	if q.Status != "" {
		where, args = append(where, "r.status = ?"), append(args, q.Status)
	}
	if q.RealOnly {
		where = append(where, "r.dry_run = 0")
	}
	if q.BeforeID > 0 {
		where, args = append(where, "r.id < ?"), append(args, q.BeforeID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit, max(q.Offset, 0))
	rows, err := h.st.DB.QueryContext(ctx, `SELECT `+runColumns+` FROM sync_runs r WHERE `+strings.Join(where, " AND ")+
		` ORDER BY r.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the sync history: %w", err)
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the sync history: %w", err)
	}
	rec := records{st: h.st}
	for i := range out {
		if out[i].Counts, err = rec.counts(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetRun returns one run with its counts.
func (h *History) GetRun(ctx context.Context, id int64) (Run, error) {
	r, err := scanRun(h.st.DB.QueryRowContext(ctx, `SELECT `+runColumns+` FROM sync_runs r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("sync #%d: %w", id, ErrRunNotFound)
	}
	if err != nil {
		return r, err
	}
	r.Counts, err = records{st: h.st}.counts(ctx, id)
	return r, err
}

// LatestRun returns the newest run; ok is false when there is none.
func (h *History) LatestRun(ctx context.Context) (run Run, ok bool, err error) {
	var id int64
	err = h.st.DB.QueryRowContext(ctx, `SELECT id FROM sync_runs ORDER BY id DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return run, false, nil
	}
	if err != nil {
		return run, false, fmt.Errorf("reading the sync history: %w", err)
	}
	run, err = h.GetRun(ctx, id)
	return run, err == nil, err
}

// LastRealRun returns the newest finished run that was not a dry run (a dry run changes
// nothing in Manage, so it says nothing about the last sync); ok is false when there is none.
func (h *History) LastRealRun(ctx context.Context) (run Run, ok bool, err error) {
	var id int64
	err = h.st.DB.QueryRowContext(ctx, `SELECT id FROM sync_runs WHERE dry_run = 0 AND finished_at IS NOT NULL
		ORDER BY id DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return run, false, nil
	}
	if err != nil {
		return run, false, fmt.Errorf("reading the sync history: %w", err)
	}
	run, err = h.GetRun(ctx, id)
	return run, err == nil, err
}

// RunResult returns a run with all its changes, in plan order.
func (h *History) RunResult(ctx context.Context, id int64) (Result, error) {
	run, err := h.GetRun(ctx, id)
	if err != nil {
		return Result{}, err
	}
	changes, err := h.Changes(ctx, ChangeQuery{RunID: id})
	return Result{Run: run, Changes: changes}, err
}

// Changes lists recorded changes: one run's in plan order, otherwise newest run first.
func (h *History) Changes(ctx context.Context, q ChangeQuery) ([]Change, error) {
	where, args := changeWhere(q)
	order := "c.run_id DESC, c.id"
	if q.RunID != 0 {
		order = "c.id"
	}
	query := `SELECT ` + changeColumns + ` FROM sync_changes c WHERE ` + where + ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, max(q.Offset, 0))
	}
	rows, err := h.st.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the sync history: %w", err)
	}
	defer rows.Close()
	out := []Change{}
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func changeWhere(q ChangeQuery) (string, []any) {
	where := []string{"1=1"}
	var args []any
	if q.RunID != 0 {
		where, args = append(where, "c.run_id = ?"), append(args, q.RunID)
	}
	if q.AdditionID != 0 {
		where, args = append(where, "c.addition_id = ?"), append(args, q.AdditionID)
	}
	if q.State != "" {
		where, args = append(where, "c.state = ?"), append(args, q.State)
	}
	if strings.TrimSpace(q.Search) != "" {
		cond, cargs := changeMatch(q.Search)
		where, args = append(where, cond), append(args, cargs...)
	}
	return strings.Join(where, " AND "), args
}

// Timeline is one addition's history across runs, newest first: what each run found,
// planned and did.
func (h *History) Timeline(ctx context.Context, additionID int64) ([]Change, error) {
	return h.Changes(ctx, ChangeQuery{AdditionID: additionID})
}
