package suggest

import "strings"

// Token classes. Only distinctive tokens count as evidence that two names are the same
// business; the others just make names look alike.
const (
	classStop     uint8 = iota // the, and, of … (weight 0)
	classFiller                // group, services, holdings, international … (added or dropped freely)
	classCategory              // dental, law, bank, plumbing … (line of business: never evidence, and two different ones conflict)
	classNumber                // all digits: must agree exactly when both names have numbers
	classDistinct              // everything else
)

const (
	weightFiller   = 0.12
	weightCategory = 0.6
	weightNumber   = 1.0
	weightMinRare  = 0.55 // a distinctive token found in every company
)

var stopWords = set(`the and of for by at und et de du des la le les der die das`)

var fillerWords = set(`service solution system technology group consulting partners partnership
	holdings enterprises associates ventures industries management resources products network
	computer software digital online international global worldwide usa us uk office team firm
	agency studio works center department main hq headquarters branch site location family
	brothers sons dr mr mrs ms st`)

var categoryWords = set(`it dental orthodontics law medical health clinic hospital pharmacy pharma
	veterinary chiropractic optometry pediatrics therapy surgery imaging care bank insurance
	financial capital investments wealth accounting cpa tax realty apartments construction
	roofing plumbing electric hvac heating landscaping auto motors trucking transport logistics
	freight shipping trading restaurant cafe bakery bistro food farm brewery winery hotel church
	ministries school academy college university library museum foundation charity
	manufacturing engineering architecture design media marketing printing publishing
	communications telecom energy solar mining lab research security staffing travel fitness
	salon`)

// canonical maps abbreviations and variants to one spelling, used when scoring (not by
// Normalize, which only folds characters and strips legal forms).
var canonical = func() map[string]string {
	groups := map[string]string{
		"international":  "intl international",
		"national":       "natl national",
		"technology":     "tech techs technology technologies",
		"service":        "svc svcs service services",
		"solution":       "sol solns solution solutions",
		"system":         "sys system systems",
		"group":          "grp group groups",
		"management":     "mgmt mgt management",
		"associates":     "assoc assocs associate associates",
		"brothers":       "bros brothers",
		"center":         "ctr cntr centre center centers centres",
		"department":     "dept department",
		"university":     "univ university",
		"hospital":       "hosp hospital hospitals",
		"manufacturing":  "mfg manufacturing manufacturers",
		"engineering":    "engr engineering engineers",
		"property":       "prop props property properties",
		"development":    "dev development",
		"mount":          "mt mount",
		"fort":           "ft fort",
		"consulting":     "consulting consultants consultant",
		"partners":       "partner partners",
		"holdings":       "holding holdings",
		"enterprises":    "enterprise enterprises",
		"industries":     "industry industries",
		"products":       "product products",
		"network":        "network networks",
		"computer":       "computer computers",
		"pharma":         "pharm pharma pharmaceutical pharmaceuticals",
		"lab":            "lab labs laboratory laboratories",
		"dental":         "dental dentistry dentist dentists",
		"orthodontics":   "ortho orthodontic orthodontics orthodontist orthodontists",
		"law":            "law legal attorney attorneys lawyer lawyers",
		"medical":        "med medical medicine",
		"health":         "health healthcare",
		"accounting":     "accounting accountant accountants",
		"cpa":            "cpa cpas",
		"plumbing":       "plumbing plumber plumbers",
		"electric":       "electric electrical electrician electricians",
		"auto":           "auto autos automotive",
		"veterinary":     "vet vets veterinary veterinarian veterinarians",
		"chiropractic":   "chiro chiropractic chiropractor chiropractors",
		"realty":         "realty realtor realtors",
		"bank":           "bank banking",
		"construction":   "construction constructions contractor contractors contracting builder builders",
		"school":         "school schools",
		"church":         "church churches",
		"trading":        "trading trader traders",
		"restaurant":     "restaurant restaurants",
		"transport":      "transport transportation",
		"clinic":         "clinic clinics",
		"farm":           "farm farms",
		"food":           "food foods",
		"hotel":          "hotel hotels",
		"design":         "design designs",
		"communications": "communication communications comms",
		"architecture":   "architect architects architecture",
		"roofing":        "roofing roofer roofers",
		"landscaping":    "landscape landscaping",
		"financial":      "finance financial",
		"investments":    "investment investments",
		"brewery":        "brewery brewing",
		"pediatrics":     "pediatric pediatrics",
		"therapy":        "therapy physio physiotherapy",
		"surgery":        "surgery surgical",
		"ministries":     "ministry ministries",
		"office":         "office offices",
		"apartments":     "apartment apartments",
		"optometry":      "optometry optometrist optometrists",
	}
	m := map[string]string{}
	for canon, vs := range groups {
		for _, v := range strings.Fields(vs) {
			m[v] = canon
		}
	}
	return m
}()

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func canon(t string) string {
	if c, ok := canonical[t]; ok {
		return c
	}
	return t
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// classify assigns a class to a canonical token. A legal form of three letters or more that
// survived Normalize sits mid-name ("Acme Corp Chicago") and counts as filler.
func classify(t string) uint8 {
	switch {
	case stopWords[t]:
		return classStop
	case isDigits(t):
		return classNumber
	case categoryWords[t]:
		return classCategory
	case fillerWords[t]:
		return classFiller
	case len(t) >= 3 && legalWord[t]:
		return classFiller
	}
	return classDistinct
}
