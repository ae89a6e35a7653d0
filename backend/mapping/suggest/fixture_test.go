package suggest

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"testing"
)

type labelledPair struct {
	site, company string
	match         bool
	note          string
}

func loadPairs(t testing.TB) []labelledPair {
	t.Helper()
	f, err := os.Open("testdata/pairs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []labelledPair
	for i, r := range rows[1:] {
		if len(r) != 4 {
			t.Fatalf("pairs.csv row %d: %d fields", i+2, len(r))
		}
		ok, err := strconv.ParseBool(r[2])
		if err != nil {
			t.Fatalf("pairs.csv row %d: %v", i+2, err)
		}
		out = append(out, labelledPair{r[0], r[1], ok, r[3]})
	}
	return out
}

// fixtureWorld turns the labelled pairs into sites and companies: every distinct site name is
// one site, every distinct company name one company, all companies being candidates for
// every site.
func fixtureWorld(pairs []labelledPair) (sites []Site, companies []Company, siteName map[string]string, companyName map[int64]string) {
	siteID := map[string]string{}
	companyID := map[string]int64{}
	siteName = map[string]string{}
	companyName = map[int64]string{}
	for _, p := range pairs {
		if _, ok := siteID[p.site]; !ok {
			id := fmt.Sprintf("site-%03d", len(siteID)+1)
			siteID[p.site] = id
			siteName[id] = p.site
			sites = append(sites, Site{ID: id, Name: p.site})
		}
		if _, ok := companyID[p.company]; !ok {
			id := int64(1000 + len(companyID))
			companyID[p.company] = id
			companyName[id] = p.company
			companies = append(companies, Company{ID: id, Name: p.company})
		}
	}
	return sites, companies, siteName, companyName
}

func TestFixturePrecisionRecall(t *testing.T) {
	pairs := loadPairs(t)
	if len(pairs) < 120 {
		t.Fatalf("fixture has %d pairs, want at least 120", len(pairs))
	}
	label := map[[2]string]bool{}
	trueFor := map[string]string{}
	positives, negatives := 0, 0
	for _, p := range pairs {
		k := [2]string{p.site, p.company}
		if _, dup := label[k]; dup {
			t.Fatalf("duplicate pair %q / %q", p.site, p.company)
		}
		label[k] = p.match
		if p.match {
			positives++
			if other, ok := trueFor[p.site]; ok {
				t.Fatalf("site %q has two true companies (%q, %q)", p.site, other, p.company)
			}
			trueFor[p.site] = p.company
		} else {
			negatives++
		}
	}

	sites, companies, siteName, companyName := fixtureWorld(pairs)
	res := Analyze(sites, companies, Options{})
	m := NewMatcher(companies, Options{})

	tp, fp := 0, 0
	suggested := map[string]bool{}
	for _, s := range res.Suggestions {
		site, company := siteName[s.SiteID], companyName[s.CompanyID]
		suggested[site] = true
		if label[[2]string{site, company}] {
			tp++
			if testing.Verbose() {
				t.Logf("ok    %-34q → %-36q %.3f %s: %s", site, company, s.Score, s.Kind, s.Reason)
			}
			continue
		}
		fp++
		t.Errorf("WRONG %q → %q %.3f %s: %s", site, company, s.Score, s.Kind, s.Reason)
	}
	for site, company := range trueFor {
		if !suggested[site] {
			var id int64
			for cid, n := range companyName {
				if n == company {
					id = cid
				}
			}
			sc, why, _ := m.Score(site, id)
			t.Logf("missed %q → %q (pair score %.3f: %s)", site, company, sc, why)
		}
	}
	precision := 1.0
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	recall := float64(tp) / float64(positives)
	t.Logf("fixture: %d pairs (%d should match, %d near misses), %d sites × %d companies", len(pairs), positives, negatives, len(sites), len(companies))
	t.Logf("precision %.3f (%d/%d), recall %.3f (%d/%d), warnings %d", precision, tp, tp+fp, recall, tp, positives, len(res.Warnings))
	fmt.Printf("suggest fixture: precision=%.3f recall=%.3f (%d pairs)\n", precision, recall, len(pairs))
	if precision != 1.0 {
		t.Errorf("precision %.3f, want 1.0", precision)
	}
	if recall < 0.85 {
		t.Errorf("recall %.3f, want ≥ 0.85", recall)
	}
}

// TestFixtureNearMissesScoreLow checks every near miss pairwise too, whatever else is among
// the candidates.
func TestFixtureNearMissesScoreLow(t *testing.T) {
	pairs := loadPairs(t)
	_, companies, _, _ := fixtureWorld(pairs)
	m := NewMatcher(companies, Options{})
	ids := map[string]int64{}
	for _, c := range companies {
		ids[c.Name] = c.ID
	}
	for _, p := range pairs {
		if p.match || Normalize(p.site) == Normalize(p.company) {
			continue
		}
		if sc, why, _ := m.Score(p.site, ids[p.company]); sc >= DefaultThreshold {
			t.Errorf("near miss %q / %q (%s) scores %.3f: %s", p.site, p.company, p.note, sc, why)
		}
	}
}
