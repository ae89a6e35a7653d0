package webrootsim

import (
	"net/http"
	"strings"
	"time"
)

// routeReporting serves /status/reporting/gsm/{key}/sites[/dnsp|/wsat] (§4).
func (s *Server) routeReporting(w http.ResponseWriter, r *http.Request, rest []string) {
	family := ""
	switch {
	case len(rest) == 1 && rest[0] == "sites":
	case len(rest) == 2 && rest[0] == "sites" && (rest[1] == "dnsp" || rest[1] == "wsat"):
		family = rest[1]
	default:
		s.writeEnvelope(w, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI.")
		return
	}
	q := r.URL.Query()
	reportType := q.Get("reportType")
	if reportType == "" {
		reportType = defaultReport[family]
	}
	if f, ok := reportFamily(reportType); !ok || f != family {
		s.writeEnvelope(w, http.StatusBadRequest, "", "The reportType '"+reportType+"' is not valid for this report.")
		return
	}

	latest := reportDay(s.now())
	day := latest
	if v := q.Get("effectiveDate"); v != "" {
		t, ok := parseDate(v)
		if !ok {
			s.writeEnvelope(w, http.StatusBadRequest, "", "The effectiveDate '"+v+"' is not a valid date.")
			return
		}
		day = t
		if day.After(latest) { // yesterday or later: not generated yet (§4)
			switch s.opts.TooRecentDay {
			case TooRecentRejected:
				s.writeEnvelope(w, http.StatusBadRequest, "", "Usage data can only be provided for dates earlier than yesterday (UTC).")
				return
			case TooRecentEmpty:
				writeJSON(w, http.StatusOK, s.reportJSON(reportType, family, day, true))
				return
			case TooRecentLatest:
				day = latest
			}
		}
	}
	writeJSON(w, http.StatusOK, s.reportJSON(reportType, family, day, false))
}

// parseDate accepts the DOC's 2024-04-20T00:00:00.0000000Z and plainer forms, truncated
// to the UTC day.
func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
			y, m, d := t.UTC().Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// reportJSON builds a site usage report. Endpoint reports list every site; DNSP and WSAT
// reports list the sites with that module.
func (s *Server) reportJSON(reportType, family string, day time.Time, empty bool) map[string]any {
	rows := []map[string]any{}
	for _, st := range s.sites {
		if empty || (family == "dnsp" && !st.HasModule("DNSP")) || (family == "wsat" && !st.HasModule("WSAT")) ||
			s.knobs.omitSite[reportType][strings.ToLower(st.ID)] {
			continue
		}
		row := s.reportRow(st, family)
		field := map[string]string{"": "TotalEndpoints", "dnsp": "TotalDNSPAgents", "wsat": "TotalWSATUsers"}[family]
		if !s.knobs.omitCount[reportType][strings.ToLower(st.ID)] {
			row[field] = st.count(reportType, day)
		}
		rows = append(rows, row)
	}
	return map[string]any{
		"ReportInfo": map[string]any{"Count": len(rows), "SiteKeyFilter": nil, "ReportType": reportType,
			"EffectiveDate": day.Format("2006-01-02T15:04:05Z"), "GSMKey": s.reportKey},
		"Sites": rows,
	}
}

func (s *Server) reportRow(st *site, family string) map[string]any {
	license := "Full"
	if st.Trial {
		license = "Trial"
	}
	state := "active"
	switch {
	case st.Deactivated:
		state = "deactivated"
	case st.Suspended:
		state = "suspended"
	}
	expiry := netTime(st.EndDate)
	switch family {
	case "dnsp":
		return map[string]any{"SiteId": st.ID, "SiteKey": st.ReportKey, "SiteName": st.Name, "SiteLicenseType": license,
			"SiteExpiryDate": expiry, "SiteState": state, "DNSPEnabled": true, "DNSPLicenseType": license, "DNSPExpiryDate": expiry}
	case "wsat":
		return map[string]any{"SiteId": st.ID, "SiteKey": st.ReportKey, "SiteName": st.Name, "SiteLicenseType": license,
			"SiteExpiryDate": expiry, "SiteState": state, "SiteStateChangedDate": netTime(st.EndDate.AddDate(-1, 0, 0)),
			"WSATEnabled": true, "WSATLicenseType": license, "WSATExpiryDate": expiry}
	}
	return map[string]any{"SiteId": st.ID, "SiteKey": st.ReportKey, "SiteName": st.Name, "LicenseType": license, "ExpiryDate": expiry}
}
