package suggest

import (
	"slices"
	"strings"
	"testing"

	"cwm-webroot/backend/webroot"
)

// TestHintParityWithWebroot keeps parseHints in step with webroot.CWMIDHint, which the rest
// of the app uses to read the same hint.
func TestHintParityWithWebroot(t *testing.T) {
	inputs := []string{
		"", "cwm-id=123456", "Billing: CWM-ID = 42; other", "x\ncwm_id:#7", "cwm id: 9", "cwmid=10",
		"cwm-id=", "xcwm-id=5", "cwm-id=abc", "cwm-id=0", "cwm-id=12abc", "cwm-id=1234567890123",
		"see cwm-id=77 (Acme)", "no cwm id yet", "CWM-Id=#0042",
	}
	for _, in := range inputs {
		want, wantOK := webroot.CWMIDHint(in)
		h := parseHints(in)
		gotOK := len(h.ids) == 1
		if gotOK != wantOK || (gotOK && h.ids[0] != want) {
			t.Errorf("%q: parseHints %v, webroot.CWMIDHint %d %v", in, h.ids, want, wantOK)
		}
	}
}

func TestParseHints(t *testing.T) {
	cases := []struct {
		in        string
		ids       []int64
		malformed int
	}{
		{"", nil, 0},
		{"cwm-id=1042", []int64{1042}, 0},
		{"cwm-id=1042, again cwm-id=1042", []int64{1042}, 0},
		{"cwm-id=1 cwm-id=2", []int64{1, 2}, 0},
		{"cwm-id=abc", nil, 1},
		{"cwm-id=", nil, 1},
		{"cwm-id=0", nil, 1},
		{"cwm-id=12abc", nil, 1},
		{"cwm-id=abc; cwm-id=5", []int64{5}, 1},
		{"xcwm-id=5", nil, 0},
		{"no cwm id yet", nil, 0},
	}
	for _, c := range cases {
		h := parseHints(c.in)
		if !slices.Equal(h.ids, c.ids) || len(h.malformed) != c.malformed {
			t.Errorf("parseHints(%q) = %v %q, want %v and %d malformed", c.in, h.ids, h.malformed, c.ids, c.malformed)
		}
	}
}

func TestHintRules(t *testing.T) {
	companies := []Company{
		{ID: 1042, Name: "Totally Different Name Ltd"},
		{ID: 7, Name: "Acme Corporation"},
	}
	one := func(s Site) (*Suggestion, []Warning) {
		t.Helper()
		res := Analyze([]Site{s}, companies, Options{})
		if len(res.Suggestions) > 1 {
			t.Fatalf("%d suggestions for one site", len(res.Suggestions))
		}
		if len(res.Suggestions) == 0 {
			return nil, res.Warnings
		}
		return &res.Suggestions[0], res.Warnings
	}

	// A valid hint wins over the name, with score 1.
	sug, warns := one(Site{ID: "s1", Name: "Acme Corp", Comments: "Billing: cwm-id=1042"})
	if sug == nil || sug.CompanyID != 1042 || sug.Score != 1 || sug.Kind != KindHint ||
		sug.Reason != "cwm-id=1042 in the site's comments" || len(warns) != 0 {
		t.Errorf("valid hint: %+v %+v", sug, warns)
	}

	// A hint naming an unknown company: warning, and no name match either.
	sug, warns = one(Site{ID: "s2", Name: "Acme Corp", Comments: "cwm-id=999"})
	if sug != nil || len(warns) != 1 || warns[0].Kind != WarnUnknownHint || !slices.Equal(warns[0].CompanyIDs, []int64{999}) {
		t.Errorf("unknown hint: %+v %+v", sug, warns)
	}

	// Conflicting hints: warning, no suggestion.
	sug, warns = one(Site{ID: "s3", Name: "Acme Corp", Comments: "cwm-id=7\ncwm-id=1042"})
	if sug != nil || len(warns) != 1 || warns[0].Kind != WarnConflictingHints || !slices.Equal(warns[0].CompanyIDs, []int64{7, 1042}) {
		t.Errorf("conflicting hints: %+v %+v", sug, warns)
	}

	// Malformed hints: warning, and the name is still matched.
	for _, c := range []string{"cwm-id=abc", "cwm-id=", "cwm-id=0", "CWM-ID: 12abc"} {
		sug, warns = one(Site{ID: "s4", Name: "Acme Corp", Comments: c})
		if sug == nil || sug.CompanyID != 7 || sug.Kind != KindExact ||
			len(warns) != 1 || warns[0].Kind != WarnMalformedHint || !strings.Contains(warns[0].Message, "not a valid") {
			t.Errorf("malformed %q: %+v %+v", c, sug, warns)
		}
	}

	// Not a hint at all.
	sug, warns = one(Site{ID: "s5", Name: "Acme Corp", Comments: "xcwm-id=1042 no cwm id"})
	if sug == nil || sug.CompanyID != 7 || len(warns) != 0 {
		t.Errorf("non-hint: %+v %+v", sug, warns)
	}
}
