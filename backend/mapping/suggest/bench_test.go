package suggest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

var (
	synSurnames = strings.Fields(`smith johnson williams brown jones garcia miller davis rodriguez martinez
		hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white
		harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill
		flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans
		turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez
		ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks
		chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long
		ross foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes
		fischer weber schneider becker hoffmann schulz koch richter klein wolf neumann schwarz zimmermann
		braun hofmann lange krause lehmann kowalski nowak wisniewski dubois lefebvre moreau laurent rossi
		russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa`)
	synPlaces = strings.Fields(`northwind southridge lakeview riverside hillcrest oakwood pinecrest
		maplewood cedar summit valley harbor bayview meadow brookside westfield eastgate fairview
		highland greenfield stonebridge ironwood silverline bluewater redrock goldcoast sunrise sunset
		evergreen granite pacific atlantic sierra cascade alpine prairie canyon coastal metro urban
		heritage liberty pioneer frontier keystone pinnacle horizon meridian beacon compass anchor
		lighthouse phoenix falcon eagle hawk raven wolf bear fox lion tiger orchid magnolia willow aspen`)
	synNouns = strings.Fields(`toys video outfitters supply traders motors foods kitchen bistro studio
		works gallery printing furniture flooring windows doors glass tile paint lumber hardware garden
		pools spas signs graphics apparel boutique jewelers optical bakery brewing coffee tea wines`)
	synCategories = strings.Fields(`dental law medical health clinic pharmacy veterinary chiropractic
		orthodontics bank insurance financial accounting cpa realty construction roofing plumbing
		electric hvac landscaping auto logistics restaurant church school academy engineering
		architects design marketing media`)
	synFillers = strings.Fields(`group services solutions partners associates holdings enterprises
		international systems technologies consulting`)
	synLegal = []string{"Inc", "Inc.", "LLC", "L.L.C.", "Ltd", "Limited", "Corp", "Corporation", "Co.",
		"GmbH", "Pty Ltd", "PLC", "LLP", "P.C.", "PLLC", "S.A.", "B.V.", "AB", "Oy"}
	synCities = strings.Fields(`Chicago Denver Boston Austin Seattle Dallas Phoenix Portland Atlanta
		Miami London Berlin Paris Sydney Toronto`)
)

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func synCompanyName(r *rand.Rand) string {
	var parts []string
	switch r.IntN(6) {
	case 0:
		parts = []string{title(pick(r, synSurnames)), title(pick(r, synCategories))}
	case 1:
		parts = []string{title(pick(r, synPlaces)), title(pick(r, synCategories))}
	case 2:
		parts = []string{title(pick(r, synSurnames)), "&", title(pick(r, synSurnames)), title(pick(r, synCategories))}
	case 3:
		parts = []string{title(pick(r, synPlaces)), title(pick(r, synNouns))}
	case 4:
		parts = []string{title(pick(r, synSurnames)), title(pick(r, synFillers))}
	default:
		parts = []string{title(pick(r, synPlaces)), title(pick(r, synSurnames)), title(pick(r, synNouns))}
	}
	if r.IntN(10) < 6 {
		parts = append(parts, pick(r, synLegal))
	}
	return strings.Join(parts, " ")
}

// typo makes one slip in the longest word of at least 6 letters.
func typo(r *rand.Rand, name string) string {
	words := strings.Fields(name)
	best := -1
	for i, w := range words {
		if len(w) >= 6 && (best < 0 || len(w) > len(words[best])) {
			best = i
		}
	}
	if best < 0 {
		return name
	}
	w := []byte(words[best])
	i := 1 + r.IntN(len(w)-2)
	switch r.IntN(3) {
	case 0: // double a letter
		w = append(w[:i+1], w[i:]...)
	case 1: // drop a letter
		w = append(w[:i], w[i+1:]...)
	default: // swap two
		w[i], w[i+1] = w[i+1], w[i]
	}
	words[best] = string(w)
	return strings.Join(words, " ")
}

func perturb(r *rand.Rand, name string) string {
	n := name
	for _, l := range synLegal { // drop or swap the legal form
		if strings.HasSuffix(n, " "+l) {
			n = strings.TrimSuffix(n, " "+l)
			break
		}
	}
	switch r.IntN(7) {
	case 0:
		n += " " + pick(r, synLegal)
	case 1:
		n = strings.ToUpper(n)
	case 2:
		n = strings.ReplaceAll(n, "&", "and")
	case 3:
		n = typo(r, n)
	case 4:
		n += " - " + pick(r, synCities)
	case 5:
		n += " (" + pick(r, synCities) + ")"
	default:
		n = strings.ToLower(n)
	}
	return n
}

// synthetic builds nCompanies companies and nSites sites, 70% of them derived from a company
// (id "d-<company id>-<n>") and the rest unrelated ("u-<n>").
func synthetic(nSites, nCompanies int, seed uint64) ([]Site, []Company) {
	r := rand.New(rand.NewPCG(seed, 42))
	companies := make([]Company, nCompanies)
	for i := range companies {
		companies[i] = Company{ID: int64(10000 + i), Name: synCompanyName(r)}
		if r.IntN(4) == 0 {
			companies[i].Identifier = strings.ReplaceAll(Normalize(companies[i].Name), " ", "")
		}
	}
	sites := make([]Site, nSites)
	for i := range sites {
		if r.IntN(10) < 7 {
			c := pick(r, companies)
			sites[i] = Site{ID: fmt.Sprintf("d-%d-%05d", c.ID, i), Name: perturb(r, c.Name)}
		} else {
			sites[i] = Site{ID: fmt.Sprintf("u-%05d", i), Name: synCompanyName(r)}
		}
		if r.IntN(50) == 0 {
			sites[i].Comments = fmt.Sprintf("cwm-id=%d", companies[r.IntN(nCompanies)].ID)
		}
	}
	return sites, companies
}

func BenchmarkSuggest5000x3000(b *testing.B) {
	sites, companies := synthetic(5000, 3000, 1)
	var n int
	for b.Loop() {
		n = len(Suggest(sites, companies, Options{}))
	}
	b.ReportMetric(float64(n), "suggestions")
}

func BenchmarkMatcherOneSite(b *testing.B) {
	sites, companies := synthetic(5000, 3000, 1)
	m := NewMatcher(companies, Options{})
	i := 0
	for b.Loop() {
		m.Match(sites[i%len(sites)])
		i++
	}
}
