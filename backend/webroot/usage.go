package webroot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// SiteCounts is one GSM site with its usage on every basis that was read.
type SiteCounts struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Comments       string `json:"comments"`
	KeyCode        string `json:"keyCode"`
	DevicesAllowed int    `json:"devicesAllowed"`
	// TotalEndpoints is the console's own device count for the site.
	TotalEndpoints int  `json:"totalEndpoints"`
	Suspended      bool `json:"suspended"`
	Deactivated    bool `json:"deactivated"`
	// Modules are the product-line entitlements on the site (DNSP, WSAT).
	Modules []string `json:"modules,omitempty"`
	// Trials are the product lines the site has on a trial licence: EP when the site's
	// keycode is a trial (Description "Trial"), DNSP or WSAT when the module's LicenseType is.
	Trials []string `json:"trials,omitempty"`
	// Counts holds a count for each basis read for this site. A basis that was not read
	// (not asked for, or not_deactivated skipped for a deactivated site) has no entry.
	Counts map[Basis]int `json:"counts"`
	// Missing lists bases whose report had no row or no count for the site: the count is 0
	// and a drop to 0 needs review (§4, §7).
	Missing []Basis `json:"missing,omitempty"`
	// Errors holds a user message for each basis that failed for this site alone.
	Errors map[Basis]string `json:"errors,omitempty"`
}

// Count returns the site's count on a basis, and false when it was not read, is missing
// from its report or failed.
func (s SiteCounts) Count(b Basis) (int, bool) {
	n, ok := s.Counts[b]
	if !ok || slices.Contains(s.Missing, b) {
		return n, false
	}
	_, failed := s.Errors[b]
	return n, !failed
}

// OverSeatLimit reports a site using more devices than its DevicesAllowed.
func (s SiteCounts) OverSeatLimit() bool {
	return s.DevicesAllowed > 0 && s.TotalEndpoints > s.DevicesAllowed
}

// CWMID is the Manage company id hinted in the site's comments (cwm-id=<n>).
func (s SiteCounts) CWMID() (int64, bool) { return CWMIDHint(s.Comments) }

// ReportDate says which day a basis was counted on.
type ReportDate struct {
	Requested        time.Time `json:"requested"`
	Effective        time.Time `json:"effective"`
	FellBackToLatest bool      `json:"fellBackToLatest"`
}

// UsageSnapshot is every site with its counts, as SitesWithCounts read them.
type UsageSnapshot struct {
	Sites             []SiteCounts
	Bases             []Basis
	ReportDates       map[Basis]ReportDate
	TotalSeatsAllowed int
	// ReportOnlySites are report rows whose SiteId is not in the console's site list.
	ReportOnlySites []ReportSite
	FetchedAt       time.Time
}

// ByID indexes the sites by SiteId.
func (u *UsageSnapshot) ByID() map[string]SiteCounts {
	m := make(map[string]SiteCounts, len(u.Sites))
	for _, s := range u.Sites {
		m[s.ID] = s
	}
	return m
}

// UsageOptions chooses what SitesWithCounts reads.
type UsageOptions struct {
	// Bases to read; nil means every basis.
	Bases []Basis
	// NotDeactivatedSites limits the endpoint-list counts (one or more requests per site)
	// to these site ids; nil means every site that is not deactivated.
	NotDeactivatedSites []string
	// EffectiveDate and Latest are passed to every report (see ReportOptions).
	EffectiveDate time.Time
	Latest        bool
}

// SitesWithCounts reads the site list and the usage for the asked bases with the fewest
// requests: one site list, one report per report type (at most 7, §4.1) and the endpoint
// list only for not_deactivated, all run concurrently within Config.Concurrency. Reports
// are joined to sites on SiteId. A failure that concerns every site (sign-in, scope,
// network, a report) fails the call; an endpoint-list failure of one site is recorded in
// that site's Errors.
func (c *Client) SitesWithCounts(ctx context.Context, opts UsageOptions) (*UsageSnapshot, error) {
	bases, err := normaliseBases(opts.Bases)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := newBoundedGroup(c.cfg.Concurrency, cancel)

	var (
		mu       sync.Mutex
		list     *SiteList
		reports  = map[ReportType]*UsageReport{}
		active   = map[string]int{}
		siteErrs = map[string]string{}
	)
	wantActive := slices.Contains(bases, BasisNotDeactivated)
	g.Go(ctx, func() error {
		l, err := c.Sites(ctx)
		if err != nil {
			return err
		}
		mu.Lock()
		list = l
		mu.Unlock()
		if !wantActive {
			return nil
		}
		for _, id := range activeCountSites(l.Sites, opts.NotDeactivatedSites) {
			g.Go(ctx, func() error {
				n, err := c.CountNotDeactivated(ctx, id)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					active[id] = n
				case fatalForAll(err):
					return err
				default:
					siteErrs[id] = userMessage(err)
				}
				return nil
			})
		}
		return nil
	})
	for _, t := range reportTypes(bases) {
		g.Go(ctx, func() error {
			r, err := c.Report(ctx, t, ReportOptions{EffectiveDate: opts.EffectiveDate, Latest: opts.Latest})
			if err != nil {
				return err
			}
			mu.Lock()
			reports[t] = r
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	snap := c.join(list, bases, reports, active, siteErrs, wantActive)
	c.log.Info("webroot usage read", "sites", len(snap.Sites), "bases", len(bases), "reports", len(reports),
		"endpoint_lists", len(active)+len(siteErrs), "report_only_sites", len(snap.ReportOnlySites))
	return snap, nil
}

// Usage is SitesWithCounts for every basis, indexed by SiteId.
func (c *Client) Usage(ctx context.Context) (map[string]SiteCounts, error) {
	snap, err := c.SitesWithCounts(ctx, UsageOptions{})
	if err != nil {
		return nil, err
	}
	return snap.ByID(), nil
}

func normaliseBases(in []Basis) ([]Basis, error) {
	if in == nil {
		return AllBases(), nil
	}
	var out []Basis
	for _, b := range in {
		if !b.Valid() {
			return nil, fmt.Errorf("webroot: %q is not a count basis", b)
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

func reportTypes(bases []Basis) []ReportType {
	var out []ReportType
	for _, b := range bases {
		if t := b.ReportType(); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func activeCountSites(sites []Site, only []string) []string {
	var ids []string
	for _, s := range sites {
		if only == nil && !s.Deactivated || only != nil && containsFold(only, s.ID) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(v string) bool { return strings.EqualFold(v, s) })
}

// fatalForAll: failures that would hit every site alike end the whole read.
func fatalForAll(err error) bool {
	switch KindOf(err) {
	case KindNotFound, KindAccessDenied, KindBadRequest, KindServer, KindBadResponse, KindThrottled:
		return false
	}
	return true
}

func userMessage(err error) string {
	if e, ok := err.(*Error); ok {
		return e.UserMessage()
	}
	return err.Error()
}
