package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cwm-webroot/backend/attention"
	"cwm-webroot/backend/mapping"
)

// remindAfter is the least time between two notifications about the same ongoing
// condition (a site over its limit whose count moves, a sync that stays stale): a day, so
// an hourly refresh or timer cannot turn a reminder into noise.
const remindAfter = 24 * time.Hour

// CheckSites looks at the cached Webroot sites, as the last refresh left them, for
//   - new unmapped sites: sites that appeared after the first refresh (mapping.Row.New)
//     and are not mapped or excluded yet. Each site is told once, ever; many are grouped in
//     one notification ("5 new Webroot sites are not mapped: A, B, C and 2 more").
//   - sites over their seat limit: more endpoints (TotalEndpoints) than the GSM seat limit
//     (DevicesAllowed, when above 0), on sites not removed or deactivated. A site is told
//     when it goes over; again only if its figures change and a day has passed since it
//     was last told (counts move with every refresh); and anew after it was back within
//     its limit.
//
// Call it after every Webroot refresh (and after a sync, which reads fresh counts). A
// notification that could not be shown is not recorded, so the next check tries again.
func (n *Notifier) CheckSites(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	prefs, err := LoadPreferences(ctx, n.Store)
	if err != nil {
		return err
	}
	var errs []error
	if prefs.NewUnmappedSites {
		errs = append(errs, n.newUnmappedSites(ctx))
	}
	if prefs.OverSeatLimit {
		errs = append(errs, n.overSeatLimit(ctx))
	}
	return errors.Join(errs...)
}

func (n *Notifier) newUnmappedSites(ctx context.Context) error {
	rows, err := mapping.New(n.Store, n.now).Rows(ctx)
	if err != nil {
		return fmt.Errorf("listing unmapped sites: %w", err)
	}
	told, err := n.recallAll(ctx, topicNewSite)
	if err != nil {
		return err
	}
	var ids, names []string
	seen := map[string]bool{}
	for _, r := range rows {
		key := strings.ToLower(r.SiteID)
		if !r.New || (r.State != mapping.StateUnmapped && r.State != mapping.StateSuggested) || seen[key] {
			continue
		}
		seen[key] = true // one site has a row per product line
		if _, ok := told[key]; ok {
			continue
		}
		ids = append(ids, r.SiteID)
		names = append(names, strings.TrimSpace(r.SiteName))
	}
	if len(ids) == 0 {
		return nil
	}
	var title, body string
	if len(ids) == 1 {
		title = "New Webroot site is not mapped"
		body = "A new Webroot site is not mapped: " + names[0] + "."
	} else {
		title = "New Webroot sites are not mapped"
		body = fmt.Sprintf("%d new Webroot sites are not mapped: %s.", len(ids), nameList(names, namesShown))
	}
	body += " Open Mappings to map or exclude them."
	if err := n.show("new_unmapped_sites", title, body); err != nil {
		return err
	}
	facts := map[string]string{}
	for _, id := range ids {
		facts[id] = "new"
	}
	return n.remember(ctx, topicNewSite, facts)
}

// overSite is one site using more devices than it is allowed.
type overSite struct {
	id, name     string
	used, allows int
}

func (n *Notifier) overSeatLimit(ctx context.Context) error {
	sites, err := attention.OverSeatLimit(ctx, n.Store.DB)
	if err != nil {
		return err
	}
	over := make([]overSite, len(sites))
	for i, x := range sites {
		over[i] = overSite{id: x.SiteID, name: x.Name, used: x.Used, allows: x.Allowed}
	}
	told, err := n.recallAll(ctx, topicOverLimit)
	if err != nil {
		return err
	}

	// Sites back within their limit (or gone) are forgotten: going over again is news.
	current := map[string]bool{}
	for _, s := range over {
		current[strings.ToLower(s.id)] = true
	}
	var back []string
	for id := range told {
		if !current[id] {
			back = append(back, id)
		}
	}
	if len(back) > 0 {
		if err := n.forget(ctx, topicOverLimit, back...); err != nil {
			return err
		}
	}

	now := n.now()
	var due []overSite
	for _, s := range over {
		rec, ok := told[strings.ToLower(s.id)]
		if !ok || (rec.fact != s.fact() && now.Sub(rec.sentAt) >= remindAfter) {
			due = append(due, s)
		}
	}
	if len(due) == 0 {
		return nil
	}
	var title, body string
	if len(due) == 1 {
		s := due[0]
		title = "Webroot site over its seat limit"
		body = fmt.Sprintf("%s uses %d devices, more than its GSM seat limit of %d.", strings.TrimSpace(s.name), s.used, s.allows)
	} else {
		title = "Webroot sites over their seat limit"
		var names []string
		for _, s := range due {
			names = append(names, fmt.Sprintf("%s (%d of %d)", strings.TrimSpace(s.name), s.used, s.allows))
		}
		body = fmt.Sprintf("%d Webroot sites use more devices than their GSM seat limit: %s.", len(due), nameList(names, namesShown))
	}
	if err := n.show("over_seat_limit", title, body); err != nil {
		return err
	}
	facts := map[string]string{}
	for _, s := range due {
		facts[s.id] = s.fact()
	}
	return n.remember(ctx, topicOverLimit, facts)
}

func (s overSite) fact() string { return fmt.Sprintf("%d/%d", s.used, s.allows) }

// CheckStale reminds the user when no sync has succeeded for longer than the "Days without
// a successful sync" preference: at most once a day while it lasts. Call it on a timer
// (hourly is plenty) and at start-up.
//
// A successful sync is a run, not a dry run, that ended succeeded or with no changes; a
// partial run still has failures, which its own notification reports. An installation
// that never synced counts from the first Webroot refresh, when syncing became possible,
// or, before any refresh, from when the app was installed (its first database migration),
// so an installation left half set up is reminded too.
func (n *Notifier) CheckStale(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	prefs, err := LoadPreferences(ctx, n.Store)
	if err != nil {
		return err
	}
	if !prefs.StaleSync {
		return nil
	}
	since, what, err := n.staleSince(ctx)
	if err != nil || since.IsZero() {
		return err
	}
	now := n.now()
	age := now.Sub(since)
	if age <= time.Duration(prefs.StaleDays)*24*time.Hour {
		return nil
	}
	fact := since.UTC().Format(time.RFC3339Nano)
	rec, told, err := n.recall(ctx, topicStale, "")
	if err != nil {
		return err
	}
	if told && rec.fact == fact && now.Sub(rec.sentAt) < remindAfter {
		return nil
	}
	days := int(age / (24 * time.Hour))
	title := "No successful sync for " + plural(days, "day", "days")
	body := fmt.Sprintf("%s %s. Manage quantities may be out of date: open Sync or History to see what is wrong.",
		what, since.In(now.Location()).Format("Mon 2 Jan 2006 15:04"))
	if err := n.show("stale_sync", title, body); err != nil {
		return err
	}
	return n.remember(ctx, topicStale, map[string]string{"": fact})
}

// staleSince is when the time without a successful sync started, and how to say it.
func (n *Notifier) staleSince(ctx context.Context) (time.Time, string, error) {
	since, from, err := attention.StaleSince(ctx, n.Store.DB)
	return since, map[string]string{
		attention.FromLastSuccess:  "The last successful sync was on",
		attention.FromFirstRefresh: "No sync has succeeded since Webroot was first connected on",
		attention.FromInstall:      "No sync has succeeded since the app was installed on",
	}[from], err
}
