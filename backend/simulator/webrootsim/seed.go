package webrootsim

import (
	"fmt"
	"strings"
	"time"
)

// Seeding. Generated ids come from the seeded generator, so the same
// calls on a simulator with the same Seed produce the same data.

// SetConsole replaces the console's details.
func (s *Server) SetConsole(c Console) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.console = c
}

// AddSite adds a site, filling in a missing ID, KeyCode, ReportKey, EndDate and billing
// fields, and returns it as stored.
func (s *Server) AddSite(in Site) Site {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ID == "" {
		in.ID = s.randomGUID()
	}
	if in.KeyCode == "" {
		in.KeyCode = s.randomKeycode()
	}
	if in.ReportKey == "" {
		in.ReportKey = s.randomKey()
	}
	if in.EndDate.IsZero() {
		in.EndDate = s.now().AddDate(1, 0, 0).Truncate(time.Second)
	}
	if in.BillingCycle == "" {
		in.BillingCycle, in.BillingDate = "Anually", "Jan 01"
	}
	if in.CreatedBy == "" {
		in.CreatedBy = s.opts.Username
	}
	if in.PolicyName == "" {
		in.PolicyName = "Recommended Defaults"
	}
	st := &site{Site: in}
	s.sites = append(s.sites, st)
	s.byID[strings.ToLower(in.ID)] = st
	return in
}

// UpdateSite changes a site's fields (not its ID).
func (s *Server) UpdateSite(id string, change func(*Site)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(id)]
	if st == nil {
		return errNoSite(id)
	}
	keep := st.ID
	change(&st.Site)
	st.ID = keep
	return nil
}

// AddEndpoints adds agents to a site as given.
func (s *Server) AddEndpoints(siteID string, eps ...Endpoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(siteID)]
	if st == nil {
		return errNoSite(siteID)
	}
	st.endpoints = append(st.endpoints, eps...)
	return nil
}

// EndpointMix describes a site's agents by kind; AddEndpointMix turns it into endpoints
// with timestamps relative to the simulator's clock. With D the latest report day (UTC
// today − 2), the counts are:
//
//	ActiveEndpointsWithoutHidden = Active + Stale
//	ActiveEndpoints              = Active + Hidden + Stale
//	EndpointsSeenInLast30Days    = Active + Hidden + RecentlyDeactivated
//	not deactivated (type=active) = Active + Hidden + Stale + New
type EndpointMix struct {
	Active              int // seen in the last hours
	Hidden              int // like Active, but hidden in the console
	Stale               int // not deactivated, last seen 31–120 days before D
	RecentlyDeactivated int // seen within 30 days before D, deactivated before D
	LongDeactivated     int // deactivated months ago
	New                 int // installed in the last hour: after D, so in no report yet
}

// AddEndpointMix adds the agents an EndpointMix describes.
func (s *Server) AddEndpointMix(siteID string, m EndpointMix) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(siteID)]
	if st == nil {
		return errNoSite(siteID)
	}
	now := s.now()
	d := reportDay(now)
	prefix := hostPrefix(st.Name)
	add := func(n int, f func(e *Endpoint)) {
		for range n {
			e := Endpoint{ID: s.randomHex(16), MachineID: s.randomHex(8), AgentVersion: s.agentVersion(),
				HostName: fmt.Sprintf("%s-%s-%03d", prefix, []string{"PC", "LT", "SRV", "WS"}[s.rng.IntN(4)], len(st.endpoints)+1)}
			e.FirstSeen = d.AddDate(0, 0, -30-s.rng.IntN(400))
			e.LastSeen = now.Add(-time.Duration(s.rng.IntN(600)) * time.Minute)
			f(&e)
			st.endpoints = append(st.endpoints, e)
		}
	}
	add(m.Active, func(*Endpoint) {})
	add(m.Hidden, func(e *Endpoint) { e.Hidden = true })
	add(m.Stale, func(e *Endpoint) { e.LastSeen = d.AddDate(0, 0, -31-s.rng.IntN(90)) })
	add(m.RecentlyDeactivated, func(e *Endpoint) {
		e.LastSeen = d.AddDate(0, 0, -1-s.rng.IntN(25))
		e.Deactivated, e.DeactivatedAt = true, e.LastSeen.Add(time.Hour)
	})
	add(m.LongDeactivated, func(e *Endpoint) {
		e.LastSeen = d.AddDate(0, 0, -40-s.rng.IntN(200))
		e.FirstSeen = e.LastSeen.AddDate(0, 0, -100)
		e.Deactivated, e.DeactivatedAt = true, e.LastSeen.AddDate(0, 0, 1)
	})
	add(m.New, func(e *Endpoint) {
		e.FirstSeen = now.Add(-time.Duration(10+s.rng.IntN(50)) * time.Minute)
		e.LastSeen = now.Add(-5 * time.Minute)
	})
	return nil
}

// SeenMix describes DNS Protection devices or training users. With D the latest report
// day: DevicesSeen/UsersSeen = Today; the 30-day types = Today + ThisMonth.
type SeenMix struct {
	Today     int // seen on or after D
	ThisMonth int // last seen 1–29 days before D
	Stale     int // last seen 31–90 days before D
	New       int // first seen in the last hour: in no report yet
}

// AddDNSMix adds DNS Protection devices and enables the DNSP module on the site.
func (s *Server) AddDNSMix(siteID string, m SeenMix) error {
	return s.addSeen(siteID, "DNSP", m, func(st *site, id, name string, first, last time.Time) {
		st.devices = append(st.devices, Device{ID: id, Name: name, FirstSeen: first, LastSeen: last})
	})
}

// AddWSATMix adds training users and enables the WSAT module on the site.
func (s *Server) AddWSATMix(siteID string, m SeenMix) error {
	return s.addSeen(siteID, "WSAT", m, func(st *site, id, name string, first, last time.Time) {
		st.users = append(st.users, TrainingUser{Email: name, FirstSeen: first, LastSeen: last})
	})
}

func (s *Server) addSeen(siteID, module string, m SeenMix, put func(st *site, id, name string, first, last time.Time)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byID[strings.ToLower(siteID)]
	if st == nil {
		return errNoSite(siteID)
	}
	if !st.HasModule(module) {
		st.Modules = append(st.Modules, module)
	}
	now := s.now()
	d := reportDay(now)
	gen := func(count int, last func() time.Time, first func(time.Time) time.Time) {
		for range count {
			l := last()
			name := fmt.Sprintf("%s-DNS-%03d", hostPrefix(st.Name), len(st.devices)+1)
			if module == "WSAT" {
				name = fmt.Sprintf("user%03d@%s.example", len(st.users)+1, strings.ToLower(hostPrefix(st.Name)))
			}
			put(st, s.randomHex(16), name, first(l), l)
		}
	}
	longAgo := func(l time.Time) time.Time { return d.AddDate(0, 0, -120-s.rng.IntN(200)) }
	gen(m.Today, func() time.Time { return now.Add(-time.Duration(s.rng.IntN(600)) * time.Minute) }, longAgo)
	gen(m.ThisMonth, func() time.Time { return d.AddDate(0, 0, -1-s.rng.IntN(29)) }, longAgo)
	gen(m.Stale, func() time.Time { return d.AddDate(0, 0, -31-s.rng.IntN(60)) }, longAgo)
	gen(m.New, func() time.Time { return now.Add(-5 * time.Minute) }, func(time.Time) time.Time { return now.Add(-30 * time.Minute) })
	return nil
}
