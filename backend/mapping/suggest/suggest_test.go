package suggest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func suggestOne(t *testing.T, site string, companies []Company) (*Suggestion, []Warning) {
	t.Helper()
	res := Analyze([]Site{{ID: "s", Name: site}}, companies, Options{})
	if len(res.Suggestions) == 0 {
		return nil, res.Warnings
	}
	return &res.Suggestions[0], res.Warnings
}

func TestExactMatch(t *testing.T) {
	sug, _ := suggestOne(t, "Acme Corp.", []Company{{ID: 1, Name: "ACME Corporation"}, {ID: 2, Name: "Acme Plumbing"}})
	if sug == nil || sug.CompanyID != 1 || sug.Kind != KindExact || sug.Score != 0.97 {
		t.Fatalf("got %+v", sug)
	}
	if want := "same name after normalising (“Acme Corp.” and “ACME Corporation” → acme)"; sug.Reason != want {
		t.Errorf("reason %q, want %q", sug.Reason, want)
	}
}

func TestAmbiguousSameName(t *testing.T) {
	companies := []Company{{ID: 12, Name: "Summit Dental"}, {ID: 57, Name: "Summit Dental"}, {ID: 3, Name: "Summit Roofing"}}
	sug, warns := suggestOne(t, "Summit Dental", companies)
	if sug != nil {
		t.Fatalf("suggested %+v for an ambiguous name", sug)
	}
	if len(warns) != 1 || warns[0].Kind != WarnAmbiguous || !slices.Equal(warns[0].CompanyIDs, []int64{12, 57}) ||
		!strings.Contains(warns[0].Message, "2 companies have this name") {
		t.Errorf("warnings %+v", warns)
	}

	// Same name after normalising, and same words after expanding abbreviations.
	for _, cs := range [][]Company{
		{{ID: 1, Name: "Summit Dental LLC"}, {ID: 2, Name: "Summit Dental, Inc."}},
		{{ID: 1, Name: "Acme Intl Inc"}, {ID: 2, Name: "Acme International"}},
	} {
		site := cs[0].Name
		if sug, warns := suggestOne(t, site, cs); sug != nil || len(warns) != 1 || warns[0].Kind != WarnAmbiguous {
			t.Errorf("%q among %v: %+v %+v", site, cs, sug, warns)
		}
	}

	// Two equally good similar candidates.
	sug, warns = suggestOne(t, "Acme Corp - Chicago", []Company{{ID: 1, Name: "Acme Inc"}, {ID: 2, Name: "Acme LLC"}})
	if sug != nil || len(warns) != 1 || warns[0].Kind != WarnAmbiguous || !slices.Equal(warns[0].CompanyIDs, []int64{1, 2}) ||
		!strings.Contains(warns[0].Message, "match about equally well") {
		t.Errorf("similar tie: %+v %+v", sug, warns)
	}
}

func TestQualifierMatch(t *testing.T) {
	sug, _ := suggestOne(t, "Acme Corp - Chicago", []Company{{ID: 1, Name: "Acme Corporation"}, {ID: 2, Name: "Acme Plumbing"}})
	if sug == nil || sug.CompanyID != 1 || sug.Kind != KindSimilar || !strings.Contains(sug.Reason, "ignoring “Chicago”") {
		t.Fatalf("got %+v", sug)
	}
}

func TestSimilarReason(t *testing.T) {
	sug, _ := suggestOne(t, "Contosso Pharma", []Company{{ID: 1, Name: "Contoso Pharmaceuticals Ltd"}, {ID: 2, Name: "Fabrikam"}})
	if sug == nil || sug.CompanyID != 1 || sug.Kind != KindSimilar {
		t.Fatalf("got %+v", sug)
	}
	if !strings.HasPrefix(sug.Reason, "names share distinctive words: contoso") || !strings.Contains(sug.Reason, "contosso ≈ contoso") ||
		!strings.HasSuffix(sug.Reason, fmt.Sprintf("(%.0f%%)", sug.Score*100)) {
		t.Errorf("reason %q", sug.Reason)
	}
}

func TestIdentifierMatch(t *testing.T) {
	companies := []Company{
		{ID: 1, Name: "CP Holdings Europe", Identifier: "ContosoPharma"},
		{ID: 2, Name: "Northwind Traders", Identifier: "NWT"},
	}
	sug, _ := suggestOne(t, "Contoso Pharma", companies)
	if sug == nil || sug.CompanyID != 1 || sug.Score != 0.9 || !strings.Contains(sug.Reason, "identifier “ContosoPharma”") {
		t.Fatalf("got %+v", sug)
	}
	if sug, _ := suggestOne(t, "NWT", companies); sug != nil {
		t.Errorf("a 3-letter identifier matched: %+v", sug)
	}
}

// TestNearMissesAlone puts each near miss alone with its look-alike, where nothing else can
// pull the score down.
func TestNearMissesAlone(t *testing.T) {
	pairs := [][2]string{
		{"Smith Dental", "Jones Dental"},
		{"Alpha Medical Group", "Alpha Legal Group"},
		{"Northwind Traders", "Northwind Health"},
		{"Site 2", "Site 3"},
		{"ABC Plumbing", "ABD Plumbing"},
		{"First National Bank", "First National Insurance"},
		{"Peterson Law", "Petersen Law"},
		{"North Shore Dental", "South Shore Dental"},
		{"Acme 2", "Acme"},
		{"Smith", "Smith Dental"},
		{"Fabrikam Holdings", "Fabrikam International"},
		{"Metro IT Services", "Metro Legal Services"},
		{"J & R Plumbing", "J & M Plumbing"},
		{"Dr Smith Dental", "Dr Jones Dental"},
		{"Acme Corp - Chicago", "Acme Corp - Dallas"},
		{"IT Services", "IT Services Group"},
	}
	for _, p := range pairs {
		if sug, _ := suggestOne(t, p[0], []Company{{ID: 1, Name: p[1]}}); sug != nil {
			t.Errorf("%q → %q suggested: %s", p[0], p[1], sug.Reason)
		}
	}
}

func TestAtMostOnePerSiteAndSorted(t *testing.T) {
	sites, companies := synthetic(400, 300, 7)
	res := Analyze(sites, companies, Options{})
	seen := map[string]bool{}
	for i, s := range res.Suggestions {
		if seen[s.SiteID] {
			t.Fatalf("two suggestions for %s", s.SiteID)
		}
		seen[s.SiteID] = true
		if i > 0 && res.Suggestions[i-1].SiteID > s.SiteID {
			t.Fatalf("not sorted at %d", i)
		}
		if s.Score <= 0 || s.Score > 1 || s.Reason == "" {
			t.Fatalf("bad suggestion %+v", s)
		}
	}
	for i := 1; i < len(res.Warnings); i++ {
		if res.Warnings[i-1].SiteID > res.Warnings[i].SiteID {
			t.Fatalf("warnings not sorted at %d", i)
		}
	}
}

func TestDeterministic(t *testing.T) {
	sites, companies := synthetic(1500, 900, 11)
	first := Analyze(sites, companies, Options{})

	// Shuffled input, run again (in parallel inside Analyze): same result.
	r := rand.New(rand.NewPCG(1, 2))
	s2, c2 := slices.Clone(sites), slices.Clone(companies)
	r.Shuffle(len(s2), func(i, j int) { s2[i], s2[j] = s2[j], s2[i] })
	r.Shuffle(len(c2), func(i, j int) { c2[i], c2[j] = c2[j], c2[i] })
	if second := Analyze(s2, c2, Options{}); !reflect.DeepEqual(first, second) {
		t.Fatal("results differ after shuffling the input")
	}

	// One site at a time through Match: same suggestions.
	m := NewMatcher(companies, Options{})
	var seq []Suggestion
	for _, s := range sites {
		if sug, _ := m.Match(s); sug != nil {
			seq = append(seq, *sug)
		}
	}
	slices.SortStableFunc(seq, func(a, b Suggestion) int { return strings.Compare(a.SiteID, b.SiteID) })
	if !reflect.DeepEqual(first.Suggestions, seq) {
		t.Fatal("Match one by one differs from Analyze")
	}
	if len(first.Suggestions) == 0 {
		t.Fatal("no suggestions at all on synthetic data")
	}
}

// TestSyntheticPrecision derives sites from synthetic companies (legal forms swapped, case
// changed, typos, qualifiers, "&"/"and") and checks that suggestions point back at the
// source company, or at a company whose name is indistinguishable from it.
func TestSyntheticPrecision(t *testing.T) {
	sites, companies := synthetic(5000, 3000, 3)
	res := Analyze(sites, companies, Options{})
	byID := map[int64]Company{}
	for _, c := range companies {
		byID[c.ID] = c
	}
	derived, right, wrong := 0, 0, 0
	for _, s := range sites {
		if strings.HasPrefix(s.ID, "d-") {
			derived++
		}
	}
	for _, sug := range res.Suggestions {
		var src int64
		if _, err := fmt.Sscanf(sug.SiteID, "d-%d-", &src); err != nil || sug.Kind == KindHint {
			continue // an unrelated site, or a (random) hint: no truth to compare with
		}
		got, want := byID[sug.CompanyID], byID[src]
		if got.ID == want.ID || Normalize(got.Name) == Normalize(want.Name) {
			right++
			continue
		}
		wrong++
		if wrong <= 10 {
			var site string
			for _, s := range sites {
				if s.ID == sug.SiteID {
					site = s.Name
				}
			}
			t.Logf("wrong: %q → %q (source %q): %s", site, got.Name, want.Name, sug.Reason)
		}
	}
	precision := float64(right) / float64(max(1, right+wrong))
	t.Logf("synthetic: %d derived sites, %d suggested correctly, %d wrongly: precision %.4f, recall %.3f",
		derived, right, wrong, precision, float64(right)/float64(derived))
	if precision < 0.99 {
		t.Errorf("synthetic precision %.4f < 0.99", precision)
	}
}

func TestEdgeCasesAndOptions(t *testing.T) {
	if res := Analyze(nil, nil, Options{}); len(res.Suggestions) != 0 || len(res.Warnings) != 0 {
		t.Errorf("empty input: %+v", res)
	}
	// No companies: a hint is unknown, names match nothing.
	res := Analyze([]Site{{ID: "a", Name: "Acme", Comments: "cwm-id=5"}, {ID: "b", Name: "Acme"}}, nil, Options{})
	if len(res.Suggestions) != 0 || len(res.Warnings) != 1 || res.Warnings[0].Kind != WarnUnknownHint {
		t.Errorf("no companies: %+v", res)
	}
	// Blank names on either side; duplicate company ids keep the first.
	companies := []Company{{ID: 1, Name: ""}, {ID: 2, Name: "Acme Inc"}, {ID: 2, Name: "Other"}, {ID: 3, Name: "Contoso Pharma"}}
	res = Analyze([]Site{{ID: "a", Name: ""}, {ID: "b", Name: "!!!"}, {ID: "c", Name: "ACME"}, {ID: "d", Name: "x", Comments: "cwm-id=1"}}, companies, Options{})
	if len(res.Suggestions) != 2 || res.Suggestions[0].SiteID != "c" || res.Suggestions[0].CompanyID != 2 ||
		res.Suggestions[1].CompanyID != 1 || res.Suggestions[1].Kind != KindHint {
		t.Errorf("blank names: %+v", res)
	}
	// A stricter threshold drops similar suggestions but not exact ones.
	sites := []Site{{ID: "a", Name: "Contosso Pharma"}, {ID: "b", Name: "Acme"}}
	if got := Suggest(sites, companies, Options{}); len(got) != 2 {
		t.Errorf("default threshold: %+v", got)
	}
	if got := Suggest(sites, companies, Options{Threshold: 0.96}); len(got) != 1 || got[0].Kind != KindExact {
		t.Errorf("threshold 0.96: %+v", got)
	}
	// Score explains rejections.
	m := NewMatcher([]Company{{ID: 1, Name: "Jones Dental"}, {ID: 2, Name: "Site 3"}}, Options{})
	if sc, why, ok := m.Score("Smith Dental", 1); !ok || sc != 0 || why != "not similar: no distinctive word in common" {
		t.Errorf("Score: %v %q %v", sc, why, ok)
	}
	if sc, why, _ := m.Score("Site 2", 2); sc != 0 || why != "not similar: numbers differ (2 vs 3)" {
		t.Errorf("Score: %v %q", sc, why)
	}
	if _, _, ok := m.Score("x", 99); ok {
		t.Error("Score of an unknown company")
	}
}
