package demo

import (
	"time"

	"cwm-webroot/backend/simulator/managesim"
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
}

var demoCompanies = []demoCompany{
	{1000, "Bluewave IT Services", "", false, false}, // the MSP itself
	{1001, "Acme Corporation", "two", true, true},
	{1002, "Aperture Science", "active", false, true},
	{1003, "Black Mesa Research Facility", "active", false, false},
	{1004, "The Bluth Company", "active", false, false},
	{1005, "Buy n Large Corp", "active", true, true},
	{1006, "Central Perk Coffee", "active", true, false},
	{1057, "Contoso Pharmaceuticals", "active", true, true},
	{1007, "Cyberdyne Systems Corporation", "active", true, false},
	{1008, "Duff Brewing Co.", "active", true, false},
	{1009, "Dunder Mifflin Inc.", "active", true, false},
	{1063, "Fabrikam", "active", false, false},
	{1010, "Globex Corporation", "active", true, false},
	{1011, "Gringotts Bank", "active", true, false},
	{1012, "Initech", "active", false, false},
	{1013, "The Krusty Krab", "active", false, false},
	{1014, "Los Pollos Hermanos LLC", "active", true, false},
	{1015, "Massive Dynamic Inc", "active", true, true},
	{1016, "Monsters Incorporated", "active", false, false},
	{1017, "Nakatomi Trading Corporation", "active", true, false},
	{1042, "Northwind Traders", "active", true, false},
	{1018, "Oceanic Airlines", "cancelled", false, false},
	{1019, "Oscorp Industries", "active", true, false},
	{1020, "Paper Street Soap Company", "active", false, false},
	{1021, "Pied Piper", "active", true, true},
	{1022, "Prestige Worldwide", "", false, false},
	{1023, "Rekall", "active", false, false},
	{1024, "Sirius Cybernetics Corp.", "active", false, false},
	{1025, "Soylent Corporation", "active", false, false},
	{1026, "Stark Industries", "active", false, false},
	{1027, "Stark Industries", "active", true, false},
	{1028, "Sterling Cooper Draper Pryce", "active", false, true},
	{1088, "Tailspin Toys", "active", true, false},
	{1029, "Tyrell Corporation", "active", false, false},
	{1030, "Umbrella Corp", "two", true, true},
	{1031, "Vandelay Industries", "active", false, false},
	{1032, "Virtucon Industries", "active", false, false},
	{1033, "Wayne Enterprises", "active", false, true},
	{1034, "Weyland Yutani Corporation", "active", false, false},
	{1035, "Wonka Industries", "active", true, false},
	// Customers without Webroot, and near-misses the suggestions must not fall for.
	{1036, "Smith Dental", "active", false, false},
	{1037, "Jones Dental", "active", false, false},
	{1038, "Hooli XYZ Holdings", "active", false, false},
}

// Catalog items of the demo.
const (
	catalogEP   = 9001
	catalogDNS  = 9002
	catalogWSAT = 9003
	catalogM365 = 9004
)

// seedManage fills the Manage simulator with the demo MSP's companies, agreements and
// additions. Quantities are close to, but not always equal to, the Webroot usage, so the
// first sync has something to do.
func seedManage(ms *managesim.Server, now time.Time) {
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
	for i, c := range demoCompanies {
		ms.AddCompany(managesim.Company{ID: c.id, Identifier: identifier(c.name), Name: c.name})
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
		// Endpoint quantities drift from real usage by a few seats, as they do when someone
		// copies them by hand once a month.
		addAddition(a, catalogEP, float64(20+(i*7)%60))
		if c.dns {
			addAddition(a, catalogDNS, float64(10+(i*5)%40))
		}
		if c.wsat {
			addAddition(a, catalogWSAT, float64(5+(i*3)%30))
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
