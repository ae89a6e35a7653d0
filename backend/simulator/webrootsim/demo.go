package webrootsim

import (
	"strings"
)

// DemoConsoleName is the GSM console SeedDemo creates.
const DemoConsoleName = "Bluewave IT Services"

// demoCustomer is one GSM site of the demo MSP. Names vary the way real consoles do
// (suffixes, punctuation, branch names), so name matching has work to do.
type demoCustomer struct {
	name     string
	comments string
	size     int // active agents; 0 picks nothing
	dns      bool
	wsat     bool
	special  string
}

// demoCustomers is the demo MSP's book of customers. cwm-id hints name Manage company ids
// the Manage simulator's demo data is expected to use.
var demoCustomers = []demoCustomer{
	{name: "Acme Corp", size: 42, dns: true, wsat: true},
	{name: "ACME Corporation LLC", comments: "Branch office, Denver", size: 12, dns: true},
	{name: "Globex Inc.", size: 67, dns: true},
	{name: "Initech", comments: "Keeps adding laptops; seat limit agreed at 25", size: 27, special: "over-limit"},
	{name: "Umbrella Corporation", size: 118, dns: true, wsat: true},
	{name: "Stark Industries", size: 35},
	{name: "Stark Industries", comments: "Second site, same name: Malibu lab", size: 9, dns: true},
	{name: "Wayne Enterprises, Inc.", size: 88, wsat: true},
	{name: "Wonka Industries", size: 23, dns: true},
	{name: "Hooli", size: 54, dns: true, special: "missing-from-dns-report"},
	{name: "Pied Piper LLC", size: 14, dns: true, wsat: true},
	{name: "Soylent Corp.", size: 31},
	{name: "Cyberdyne Systems", size: 76, dns: true},
	{name: "Tyrell Corp", size: 19},
	{name: "Vandelay Industries", comments: "On hold: unpaid invoices", size: 16, special: "suspended"},
	{name: "Dunder Mifflin Paper Company", size: 44, dns: true},
	{name: "Dunder-Mifflin Scranton", size: 18, dns: true},
	{name: "Oceanic Airlines", comments: "Customer left in March", size: 0, special: "deactivated"},
	{name: "Massive Dynamic", size: 142, dns: true, wsat: true},
	{name: "Aperture Science, Inc", size: 37, wsat: true},
	{name: "Black Mesa Research", size: 58},
	{name: "Gringotts Bank Ltd", size: 29, dns: true},
	{name: "Monsters, Inc.", size: 33},
	{name: "Los Pollos Hermanos", size: 11, dns: true},
	{name: "Bluth Company", size: 21},
	{name: "Prestige Worldwide", comments: "Trial until the contract is signed", size: 6, special: "trial"},
	{name: "Sterling Cooper Draper Pryce", size: 26, wsat: true},
	{name: "Krusty Krab", size: 8},
	{name: "Central Perk Coffee", size: 5, dns: true},
	{name: "Paper Street Soap Co.", comments: "Moved to another antivirus; agents uninstalled", size: 0},
	{name: "Nakatomi Trading Corp", size: 71, dns: true},
	{name: "Buy n Large", size: 95, dns: true, wsat: true},
	{name: "Virtucon", size: 24},
	{name: "Oscorp Industries", size: 48, dns: true},
	{name: "Rekall Inc", size: 15},
	{name: "Weyland-Yutani Corp", size: 63, wsat: true},
	{name: "Duff Brewing Company", size: 22, dns: true},
	{name: "Sirius Cybernetics", size: 17},
	{name: "Northwind Traders", comments: "cwm-id=1042", size: 39, dns: true},
	{name: "Contoso Ltd", comments: "Primary contact: J. Doe\ncwm-id=1057", size: 52, dns: true, wsat: true},
	{name: "Fabrikam, Inc.", comments: "billing: quarterly; cwm-id = 1063", size: 28},
	{name: "Tailspin Toys (Main Office)", comments: "cwm-id=1088", size: 20, dns: true},
	{name: "New Customer - Setup Pending", comments: "Agents not deployed yet", size: 0},
}

var demoBilling = [][2]string{{"Anually", "Jan 01"}, {"Annually", "Jul 01"}, {"Monthly", "1"}, {"Quarterly", "Apr 01"}, {"monthly", "15"}}

// SeedDemo fills the simulator with a realistic MSP: the console DemoConsoleName and 43
// sites with endpoint mixes whose counts differ on every basis, DNS Protection and
// training on some sites, duplicate and varied names, cwm-id hints, a site over its seat
// limit, a suspended, a deactivated and a trial site, two empty sites (one new, one whose
// agents were uninstalled), and a DNSP site left out of the DNS reports. It returns the sites as stored. For a fresh simulator the result
// depends only on Options.Seed and the clock's day.
func (s *Server) SeedDemo() []Site {
	now := s.now()
	s.SetConsole(Console{Name: DemoConsoleName, CreatedDate: now.AddDate(-6, -2, 0), EndDate: now.AddDate(0, 9, 0),
		LicenseType: "Full", TotalSeatsAllowed: 2500, CompanyEmail: s.opts.Username, Modules: []string{"DNSP", "WSAT"}})
	out := make([]Site, 0, len(demoCustomers))
	for i, c := range demoCustomers {
		bill := demoBilling[i%len(demoBilling)]
		in := Site{Name: c.name, Comments: c.comments, BillingCycle: bill[0], BillingDate: bill[1],
			DevicesAllowed: roundUp(c.size+c.size/5+5, 5), MobileSeats: 5 * (i % 3)}
		switch c.special {
		case "over-limit":
			in.DevicesAllowed = 25
		case "suspended":
			in.Suspended, in.SuspendedBy = true, s.opts.Username
		case "deactivated":
			in.Deactivated, in.DeactivatedBy = true, s.opts.Username
		case "trial":
			in.Trial = true
		}
		st := s.AddSite(in)
		s.seedUsage(st.ID, c)
		if c.special == "missing-from-dns-report" {
			s.OmitFromReport(st.ID, ReportDevicesSeen)
			s.OmitFromReport(st.ID, ReportDevicesSeenInLast30Days)
		}
		got, _ := s.Site(st.ID)
		out = append(out, got)
	}
	return out
}

// seedUsage gives a site agents, DNS devices and training users in proportion to its size.
func (s *Server) seedUsage(id string, c demoCustomer) {
	s.mu.Lock()
	pick := func(n int) int {
		if n <= 0 {
			return 0
		}
		return s.rng.IntN(n + 1)
	}
	size := c.size
	mix := EndpointMix{Active: size, Hidden: 1 + pick(size/15), Stale: 1 + pick(size/10), RecentlyDeactivated: pick(3),
		LongDeactivated: pick(5), New: pick(2)}
	if size == 0 {
		mix = EndpointMix{}
	}
	if c.special == "deactivated" {
		mix = EndpointMix{LongDeactivated: 12}
	}
	var dns, wsat SeenMix
	if c.dns {
		dns = SeenMix{Today: size - size/8, ThisMonth: 1 + pick(size/6), Stale: pick(4), New: pick(1)}
	}
	if c.wsat {
		wsat = SeenMix{Today: size/3 + pick(size/4), ThisMonth: 2 + pick(size/5), Stale: pick(3)}
	}
	s.mu.Unlock()

	_ = s.AddEndpointMix(id, mix)
	if c.dns {
		_ = s.AddDNSMix(id, dns)
	}
	if c.wsat {
		_ = s.AddWSATMix(id, wsat)
	}
}

func roundUp(n, step int) int { return (n + step - 1) / step * step }

// DemoSitesNamed returns the seeded sites whose name contains part (case-insensitive).
func DemoSitesNamed(sites []Site, part string) []Site {
	var out []Site
	for _, s := range sites {
		if strings.Contains(strings.ToLower(s.Name), strings.ToLower(part)) {
			out = append(out, s)
		}
	}
	return out
}
