// Package attention is the dashboard's "Needs attention" list: what stands between the MSP
// and correct bills right now (connections, unmapped and new sites, broken mappings, sites
// over their seat limit, syncs that stopped succeeding), each with the page that fixes it.
package attention

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webrootconn"
)

// Severities: a problem stops correct billing; a warning is worth a look.
const (
	Problem = "problem"
	Warning = "warning"
)

// Item is one thing that needs the user.
type Item struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
	// Page is the route that fixes it: mappings, sync, history, configure-connectwise,
	// configure-webroot.
	Page  string `json:"page"`
	Count int    `json:"count"`
}

// Kinds of items.
const (
	KindManage          = "manage"
	KindWebroot         = "webroot"
	KindUnmapped        = "unmapped"
	KindMappingProblems = "mapping_problems"
	KindOverSeatLimit   = "over_seat_limit"
	KindStale           = "stale_sync"
	KindTrials          = "trials"
)

// Sources are what the list is made from.
type Sources struct {
	Store   *store.Store
	Secrets secrets.Store
	Now     func() time.Time
	// StaleAfter is how long without a successful sync is too long (the notification
	// preference "No successful sync").
	StaleAfter time.Duration
}

// List is everything that needs attention, problems first.
func List(ctx context.Context, src Sources) ([]Item, error) {
	items := []Item{}
	connected, err := connections(ctx, src, &items)
	if err != nil {
		return nil, err
	}
	if connected {
		if err := mappings(ctx, src, &items); err != nil {
			return nil, err
		}
		over, err := OverSeatLimit(ctx, src.Store.DB)
		if err != nil {
			return nil, err
		}
		if len(over) > 0 {
			names := make([]string, len(over))
			for i, s := range over {
				names[i] = fmt.Sprintf("%s (%d of %d)", s.Name, s.Used, s.Allowed)
			}
			items = append(items, Item{Kind: KindOverSeatLimit, Severity: Warning, Count: len(over), Page: "mappings",
				Title:  plural(len(over), "site uses more devices than its", "sites use more devices than their") + " GSM seat limit",
				Detail: "Raise the seat limit in Webroot or bill the overage: " + list(names, 4) + "."})
		}
		if err := stale(ctx, src, &items); err != nil {
			return nil, err
		}
	}
	// Problems first, keeping each group's order.
	out := make([]Item, 0, len(items))
	for _, sev := range []string{Problem, Warning} {
		for _, it := range items {
			if it.Severity == sev {
				out = append(out, it)
			}
		}
	}
	return out, nil
}

// connections adds an item per connection that is not working; connected says both are.
func connections(ctx context.Context, src Sources, items *[]Item) (connected bool, err error) {
	ms, err := manageconn.New(src.Store, src.Secrets, manageconn.Options{}).Status(ctx)
	if err != nil {
		return false, err
	}
	ws, err := webrootconn.New(src.Store, src.Secrets, webrootconn.Options{}).Status(ctx)
	if err != nil {
		return false, err
	}
	add := func(kind, name, page, state, problem string) {
		switch state {
		case connstate.NotConfigured:
			*items = append(*items, Item{Kind: kind, Severity: Problem, Page: page,
				Title: name + " is not connected", Detail: "Configure it to map sites and sync quantities."})
		case connstate.Untested:
			*items = append(*items, Item{Kind: kind, Severity: Problem, Page: page,
				Title: name + " is saved but not tested", Detail: "Test the connection to read its data."})
		case connstate.Failing:
			*items = append(*items, Item{Kind: kind, Severity: Problem, Page: page,
				Title: name + " is failing", Detail: problem})
		}
	}
	add(KindManage, "ConnectWise Manage", "configure-connectwise", ms.State, ms.Problem)
	add(KindWebroot, "Webroot", "configure-webroot", ws.State, ws.Problem)
	return ms.State != connstate.NotConfigured && ws.State != connstate.NotConfigured, nil
}

// mappings adds the unmapped sites (new ones named) and the mappings that cannot sync.
func mappings(ctx context.Context, src Sources, items *[]Item) error {
	rows, err := mapping.New(src.Store, src.Now).Rows(ctx)
	if err != nil {
		return err
	}
	var unmapped, fresh, broken, trials []string
	suggested := 0
	for _, r := range rows {
		label := r.SiteName + " " + r.ProductLabel
		switch {
		case r.State == mapping.StateUnmapped || r.State == mapping.StateSuggested:
			unmapped = append(unmapped, label)
			if r.State == mapping.StateSuggested {
				suggested++
			}
			if r.New {
				fresh = append(fresh, label)
			}
		case r.State == mapping.StateMapped && r.Problem != "":
			broken = append(broken, label+": "+strings.TrimSuffix(r.Problem, "."))
		}
		if r.State == mapping.StateMapped && r.Trial {
			trials = append(trials, label)
		}
	}
	if len(trials) > 0 {
		*items = append(*items, Item{Kind: KindTrials, Severity: Warning, Count: len(trials), Page: "mappings",
			Title:  plural(len(trials), "mapped product line is a Webroot trial", "mapped product lines are Webroot trials"),
			Detail: list(trials, 3) + ". Syncs bill them: exclude them until the customer signs, or keep them mapped if you bill trials."})
	}
	if len(broken) > 0 {
		*items = append(*items, Item{Kind: KindMappingProblems, Severity: Problem, Count: len(broken), Page: "mappings",
			Title:  plural(len(broken), "mapping", "mappings") + " cannot be synced",
			Detail: list(broken, 3) + "."})
	}
	if len(unmapped) > 0 {
		var parts []string
		if suggested > 0 {
			parts = append(parts, plural(suggested, "has a suggestion", "have suggestions")+" ready to review")
		}
		if len(fresh) > 0 {
			parts = append(parts, fmt.Sprintf("%s new since the first refresh: %s", plural(len(fresh), "is", "are"), list(fresh, 3)))
		}
		detail := "Map or exclude them so every seat is billed."
		if len(parts) > 0 {
			detail = strings.Join(parts, "; ") + ". " + detail
		}
		*items = append(*items, Item{Kind: KindUnmapped, Severity: Warning, Count: len(unmapped), Page: "mappings",
			Title: plural(len(unmapped), "site product line is", "site product lines are") + " not mapped", Detail: detail})
	}
	return nil
}

// stale adds an item when no real sync has succeeded for longer than StaleAfter, counted
// from the first Webroot refresh when none ever has.
func stale(ctx context.Context, src Sources, items *[]Item) error {
	if src.StaleAfter <= 0 {
		return nil
	}
	since, from, err := StaleSince(ctx, src.Store.DB)
	if err != nil || from == "" || from == FromInstall {
		return err
	}
	what := "The last successful sync finished"
	if from == FromFirstRefresh {
		what = "No sync has succeeded since Webroot was connected"
	}
	age := src.Now().Sub(since)
	if age <= src.StaleAfter {
		return nil
	}
	days := int(age / (24 * time.Hour))
	*items = append(*items, Item{Kind: KindStale, Severity: Warning, Page: "history",
		Title:  "No successful sync for " + plural(days, "day", "days"),
		Detail: what + " " + plural(days, "day", "days") + " ago; Manage quantities may be out of date."})
	return nil
}

// Where the time without a successful sync is counted from.
const (
	FromLastSuccess  = "last_success"  // the newest real run that succeeded or had nothing to do
	FromFirstRefresh = "first_refresh" // never a success: Webroot's first refresh
	FromInstall      = "install"       // not even that: the installation's first migration
)

// StaleSince is when the time without a successful sync began, and from what ("" with a
// zero time when nothing dates it). The dashboard and the notifications share it.
func StaleSince(ctx context.Context, db *sql.DB) (time.Time, string, error) {
	for _, q := range []struct{ from, query, what string }{
		{FromLastSuccess, `SELECT MAX(finished_at) FROM sync_runs
			WHERE dry_run = 0 AND status IN ('succeeded', 'no_changes') AND finished_at IS NOT NULL`, "the last successful sync"},
		{FromFirstRefresh, `SELECT first_refreshed_at FROM webroot_snapshot WHERE id = 1`, "the first Webroot refresh"},
		{FromInstall, `SELECT MIN(applied_at) FROM schema_migrations`, "the installation date"},
	} {
		var v sql.NullString
		if err := db.QueryRowContext(ctx, q.query).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, "", fmt.Errorf("finding %s: %w", q.what, err)
		}
		if !v.Valid || v.String == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, v.String); err == nil {
			return t, q.from, nil
		}
	}
	return time.Time{}, "", nil
}

// OverLimit is a site using more devices than its GSM seat limit.
type OverLimit struct {
	SiteID  string
	Name    string
	Used    int
	Allowed int
}

// OverSeatLimit lists the current, active sites whose endpoints exceed their seat limit (a
// limit of 0 means none is set).
func OverSeatLimit(ctx context.Context, db *sql.DB) ([]OverLimit, error) {
	rows, err := db.QueryContext(ctx, `SELECT site_id, name, total_endpoints, devices_allowed FROM webroot_sites
		WHERE removed_at IS NULL AND deactivated = 0 AND devices_allowed > 0 AND total_endpoints > devices_allowed
		ORDER BY name COLLATE NOCASE, site_id`)
	if err != nil {
		return nil, fmt.Errorf("listing sites over their seat limit: %w", err)
	}
	defer rows.Close()
	var out []OverLimit
	for rows.Next() {
		var s OverLimit
		if err := rows.Scan(&s.SiteID, &s.Name, &s.Used, &s.Allowed); err != nil {
			return nil, fmt.Errorf("listing sites over their seat limit: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing sites over their seat limit: %w", err)
	}
	return out, nil
}

// list names up to n things: "A, B, C and 4 more".
func list(names []string, n int) string {
	if len(names) <= n {
		if len(names) <= 1 {
			return strings.Join(names, "")
		}
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
