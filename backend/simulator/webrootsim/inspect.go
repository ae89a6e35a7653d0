package webrootsim

import (
	"strings"
	"time"
)

// Inspection, for tests and the demo.

// Console returns the console's details.
func (s *Server) Console() Console {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.console
}

// Sites returns every site, in the order added.
func (s *Server) Sites() []Site {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Site, 0, len(s.sites))
	for _, st := range s.sites {
		out = append(out, st.Site)
	}
	return out
}

// Site returns one site.
func (s *Server) Site(id string) (Site, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(id)]
	if st == nil {
		return Site{}, false
	}
	return st.Site, true
}

// Endpoints returns a site's agents.
func (s *Server) Endpoints(siteID string) []Endpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(siteID)]
	if st == nil {
		return nil
	}
	return append([]Endpoint(nil), st.endpoints...)
}

// ReportCount is a site's figure on a report type for the latest report day, as the
// reports serve it (0 for a site the report leaves out).
func (s *Server) ReportCount(siteID, reportType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(siteID)]
	if st == nil {
		return 0
	}
	return st.count(reportType, reportDay(s.now()))
}

// NotDeactivatedCount is a site's endpoint count with type=active.
func (s *Server) NotDeactivatedCount(siteID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(siteID)]
	if st == nil {
		return 0
	}
	return st.notDeactivated()
}

// LatestReportDay is the day reports are for when no effectiveDate is sent.
func (s *Server) LatestReportDay() time.Time { return reportDay(s.now()) }
