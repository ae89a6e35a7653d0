package webrootsim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// netTime formats like .NET's round-trip "o" format, as the console does (§7).
func netTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

func (s *Server) consoleJSON() map[string]any {
	deactivated := 0
	for _, st := range s.sites {
		if st.Deactivated {
			deactivated++
		}
	}
	c := s.console
	modules := []map[string]any{}
	for _, m := range c.Modules {
		modules = append(modules, map[string]any{"Type": m, "Seats": c.TotalSeatsAllowed, "LicenseType": c.LicenseType, "EndDate": netTime(c.EndDate)})
	}
	return map[string]any{
		"GSMConsoleName": c.Name, "CreatedDate": netTime(c.CreatedDate), "EndDate": netTime(c.EndDate),
		"RemainingDays": int(c.EndDate.Sub(s.now()).Hours() / 24), "LicenseType": c.LicenseType,
		"TotalSeatsAllowed": c.TotalSeatsAllowed, "TotalSites": len(s.sites), "DeactivatedSites": deactivated,
		"CompanyEmail": c.CompanyEmail, "CompanyPhone": "", "CompanyAddress": "", "Modules": modules,
	}
}

// sitesJSON is the GetGSMSitesResponseModel envelope (§3.2, §3.3).
func (s *Server) sitesJSON(list []*site) map[string]any {
	sites := make([]map[string]any, 0, len(list))
	sumDevices, sumAllowed, sumNotTrial, sumMobile := 0, 0, 0, 0
	for _, st := range list {
		sites = append(sites, s.siteJSON(st))
		sumDevices += st.activeDevices()
		sumAllowed += st.DevicesAllowed
		sumMobile += st.MobileSeats
		if !st.Trial {
			sumNotTrial += st.DevicesAllowed
		}
	}
	desc := s.console.LicenseType
	return map[string]any{
		"TotalSeatsAllowed": s.console.TotalSeatsAllowed, "ParentDescription": desc, "SumTotalDevices": sumDevices,
		"SumTotalDevicesAllowed": sumAllowed, "SumTotalDevicesNotTrial": sumNotTrial,
		"SumTotalMobileDevicesAllowed": sumMobile, "TotalCount": len(list), "Sites": sites,
	}
}

func (s *Server) siteJSON(st *site) map[string]any {
	key := st.KeyCode
	if s.indexOf(st)%2 == 1 { // live values come without dashes, docs show them with (§3.2)
		key = normalizeKeycode(key)
	}
	description := "Full"
	if st.Trial {
		description = "Trial"
	}
	modules := []map[string]any{}
	for _, m := range st.Modules {
		modules = append(modules, map[string]any{"Type": m, "LicenseType": description, "EndDate": netTime(st.EndDate)})
	}
	return map[string]any{
		"SiteId": st.ID, "SiteName": st.Name, "SiteType": "R", "TotalEndpoints": st.activeDevices(), "PCsInfected24": 0,
		"AccountKeyCode": key, "DevicesAllowed": st.DevicesAllowed, "MobileSeats": st.MobileSeats,
		"Deactivated": st.Deactivated, "Suspended": st.Suspended, "EndDate": netTime(st.EndDate), "Device": true,
		"Infect": false, "BillingCycle": st.BillingCycle, "BillingDate": st.BillingDate, "CompanyComments": st.Comments,
		"DeactivatedBy": nullable(st.DeactivatedBy), "SuspendedBy": nullable(st.SuspendedBy), "CreatedBy": st.CreatedBy,
		"GlobalPolicies": true, "GlobalOverrides": true, "GlobalAlerts": true, "AllKeysExpired": false,
		"Description": description, "PolicyId": "0ef228d3-5ed1-4cf1-a7ff-6e25a45f2486", "PolicyName": st.PolicyName,
		"PolicyDescription": "", "Emails": st.CreatedBy, "AccessLevel": 128, "Modules": modules,
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) indexOf(st *site) int {
	for i, x := range s.sites {
		if x == st {
			return i
		}
	}
	return -1
}

// endpointList serves /sites/{id}/endpoints with type, order and page-number paging (§3.4).
func (s *Server) endpointList(w http.ResponseWriter, r *http.Request, st *site) {
	q := r.URL.Query()
	typ := strings.ToLower(q.Get("type"))
	if typ != "" && typ != "active" && typ != "deactivated" {
		s.writeEnvelope(w, http.StatusBadRequest, "", "The type must be active or deactivated.")
		return
	}
	pageSize, ok1 := intParam(q.Get("pageSize"), 50)
	pageNr, ok2 := intParam(q.Get("pageNr"), 1)
	if !ok1 || !ok2 || pageSize < 1 || pageNr < 1 {
		s.writeEnvelope(w, http.StatusBadRequest, "", "pageSize and pageNr must be positive whole numbers.")
		return
	}
	pageSize = min(pageSize, s.opts.MaxPageSize)

	var all, filtered []Endpoint
	for _, e := range st.endpoints {
		all = append(all, e)
		if typ == "" || (typ == "active") == !e.Deactivated {
			filtered = append(filtered, e)
		}
	}
	items, total := filtered, len(filtered)
	switch s.opts.EndpointFilter {
	case FilterIgnored:
		items, total = all, len(all)
	case FilterTotalUnfiltered:
		total = len(all)
	}
	sortEndpoints(items, q.Get("order"), q.Get("orderDirection"))
	from := min((pageNr-1)*pageSize, len(items))
	to := min(from+pageSize, len(items))
	out := make([]map[string]any, 0, to-from)
	for _, e := range items[from:to] {
		out = append(out, map[string]any{
			"EndpointId": e.ID, "HostName": e.HostName, "MachineId": e.MachineID, "AgentVersion": e.AgentVersion,
			"FirstSeen": netTime(e.FirstSeen), "LastSeen": netTime(e.LastSeen), "Deactivated": e.Deactivated,
			"LastInfected": nil,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"Endpoints": out, "TotalAvailable": total, "PageNr": pageNr, "PageSize": pageSize})
}

func intParam(v string, def int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func sortEndpoints(list []Endpoint, order, dir string) {
	less := func(a, b Endpoint) bool {
		if x, y := strings.ToLower(a.HostName), strings.ToLower(b.HostName); x != y {
			return x < y
		}
		return a.ID < b.ID // a stable order keeps pages from overlapping
	}
	switch strings.ToLower(order) {
	case "firstseen":
		less = func(a, b Endpoint) bool { return a.FirstSeen.Before(b.FirstSeen) }
	case "lastseen":
		less = func(a, b Endpoint) bool { return a.LastSeen.Before(b.LastSeen) }
	case "agentversion":
		less = func(a, b Endpoint) bool { return a.AgentVersion < b.AgentVersion }
	}
	desc := strings.EqualFold(dir, "D")
	sort.SliceStable(list, func(i, j int) bool {
		if desc {
			return less(list[j], list[i])
		}
		return less(list[i], list[j])
	})
}
