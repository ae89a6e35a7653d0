package demo

import (
	"strings"
	"time"

	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
)

// demoCompany is one Manage company of the demo MSP and the GSM site it bills, when any. Names
// vary from the site names the way real ones do (legal forms, "The", punctuation), so the
// suggestions have work to do; the cwm-id hints in the Webroot demo point at 1042, 1057,
// 1063 and 1088.
type demoCompany struct {
	id   int
	name string
	// agreement: "" (none yet), "active", "cancelled" (the only agreement was cancelled),
	// "two" (an old cancelled agreement and a current one).
	agreement string
	dns, wsat bool
	// sites are the GSM sites (webrootsim's demo) whose usage the company is billed for:
	// "Name" is the first site of that name, "Name/words" the one whose comments contain
	// the words.
	sites []string
}

var demoCompanies = []demoCompany{
	{1000, "Bluewave IT Services", "", false, false, nil}, // the MSP itself
	{1001, "Acme Corporation", "two", true, true, []string{"Acme Corp", "ACME Corporation LLC"}},
	{1002, "Aperture Science", "active", false, true, []string{"Aperture Science, Inc"}},
	{1003, "Black Mesa Research Facility", "active", false, false, []string{"Black Mesa Research"}},
	{1004, "The Bluth Company", "active", false, false, []string{"Bluth Company"}},
	{1005, "Buy n Large Corp", "active", true, true, []string{"Buy n Large"}},
	{1006, "Central Perk Coffee", "active", true, false, []string{"Central Perk Coffee"}},
	{1057, "Contoso Pharmaceuticals", "active", true, true, []string{"Contoso Ltd"}},
	{1007, "Cyberdyne Systems Corporation", "active", true, false, []string{"Cyberdyne Systems"}},
	{1008, "Duff Brewing Co.", "active", true, false, []string{"Duff Brewing Company"}},
	{1009, "Dunder Mifflin Inc.", "active", true, false, []string{"Dunder Mifflin Paper Company", "Dunder-Mifflin Scranton"}},
	{1063, "Fabrikam", "active", false, false, []string{"Fabrikam, Inc."}},
	{1010, "Globex Corporation", "active", true, false, []string{"Globex Inc."}},
	{1011, "Gringotts Bank", "active", true, false, []string{"Gringotts Bank Ltd"}},
	{1012, "Initech", "active", false, false, []string{"Initech"}},
	{1013, "The Krusty Krab", "active", false, false, []string{"Krusty Krab"}},
	{1014, "Los Pollos Hermanos LLC", "active", true, false, []string{"Los Pollos Hermanos"}},
	{1015, "Massive Dynamic Inc", "active", true, true, []string{"Massive Dynamic"}},
	{1016, "Monsters Incorporated", "active", false, false, []string{"Monsters, Inc."}},
	{1017, "Nakatomi Trading Corporation", "active", true, false, []string{"Nakatomi Trading Corp"}},
	{1042, "Northwind Traders", "active", true, false, []string{"Northwind Traders"}},
	{1018, "Oceanic Airlines", "cancelled", false, false, []string{"Oceanic Airlines"}},
	{1019, "Oscorp Industries", "active", true, false, []string{"Oscorp Industries"}},
	{1020, "Paper Street Soap Company", "active", false, false, []string{"Paper Street Soap Co."}},
	{1021, "Pied Piper", "active", true, true, []string{"Pied Piper LLC"}},
	{1022, "Prestige Worldwide", "", false, false, []string{"Prestige Worldwide"}},
	{1023, "Rekall", "active", false, false, []string{"Rekall Inc"}},
	{1024, "Sirius Cybernetics Corp.", "active", false, false, []string{"Sirius Cybernetics"}},
	{1025, "Soylent Corporation", "active", false, false, []string{"Soylent Corp."}},
	{1026, "Stark Industries", "active", false, false, []string{"Stark Industries"}},
	{1027, "Stark Industries", "active", true, false, []string{"Stark Industries/Malibu"}},
	{1028, "Sterling Cooper Draper Pryce", "active", false, true, []string{"Sterling Cooper Draper Pryce"}},
	{1088, "Tailspin Toys", "active", true, false, []string{"Tailspin Toys (Main Office)"}},
	{1029, "Tyrell Corporation", "active", false, false, []string{"Tyrell Corp"}},
	{1030, "Umbrella Corp", "two", true, true, []string{"Umbrella Corporation"}},
	{1031, "Vandelay Industries", "active", false, false, []string{"Vandelay Industries"}},
	{1032, "Virtucon Industries", "active", false, false, []string{"Virtucon"}},
	{1033, "Wayne Enterprises", "active", false, true, []string{"Wayne Enterprises, Inc."}},
	{1034, "Weyland Yutani Corporation", "active", false, false, []string{"Weyland-Yutani Corp"}},
	{1035, "Wonka Industries", "active", true, false, []string{"Wonka Industries"}},
	// Customers without Webroot, and near-misses the suggestions must not fall for.
	{1036, "Smith Dental", "active", false, false, nil},
	{1037, "Jones Dental", "active", false, false, nil},
	{1038, "Hooli XYZ Holdings", "active", false, false, nil},
}

// Catalog items of the demo.
const (
	catalogEP   = 9001
	catalogDNS  = 9002
	catalogWSAT = 9003
	catalogM365 = 9004
)

// usage is what Webroot counts for one company's sites on each product's default basis.
type usage struct{ endpoint, dns, wsat int }

// webrootUsage sums the demo Webroot counts of each company's sites, as the first sync
// reads them (the default basis of each product, the latest report day).
func webrootUsage(ws *webrootsim.Server) map[int]usage {
	sites := ws.Sites()
	find := func(ref string) (webrootsim.Site, bool) {
		name, words, qualified := strings.Cut(ref, "/")
		for _, st := range sites {
			if st.Name == name && (!qualified || strings.Contains(st.Comments, words)) {
				return st, true
			}
		}
		return webrootsim.Site{}, false
	}
	out := map[int]usage{}
	for _, c := range demoCompanies {
		var u usage
		for _, ref := range c.sites {
			st, ok := find(ref)
			if !ok {
				continue
			}
			u.endpoint += ws.ReportCount(st.ID, webrootsim.ReportActiveEndpointsWithoutHidden)
			u.dns += ws.ReportCount(st.ID, webrootsim.ReportDevicesSeen)
			u.wsat += ws.ReportCount(st.ID, webrootsim.ReportUsersSeen)
		}
		out[c.id] = u
	}
	return out
}

// demoDrift is how far Manage's quantities lag behind Webroot, in seats, addition after
// addition: mostly a few seats either way, now and then exactly right, as when someone
// copies the figures by hand once a month.
var demoDrift = []int{2, -1, 0, 3, -2, 1, 0, -3, 1, 2, -1, 0}

// demoJumps are the additions whose customer grew a lot since they were last billed:
// Manage holds this share (%) of the Webroot usage, so the sync holds them for review.
var demoJumps = map[int]map[int]int{
	1015: {catalogEP: 60},  // Massive Dynamic rolled out a new office
	1030: {catalogDNS: 45}, // Umbrella turned DNS Protection on everywhere
}

// billed is the quantity Manage holds for a usage of n: n minus the drift, kept within the
// 20 % review threshold so that the first sync applies it without review.
func billed(n, k int) int {
	d := demoDrift[k%len(demoDrift)]
	limit := n / 6 // |d| <= n/6 keeps |d| within 20 % of n-d
	d = max(-limit, min(limit, d))
	return n - d
}

// seedManage fills the Manage simulator with the demo MSP's companies, agreements and
// additions. Quantities follow the Webroot usage (use) within a few seats, so the first
// sync applies most changes by itself; a few need review: a customer who uninstalled
// the agents (a drop to 0) and two large jumps.
func seedManage(ms *managesim.Server, now time.Time, use map[int]usage) {
	for _, c := range []managesim.CatalogItem{
		{ID: catalogEP, Identifier: "WEBROOT-EP", Description: "Webroot SecureAnywhere Endpoint Protection", ProductClass: "Agreement", Price: 3.5, Cost: 1.75, Recurring: true},
		{ID: catalogDNS, Identifier: "WEBROOT-DNS", Description: "Webroot DNS Protection", ProductClass: "Agreement", Price: 1.5, Cost: 0.6, Recurring: true},
		{ID: catalogWSAT, Identifier: "WEBROOT-WSAT", Description: "Webroot Security Awareness Training", ProductClass: "Agreement", Price: 2, Cost: 0.9, Recurring: true},
		{ID: catalogM365, Identifier: "M365-BP", Description: "Microsoft 365 Business Premium", ProductClass: "Agreement", Price: 22, Cost: 19.8, Recurring: true},
	} {
		ms.AddCatalogItem(c)
	}
	start := now.AddDate(-1, 0, 0)
	agreementID, additionID := 5000, 7000
	addAgreement := func(c demoCompany, name string, cancelled bool) int {
		agreementID++
		a := managesim.Agreement{ID: agreementID, Name: name, Type: "Managed Services", CompanyID: c.id, StartDate: start, NoEndingDate: true, Status: "Active"}
		if cancelled {
			a.Cancelled, a.DateCancelled, a.Status, a.ReasonCancelled = true, now.AddDate(0, -2, 0), "Cancelled", "Customer left"
		}
		ms.AddAgreement(a)
		return agreementID
	}
	addAddition := func(agreement, product int, qty float64) {
		additionID++
		ms.AddAddition(managesim.Addition{ID: additionID, AgreementID: agreement, ProductID: product, Quantity: qty, UnitPrice: 3.5, EffectiveDate: start})
	}
	k := 0 // additions so far that follow Webroot, for the drift
	quantity := func(c demoCompany, product, n, fallback int) float64 {
		switch {
		case len(c.sites) == 0:
			return float64(fallback)
		case n == 0:
			// The customer uninstalled the agents (Paper Street) but is still billed: the
			// sync proposes 0 and holds it for review.
			return 12
		}
		if share, ok := demoJumps[c.id][product]; ok {
			return float64(n * share / 100)
		}
		k++
		return float64(billed(n, k))
	}
	for i, c := range demoCompanies {
		ms.AddCompany(managesim.Company{ID: c.id, Identifier: identifier(c.name), Name: c.name})
		u := use[c.id]
		switch c.agreement {
		case "":
			continue
		case "cancelled":
			a := addAgreement(c, c.name+" - Managed Services", true)
			addAddition(a, catalogEP, 5)
			continue
		case "two":
			old := addAgreement(c, c.name+" - Managed Services (2024)", true)
			addAddition(old, catalogEP, 40)
		}
		a := addAgreement(c, c.name+" - Managed Services", false)
		addAddition(a, catalogEP, quantity(c, catalogEP, u.endpoint, 20+(i*7)%60))
		if c.dns {
			addAddition(a, catalogDNS, quantity(c, catalogDNS, u.dns, 10+(i*5)%40))
		}
		if c.wsat {
			addAddition(a, catalogWSAT, quantity(c, catalogWSAT, u.wsat, 5+(i*3)%30))
		}
		if i%3 == 0 {
			addAddition(a, catalogM365, float64(10+i))
		}
	}
}

// identifier makes Manage's short company code from a name, as MSPs typically do.
func identifier(name string) string {
	out := []rune{}
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			out = append(out, r)
		}
		if len(out) == 20 {
			break
		}
	}
	return string(out)
}
