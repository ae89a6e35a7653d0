package webrootconn

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/webroot"
)

// RefreshOutcome is what one refresh of the site cache did.
type RefreshOutcome struct {
	OK          bool      `json:"ok"`
	RefreshedAt time.Time `json:"refreshedAt" ts_type:"string"`
	SiteCount   int       `json:"siteCount"`
	// NewSites were first seen by this refresh (never counted on the very first refresh);
	// RemovedSites left the console since the previous one.
	NewSites     int `json:"newSites"`
	RemovedSites int `json:"removedSites"`
	// Warnings are things the user may want to know: a report that fell back to the latest
	// day, sites in a report but not in the site list, per-site failures.
	Warnings []string `json:"warnings"`
	// Message is the failure in words, when OK is false.
	Message string `json:"message,omitempty"`
}

// SitesChanged is the EventSites payload.
type SitesChanged struct {
	RefreshedAt time.Time `json:"refreshedAt" ts_type:"string"`
	SiteCount   int       `json:"siteCount"`
	NewSites    int       `json:"newSites"`
}

// BasisInfo describes one count basis wherever counts are shown.
type BasisInfo struct {
	Basis        string `json:"basis"`
	Label        string `json:"label"`
	Product      string `json:"product"`
	ProductLabel string `json:"productLabel"`
	Default      bool   `json:"default"`
	// Read is false when the cached snapshot did not read this basis.
	Read bool `json:"read"`
	// ReportDate is the day the counts are for (YYYY-MM-DD), "" for live counts.
	ReportDate       string `json:"reportDate,omitempty"`
	FellBackToLatest bool   `json:"fellBackToLatest,omitempty"`
}

// Site is one cached GSM site with its counts.
type Site struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	KeyCode        string   `json:"keyCode"`
	Comments       string   `json:"comments"`
	DevicesAllowed int      `json:"devicesAllowed"`
	TotalEndpoints int      `json:"totalEndpoints"`
	Suspended      bool     `json:"suspended"`
	Deactivated    bool     `json:"deactivated"`
	Modules        []string `json:"modules"`
	// Trials are the product lines on a trial licence: EP, DNSP, WSAT.
	Trials      []string  `json:"trials"`
	FirstSeenAt time.Time `json:"firstSeenAt" ts_type:"string"`
	// New: first seen by the latest refresh, and not by the very first one.
	New           bool `json:"new"`
	OverSeatLimit bool `json:"overSeatLimit"`
	// Counts per basis that was read for the site (a missing row counts 0 and is in Missing).
	Counts  map[string]int    `json:"counts"`
	Missing []string          `json:"missing"`
	Errors  map[string]string `json:"errors"`
}

// Count returns the site's count on a basis and whether it is a real figure (read, not
// missing from its report, not failed).
func (s Site) Count(b webroot.Basis) (int, bool) {
	n, ok := s.Counts[string(b)]
	if !ok || slices.Contains(s.Missing, string(b)) {
		return n, false
	}
	_, failed := s.Errors[string(b)]
	return n, !failed
}

// HasProduct reports whether the site has the product line (endpoint protection always).
func (s Site) HasProduct(p webroot.Product) bool {
	return p == webroot.ProductEndpoint || slices.Contains(s.Modules, p.Module())
}

// IsTrial reports whether the site has the product line on a trial licence.
func (s Site) IsTrial(p webroot.Product) bool { return slices.Contains(s.Trials, p.Module()) }

// SiteList is the cached snapshot.
type SiteList struct {
	// RefreshedAt is nil when the sites were never refreshed.
	RefreshedAt       *time.Time  `json:"refreshedAt,omitempty" ts_type:"string"`
	TotalSeatsAllowed int         `json:"totalSeatsAllowed"`
	Bases             []BasisInfo `json:"bases"`
	Sites             []Site      `json:"sites"`
	// ReportOnlySites counts report rows whose SiteId is not in the site list.
	ReportOnlySites int `json:"reportOnlySites"`
}

// Refresh reads every site with its counts on every basis and replaces the cache in one
// transaction: readers see the old snapshot or the new one, never a mix. A failure leaves
// the cache as it was; one that says the connection is broken turns the state to failing.
func (s *Service) Refresh(ctx context.Context) (RefreshOutcome, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.RefreshTimeout)
	defer cancel()
	version, err := s.settingsVersion(ctx)
	if err != nil {
		return RefreshOutcome{Message: UserMessage(err)}, err
	}
	c, err := s.client(ctx, background, version)
	if err != nil {
		return RefreshOutcome{Message: UserMessage(err)}, err
	}
	snap, err := c.SitesWithCounts(ctx, webroot.UsageOptions{})
	if err != nil {
		out := RefreshOutcome{Message: UserMessage(err)}
		if k := webroot.KindOf(err); connectionKind(k) {
			failed := outcome{Outcome: connstate.Outcome{Revision: version, Problem: out.Message, Kind: string(k)}}
			if rerr := s.record(context.WithoutCancel(ctx), failed); rerr != nil && !errors.Is(rerr, ErrSettingsChanged) {
				s.log.Warn("recording the webroot state failed", "err", rerr.Error())
			}
		}
		return out, err
	}
	out, err := s.replaceSnapshot(ctx, snap, version)
	if errors.Is(err, ErrSettingsChanged) {
		return RefreshOutcome{Message: err.Error()}, err
	}
	if err != nil {
		return RefreshOutcome{Message: UserMessage(err)}, fmt.Errorf("the Webroot sites were read but not saved: %w", err)
	}
	s.log.Info("webroot sites refreshed", "sites", out.SiteCount, "new", out.NewSites, "removed", out.RemovedSites)
	passed := outcome{Outcome: connstate.Outcome{Revision: version, OK: true}, siteCount: out.SiteCount}
	if err := s.record(context.WithoutCancel(ctx), passed); err != nil && !errors.Is(err, ErrSettingsChanged) {
		s.log.Warn("recording the webroot state failed", "err", err.Error())
	}
	s.emit(EventSites, SitesChanged{RefreshedAt: out.RefreshedAt, SiteCount: out.SiteCount, NewSites: out.NewSites})
	return out, nil
}

func (s *Service) replaceSnapshot(ctx context.Context, snap *webroot.UsageSnapshot, version int64) (RefreshOutcome, error) {
	at := snap.FetchedAt.UTC()
	if at.IsZero() {
		at = s.now()
	}
	ts := at.Format(time.RFC3339Nano)
	out := RefreshOutcome{OK: true, RefreshedAt: at, SiteCount: len(snap.Sites), Warnings: warnings(snap)}
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.state.Check(ctx, tx, version); err != nil {
			return err // errStale: read with settings that have since been replaced
		}
		var first sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT first_refreshed_at FROM webroot_snapshot WHERE id = 1`).Scan(&first); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		known := map[string]bool{} // lower-case id → currently listed
		rows, err := tx.QueryContext(ctx, `SELECT site_id, removed_at IS NULL FROM webroot_sites`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var current bool
			if err := rows.Scan(&id, &current); err != nil {
				rows.Close()
				return err
			}
			known[strings.ToLower(id)] = current
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		upsert, err := tx.PrepareContext(ctx, `INSERT INTO webroot_sites(site_id, name, key_code, comments, devices_allowed,
				total_endpoints, suspended, deactivated, modules, trials, first_seen_at, last_seen_at, removed_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
			ON CONFLICT(site_id) DO UPDATE SET name = excluded.name, key_code = excluded.key_code, comments = excluded.comments,
				devices_allowed = excluded.devices_allowed, total_endpoints = excluded.total_endpoints,
				suspended = excluded.suspended, deactivated = excluded.deactivated, modules = excluded.modules,
				trials = excluded.trials, last_seen_at = excluded.last_seen_at, removed_at = NULL`)
		if err != nil {
			return err
		}
		defer upsert.Close()
		if _, err := tx.ExecContext(ctx, `DELETE FROM webroot_site_counts`); err != nil {
			return err
		}
		count, err := tx.PrepareContext(ctx, `INSERT INTO webroot_site_counts(site_id, basis, count, missing, error) VALUES(?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer count.Close()
		seen := map[string]bool{}
		for _, site := range snap.Sites {
			id := strings.ToLower(site.ID)
			if seen[id] {
				continue // the site list named a site twice: keep the first
			}
			seen[id] = true
			if _, listed := known[id]; !listed && first.Valid {
				out.NewSites++
			}
			if _, err := upsert.ExecContext(ctx, site.ID, site.Name, site.KeyCode, site.Comments, site.DevicesAllowed,
				site.TotalEndpoints, site.Suspended, site.Deactivated, strings.Join(site.Modules, ","), strings.Join(site.Trials, ","), ts, ts); err != nil {
				return fmt.Errorf("caching site %s: %w", site.ID, err)
			}
			for _, b := range snap.Bases {
				n, read := site.Counts[b]
				msg, failed := site.Errors[b]
				if !read && !failed {
					continue
				}
				if _, err := count.ExecContext(ctx, site.ID, string(b), n, slices.Contains(site.Missing, b), msg); err != nil {
					return fmt.Errorf("caching the counts of site %s: %w", site.ID, err)
				}
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE webroot_sites SET removed_at = ? WHERE removed_at IS NULL AND last_seen_at <> ?`, ts, ts)
		if err != nil {
			return err
		}
		removed, _ := res.RowsAffected()
		out.RemovedSites = int(removed)

		bases, _ := json.Marshal(snap.Bases)
		dates, _ := json.Marshal(snap.ReportDates)
		only := snap.ReportOnlySites
		if only == nil {
			only = []webroot.ReportSite{}
		}
		extra, _ := json.Marshal(only)
		firstAt := ts
		if first.Valid {
			firstAt = first.String
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO webroot_snapshot(id, refreshed_at, first_refreshed_at, total_seats_allowed, bases, report_dates, report_only_sites)
			VALUES(1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET refreshed_at = excluded.refreshed_at, first_refreshed_at = excluded.first_refreshed_at,
				total_seats_allowed = excluded.total_seats_allowed, bases = excluded.bases, report_dates = excluded.report_dates,
				report_only_sites = excluded.report_only_sites`,
			ts, firstAt, snap.TotalSeatsAllowed, string(bases), string(dates), string(extra))
		return err
	})
	if err != nil {
		return RefreshOutcome{}, err
	}
	return out, nil
}

func warnings(snap *webroot.UsageSnapshot) []string {
	w := []string{}
	for _, b := range snap.Bases {
		if d, ok := snap.ReportDates[b]; ok && d.FellBackToLatest {
			w = append(w, fmt.Sprintf("%s: Webroot had no report for %s, so the latest one (%s) was used.", b.Label(),
				d.Requested.Format(time.DateOnly), d.Effective.Format(time.DateOnly)))
		}
	}
	if n := len(snap.ReportOnlySites); n > 0 {
		w = append(w, fmt.Sprintf("%d site(s) appear in the usage reports but not in the console's site list; they are not cached.", n))
	}
	failed := 0
	for _, s := range snap.Sites {
		if len(s.Errors) > 0 {
			failed++
		}
	}
	if failed > 0 {
		w = append(w, fmt.Sprintf("The live device count could not be read for %d site(s); those counts are marked.", failed))
	}
	return w
}

type snapshotMeta struct {
	refreshedAt, firstRefreshedAt time.Time
	totalSeats                    int
	bases                         []webroot.Basis
	dates                         map[webroot.Basis]webroot.ReportDate
	reportOnly                    int
	siteCount                     int
}

func (s *Service) snapshotMeta(ctx context.Context) (*snapshotMeta, error) {
	var m snapshotMeta
	var refreshed, first, bases, dates, only string
	err := s.store.DB.QueryRowContext(ctx, `SELECT refreshed_at, first_refreshed_at, total_seats_allowed, bases, report_dates, report_only_sites,
			(SELECT COUNT(*) FROM webroot_sites WHERE removed_at IS NULL)
		FROM webroot_snapshot WHERE id = 1`).Scan(&refreshed, &first, &m.totalSeats, &bases, &dates, &only, &m.siteCount)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the Webroot site cache: %w", err)
	}
	m.refreshedAt, _ = time.Parse(time.RFC3339Nano, refreshed)
	m.firstRefreshedAt, _ = time.Parse(time.RFC3339Nano, first)
	_ = json.Unmarshal([]byte(bases), &m.bases)
	_ = json.Unmarshal([]byte(dates), &m.dates)
	var extra []json.RawMessage
	_ = json.Unmarshal([]byte(only), &extra)
	m.reportOnly = len(extra)
	return &m, nil
}

// Sites returns the cached sites (those the console listed at the last refresh), sorted by
// name, with the time of that refresh. It makes no request.
func (s *Service) Sites(ctx context.Context) (SiteList, error) {
	meta, err := s.snapshotMeta(ctx)
	if err != nil {
		return SiteList{}, err
	}
	out := SiteList{Sites: []Site{}}
	read := map[webroot.Basis]bool{}
	if meta != nil {
		out.RefreshedAt = connstate.TimePtr(meta.refreshedAt)
		out.TotalSeatsAllowed = meta.totalSeats
		out.ReportOnlySites = meta.reportOnly
		for _, b := range meta.bases {
			read[b] = true
		}
	}
	for _, b := range webroot.AllBases() {
		info := BasisInfo{Basis: string(b), Label: b.Label(), Product: string(b.Product()), ProductLabel: b.Product().Label(),
			Default: b.Product().DefaultBasis() == b, Read: read[b]}
		if meta != nil {
			if d, ok := meta.dates[b]; ok && !d.Effective.IsZero() {
				info.ReportDate = d.Effective.Format(time.DateOnly)
				info.FellBackToLatest = d.FellBackToLatest
			}
		}
		out.Bases = append(out.Bases, info)
	}
	if meta == nil {
		return out, nil
	}

	rows, err := s.store.DB.QueryContext(ctx, `SELECT site_id, name, key_code, comments, devices_allowed, total_endpoints,
			suspended, deactivated, modules, trials, first_seen_at
		FROM webroot_sites WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE, site_id`)
	if err != nil {
		return SiteList{}, fmt.Errorf("reading the Webroot site cache: %w", err)
	}
	index := map[string]int{}
	for rows.Next() {
		var st Site
		var modules, trials, firstSeen string
		if err := rows.Scan(&st.ID, &st.Name, &st.KeyCode, &st.Comments, &st.DevicesAllowed, &st.TotalEndpoints,
			&st.Suspended, &st.Deactivated, &modules, &trials, &firstSeen); err != nil {
			rows.Close()
			return SiteList{}, fmt.Errorf("reading the Webroot site cache: %w", err)
		}
		st.Modules, st.Trials = splitList(modules), splitList(trials)
		st.FirstSeenAt, _ = time.Parse(time.RFC3339Nano, firstSeen)
		st.New = st.FirstSeenAt.After(meta.firstRefreshedAt) && !st.FirstSeenAt.Before(meta.refreshedAt)
		st.OverSeatLimit = st.DevicesAllowed > 0 && st.TotalEndpoints > st.DevicesAllowed
		st.Counts, st.Missing, st.Errors = map[string]int{}, []string{}, map[string]string{}
		index[strings.ToLower(st.ID)] = len(out.Sites)
		out.Sites = append(out.Sites, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return SiteList{}, fmt.Errorf("reading the Webroot site cache: %w", err)
	}

	crow, err := s.store.DB.QueryContext(ctx, `SELECT site_id, basis, count, missing, error FROM webroot_site_counts`)
	if err != nil {
		return SiteList{}, fmt.Errorf("reading the Webroot site counts: %w", err)
	}
	defer crow.Close()
	for crow.Next() {
		var id, basis, msg string
		var n int
		var missing bool
		if err := crow.Scan(&id, &basis, &n, &missing, &msg); err != nil {
			return SiteList{}, fmt.Errorf("reading the Webroot site counts: %w", err)
		}
		i, ok := index[strings.ToLower(id)]
		if !ok {
			continue
		}
		st := &out.Sites[i]
		st.Counts[basis] = n
		if missing {
			st.Missing = append(st.Missing, basis)
		}
		if msg != "" {
			st.Errors[basis] = msg
		}
	}
	return out, crow.Err()
}

// splitList reads a comma-separated cache column; empty is an empty list, not nil (JSON []).
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
