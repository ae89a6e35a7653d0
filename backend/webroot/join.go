package webroot

import (
	"slices"
	"strings"
)

// join merges the site list, the reports and the endpoint counts on SiteId.
func (c *Client) join(list *SiteList, bases []Basis, reports map[ReportType]*UsageReport,
	active map[string]int, siteErrs map[string]string, wantActive bool) *UsageSnapshot {
	snap := &UsageSnapshot{Bases: bases, ReportDates: map[Basis]ReportDate{}, TotalSeatsAllowed: list.TotalSeatsAllowed, FetchedAt: c.now()}
	known := map[string]bool{}
	rows := map[ReportType]map[string]ReportSite{}
	for t, r := range reports {
		rows[t] = map[string]ReportSite{}
		for _, s := range r.Sites {
			rows[t][strings.ToLower(s.SiteID)] = s
		}
	}
	for _, s := range list.Sites {
		known[strings.ToLower(s.ID)] = true
		sc := SiteCounts{ID: s.ID, Name: s.Name, Comments: s.Comments, KeyCode: s.KeyCode, DevicesAllowed: s.DevicesAllowed,
			TotalEndpoints: s.TotalEndpoints, Suspended: s.Suspended, Deactivated: s.Deactivated, Counts: map[Basis]int{}}
		if strings.EqualFold(s.Description, "Trial") {
			sc.Trials = append(sc.Trials, ProductEndpoint.Module())
		}
		for _, m := range s.Modules {
			sc.Modules = append(sc.Modules, m.Type)
			if strings.EqualFold(m.LicenseType, "Trial") {
				sc.Trials = append(sc.Trials, m.Type)
			}
		}
		for _, b := range bases {
			t := b.ReportType()
			if t == "" {
				continue
			}
			row, ok := rows[t][strings.ToLower(s.ID)]
			sc.Counts[b] = row.Count
			if !ok || row.CountMissing {
				sc.Missing = append(sc.Missing, b)
			}
		}
		if wantActive {
			if n, ok := active[s.ID]; ok {
				sc.Counts[BasisNotDeactivated] = n
			} else if msg, failed := siteErrs[s.ID]; failed {
				sc.Counts[BasisNotDeactivated] = 0
				sc.Errors = map[Basis]string{BasisNotDeactivated: msg}
			}
		}
		snap.Sites = append(snap.Sites, sc)
	}
	for _, b := range bases {
		if r := reports[b.ReportType()]; r != nil {
			snap.ReportDates[b] = ReportDate{Requested: r.RequestedDate, Effective: r.EffectiveDate, FellBackToLatest: r.FellBackToLatest}
		}
	}
	extra := map[string]bool{}
	for _, t := range reportTypes(bases) {
		for _, s := range reports[t].Sites {
			id := strings.ToLower(s.SiteID)
			if !known[id] && !extra[id] {
				extra[id] = true
				snap.ReportOnlySites = append(snap.ReportOnlySites, s)
			}
		}
	}
	slices.SortStableFunc(snap.Sites, func(a, b SiteCounts) int {
		if n := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); n != 0 {
			return n
		}
		return strings.Compare(a.ID, b.ID)
	})
	return snap
}
