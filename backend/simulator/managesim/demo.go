package managesim

import (
	"math/rand/v2"
	"time"
)

// Catalog identifiers of the Webroot products the demo bills.
const (
	ProductEndpoint = "WEBROOT-EP"
	ProductDNS      = "WEBROOT-DNS"
	ProductWSAT     = "WEBROOT-WSAT"
)

// Demo summarises what SeedDemo stored.
type Demo struct {
	Companies  []Company
	Agreements []Agreement
	Additions  []Addition
	Catalog    []CatalogItem
	Products   map[string]int // catalog identifier → catalog item id
}

// demoCompanies are the MSP's customers. The names vary the way real ones do (suffixes,
// punctuation, abbreviations), a few share a name, and one sits in the recycle bin, so the
// name matching and the pickers have something to tell apart.
var demoCompanies = []struct {
	identifier, name string
	deleted          bool
}{
	{"AcmeCorp", "Acme Corporation", false},
	{"AcmeCorp1", "Acme Corporation", true},
	{"Brightside", "Brightside Dental, LLC", false},
	{"CobaltLegal", "Cobalt Legal Group", false},
	{"DeltaVet", "Delta Veterinary Clinic", false},
	{"Evergreen", "Evergreen Property Mgmt.", false},
	{"FairviewFP", "Fairview Family Practice P.C.", false},
	{"GraniteOak", "Granite & Oak Builders Inc.", false},
	{"HarborPoint", "Harbor Point Marina", false},
	{"Ironwood", "Ironwood Accounting Ltd", false},
	{"JuniperHill", "Juniper Hill School", false},
	{"Keystone", "Keystone Logistics", false},
	{"LakesideOrtho", "Lakeside Orthopedics", false},
	{"MapleSt", "Maple Street Bakery", false},
	{"Northwind", "Northwind Traders", false},
	{"NorthwindWest", "Northwind Traders", false},
	{"OBrienSons", "O'Brien & Sons Plumbing", false},
	{"Pinnacle", "Pinnacle Wealth Advisors, Inc.", false},
	{"QuarryRoad", "Quarry Road Architects", false},
	{"Riverbend", "Riverbend Community Church", false},
	{"SummitPT", "Summit Physical Therapy", false},
	{"TriCounty", "Tri-County Insurance Agency", false},
	{"UnionSq", "Union Square Dental", false},
	{"ValleyCU", "Valley Credit Union", false},
	{"Westbrook", "Westbrook Auto Group", false},
	{"XenoLabs", "Xeno Labs", false},
	{"Yellowstone", "Yellowstone Outfitters", false},
	{"Zenith", "Zenith Manufacturing Co.", false},
	{"BlueHeron", "Blue Heron Veterinary", false},
	{"CedarCreek", "Cedar Creek Dental Group", false},
	{"Driftwood", `Driftwood "Coastal" Realty`, false},
	{"EastEnd", "East End Pediatrics", false},
	{"FoxRiver", "Fox River Credit Union", false},
	{"GoldenGate", "Golden Gate Law, PLLC", false},
	{"Hilltop", "Hilltop Senior Living", false},
	{"IndigoDesign", "Indigo Design Studio", false},
}

// SeedDemo fills the site with a realistic MSP's data: dozens of companies, their agreements
// (a few cancelled, expired or child agreements) and additions for the three Webroot products
// with quantities, plus other catalog items. The data depend only on now, so a demo looks
// the same every time.
func (s *Server) SeedDemo(now time.Time) Demo {
	rng := rand.New(rand.NewPCG(4, 2))
	now = now.UTC()
	day := func(days int) time.Time {
		d := now.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	}
	demo := Demo{Products: map[string]int{}}
	byID := map[int]CatalogItem{}
	for i, c := range []CatalogItem{
		{Identifier: ProductEndpoint, Description: "Webroot Business Endpoint Protection",
			Category: "Managed Services", Subcategory: "Security", Type: "Recurring", ProductClass: "Agreement",
			Manufacturer: "OpenText", Vendor: "Webroot", Price: 3.5, Cost: 1.75, Recurring: true,
			RecurringRevenue: 3.5, RecurringCost: 1.75, RecurringBillCycle: "Monthly"},
		{Identifier: ProductDNS, Description: "Webroot DNS Protection",
			Category: "Managed Services", Subcategory: "Security", Type: "Recurring", ProductClass: "Agreement",
			Manufacturer: "OpenText", Vendor: "Webroot", Price: 1.5, Cost: 0.8, Recurring: true,
			RecurringRevenue: 1.5, RecurringCost: 0.8, RecurringBillCycle: "Monthly"},
		{Identifier: ProductWSAT, Description: "Webroot Security Awareness Training",
			Category: "Managed Services", Subcategory: "Training", Type: "Recurring", ProductClass: "Agreement",
			Manufacturer: "OpenText", Vendor: "Webroot", Price: 2, Cost: 1, Recurring: true,
			RecurringRevenue: 2, RecurringCost: 1, RecurringBillCycle: "Monthly"},
		{Identifier: "WEBROOT-EP-LEGACY", Description: "Webroot SecureAnywhere (legacy SKU)",
			Inactive: true, Category: "Managed Services", Subcategory: "Security", Type: "Recurring",
			ProductClass: "Agreement", Manufacturer: "OpenText", Vendor: "Webroot", Price: 3, Cost: 1.5, Recurring: true},
		{Identifier: "M365-BP", Description: "Microsoft 365 Business Premium", Category: "Licensing",
			Subcategory: "Microsoft", Type: "Recurring", ProductClass: "Agreement", Manufacturer: "Microsoft",
			Vendor: "Pax8", Price: 24, Cost: 22, Recurring: true, RecurringBillCycle: "Monthly"},
		{Identifier: "BACKUP-WS", Description: "Workstation Backup", Category: "Managed Services",
			Subcategory: "Backup", Type: "Recurring", ProductClass: "Agreement", Manufacturer: "Datto",
			Vendor: "Datto", Price: 8, Cost: 3.2, Recurring: true, RecurringBillCycle: "Monthly"},
		{Identifier: "MSP-DESKTOP", Description: "Managed Desktop Support", Category: "Managed Services",
			Subcategory: "Support", Type: "Recurring", ProductClass: "Agreement", Manufacturer: "",
			Vendor: "", Price: 45, Cost: 0, Recurring: true, RecurringBillCycle: "Monthly"},
	} {
		c.ID = 750 + i
		c = s.AddCatalogItem(c)
		demo.Catalog = append(demo.Catalog, c)
		demo.Products[c.Identifier] = c.ID
		byID[c.ID] = c
	}

	agreementID, additionID := 870, 3580
	addAgreement := func(a Agreement) Agreement {
		agreementID++
		a.ID = agreementID
		if a.Type == "" {
			a.Type = "Managed Services"
		}
		if a.Status == "" && !a.Cancelled {
			a.Status = "Active"
		}
		a = s.AddAgreement(a)
		demo.Agreements = append(demo.Agreements, a)
		return a
	}
	addAddition := func(a Addition) {
		additionID++
		a.ID = additionID
		p := byID[a.ProductID]
		a.UnitPrice, a.UnitCost, a.Description = p.Price, p.Cost, p.Description
		if a.EffectiveDate.IsZero() {
			a.EffectiveDate = day(-400 + rng.IntN(300))
		}
		a.BilledQuantity = a.Quantity
		a.LastUpdated = day(-rng.IntN(60))
		demo.Additions = append(demo.Additions, s.AddAddition(a))
	}
	ep, dns, wsat := demo.Products[ProductEndpoint], demo.Products[ProductDNS], demo.Products[ProductWSAT]

	for i, dc := range demoCompanies {
		c := s.AddCompany(Company{ID: 250 + i, Identifier: dc.identifier, Name: dc.name, Deleted: dc.deleted})
		demo.Companies = append(demo.Companies, c)
		if dc.deleted {
			continue
		}
		seats := float64(5 + rng.IntN(120))
		ms := addAgreement(Agreement{Name: "Managed Services", CompanyID: c.ID,
			StartDate: day(-700 + rng.IntN(300)), NoEndingDate: true, BillAmount: 45 * seats, Prorate: i%3 == 0})
		epLine := Addition{AgreementID: ms.ID, ProductID: ep, Quantity: seats}
		if dc.identifier == "Brightside" {
			epLine.LessIncluded = Float(5) // five seats come with the agreement
		}
		addAddition(epLine)
		if i%2 == 0 {
			addAddition(Addition{AgreementID: ms.ID, ProductID: dns, Quantity: seats - float64(rng.IntN(5))})
		}
		if i%3 == 0 {
			addAddition(Addition{AgreementID: ms.ID, ProductID: wsat, Quantity: float64(3 + rng.IntN(80))})
		}
		if i%4 == 1 {
			addAddition(Addition{AgreementID: ms.ID, ProductID: demo.Products["M365-BP"], Quantity: float64(5 + rng.IntN(60))})
		}
		if i%5 == 2 {
			addAddition(Addition{AgreementID: ms.ID, ProductID: demo.Products["BACKUP-WS"], Quantity: seats})
		}

		// A few problems to find.
		switch dc.identifier {
		case "CobaltLegal":
			// An old agreement, cancelled, still holding an endpoint addition.
			old := addAgreement(Agreement{Name: "Managed Services 2022", CompanyID: c.ID,
				StartDate: day(-1100), EndDate: day(-400), Cancelled: true, Status: "Cancelled",
				DateCancelled: day(-400), ReasonCancelled: "Replaced by the new agreement"})
			addAddition(Addition{AgreementID: old.ID, ProductID: ep, Quantity: 12})
		case "DeltaVet":
			// An expired security agreement.
			exp := addAgreement(Agreement{Name: "Security Bundle", Type: "Security", CompanyID: c.ID,
				StartDate: day(-500), EndDate: day(-30), Status: "Expired"})
			addAddition(Addition{AgreementID: exp.ID, ProductID: wsat, Quantity: 18})
		case "Evergreen":
			// A child agreement for a second office.
			child := addAgreement(Agreement{Name: "Managed Services - Annex", CompanyID: c.ID,
				ParentID: ms.ID, StartDate: day(-200), NoEndingDate: true})
			addAddition(Addition{AgreementID: child.ID, ProductID: ep, Quantity: 9})
		case "Keystone":
			// The endpoint line was cancelled last month; DNS stays.
			addAddition(Addition{AgreementID: ms.ID, ProductID: ep, Quantity: 40, CancelledDate: day(-20)})
		case "Northwind":
			// An addition that ends next month is still active today.
			addAddition(Addition{AgreementID: ms.ID, ProductID: wsat, Quantity: 25, CancelledDate: day(25)})
		case "Pinnacle":
			// A second agreement with its own endpoint line: which one to map is a choice.
			sec := addAgreement(Agreement{Name: "Security Services", Type: "Security", CompanyID: c.ID,
				StartDate: day(-300), NoEndingDate: true})
			addAddition(Addition{AgreementID: sec.ID, ProductID: ep, Quantity: 7})
		case "QuarryRoad":
			// An inactive agreement.
			addAgreement(Agreement{Name: "Block Hours", Type: "Block Time", CompanyID: c.ID,
				StartDate: day(-90), EndDate: day(275), Status: "Inactive"})
		}
	}
	return demo
}
