// Package suggest proposes which ConnectWise Manage company a Webroot GSM site belongs to.
//
// Precision comes before recall: a wrong suggestion that an MSP bulk-accepts bills the wrong
// customer, while a missing one only leaves a site in the unmapped queue. So, for each site,
// in this order:
//
//  1. a "cwm-id=<n>" hint in the site's comments names the company (score 1.0) when that
//     company is among the candidates. A hint naming an unknown company, or comments naming
//     several companies, produce a warning and no suggestion at all: the user said which
//     company it is, and guessing another one by name would contradict them. A malformed
//     hint ("cwm-id=abc") produces a warning and name matching goes on.
//  2. a unique company whose Normalize'd name equals the site's (score 0.97). When two or
//     more companies share that name (or the same words after expanding abbreviations) the
//     site gets an "ambiguous" warning instead.
//  3. the best "similar" candidate, when its score reaches Options.Threshold and beats every
//     other company by Options.Margin. Otherwise nothing (plus a warning when several
//     companies were close).
//
// Similarity of a site name and a company name is 0.8 × weighted token Dice + 0.2 × a
// character similarity (1 − optimal-string-alignment distance / length) of the names'
// significant words in sorted order, capped at 0.95. Token weights: distinctive words get
// 0.55–1 by rarity among the companies (IDF), lines of business ("dental", "law", "bank",
// "plumbing") 0.6, filler words ("group", "services", "holdings") 0.12 (0.6 when each name
// has a filler word the other lacks: "Fabrikam Holdings" is not "Fabrikam International"),
// and "the", "and", "of" nothing. Abbreviations are expanded first ("intl", "mfg", "bros",
// "svcs"), a misspelt word counts 0.85 of the word it stands for, and words split or joined
// differently ("Blue-Sky" / "Bluesky") are aligned. A pair is rejected outright unless it
// shares at least one distinctive word (exactly, or with one typo in a word of four letters
// or more), when both names carry numbers that differ ("Site 2" / "Site 3"), or when both
// carry a different line of business ("Alpha Medical Group" / "Alpha Legal Group"). A site
// name with a qualifier after a dash, bar or parenthesis ("Acme Corp - Chicago") is also
// compared by the part before it, at 0.93 of the score. A site name equal to a company's
// identifier (four characters or more), ignoring case, spaces and punctuation, scores 0.90.
//
// Candidates come from an inverted index of distinctive words (plus one-deletion variants for
// typos, joined word pairs and compact names), so the cost grows with the number of plausible
// candidates, not with sites × companies.
package suggest

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Site is a Webroot GSM site.
type Site struct {
	ID       string
	Name     string
	Comments string
}

// Company is a ConnectWise Manage company. Identifier is Manage's short company code; it may
// be empty.
type Company struct {
	ID         int64
	Name       string
	Identifier string
}

// Suggestion kinds.
const (
	KindHint    = "hint"
	KindExact   = "exact"
	KindSimilar = "similar"
)

// Suggestion proposes one company for one site. Score is in 0..1; Reason says why in words a
// user can check.
type Suggestion struct {
	SiteID    string
	CompanyID int64
	Score     float64
	Reason    string
	Kind      string
}

// Warning kinds.
const (
	WarnUnknownHint      = "unknown-hint"      // cwm-id names no candidate company
	WarnMalformedHint    = "malformed-hint"    // e.g. "cwm-id=abc"
	WarnConflictingHints = "conflicting-hints" // several different cwm-id values
	WarnAmbiguous        = "ambiguous"         // several companies match about equally well
)

// Warning explains why a site got no suggestion, or something odd in its comments.
// CompanyIDs lists the companies involved (the unknown hint ids, or the tied candidates).
type Warning struct {
	SiteID     string
	Kind       string
	Message    string
	CompanyIDs []int64
}

// Options tunes the similar tier. Zero values mean the defaults.
type Options struct {
	Threshold float64 // minimum score for a similar suggestion; default 0.82
	Margin    float64 // how far the best candidate must beat the runner-up; default 0.08
}

// Defaults.
const (
	DefaultThreshold = 0.82
	DefaultMargin    = 0.08
)

// Scores of the fixed tiers and factors.
const (
	scoreHint       = 1.0
	scoreExact      = 0.97
	scoreSimilarCap = 0.95
	scoreIdentifier = 0.90
	headFactor      = 0.93
	fuzzyCredit     = 0.85
	tokenShare      = 0.8
)

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.Margin <= 0 {
		o.Margin = DefaultMargin
	}
	return o
}

// Result holds the suggestions and warnings of one run, both sorted by site id.
type Result struct {
	Suggestions []Suggestion
	Warnings    []Warning
}

// Suggest returns at most one suggestion per site, sorted by site id (then by input order).
// See Analyze for the warnings.
func Suggest(sites []Site, companies []Company, opts Options) []Suggestion {
	return Analyze(sites, companies, opts).Suggestions
}

// Analyze is Suggest plus the warnings: unknown, malformed or conflicting cwm-id hints, and
// sites left without a suggestion because several companies matched about equally well.
func Analyze(sites []Site, companies []Company, opts Options) Result {
	return NewMatcher(companies, opts).Analyze(sites)
}

// Matcher holds the indexed companies. It is safe for concurrent use once built.
type Matcher struct {
	opts      Options
	companies []company // sorted by id, duplicates dropped
	byID      map[int64]int32

	exact      map[string][]int32 // Normalize'd name → companies
	canonKeys  map[string][]int32 // sorted canonical words → companies
	postings   map[string][]int32 // distinctive word (or joined word pair) → companies
	deletions  map[string][]int32 // one-deletion variants of distinctive words → companies
	compacts   map[string][]int32 // name without spaces → companies
	identifier map[string][]int32 // compact identifier → companies

	df     map[string]int
	maxIdf float64
}

type company struct {
	Company
	f         form
	idCompact string
}

type token struct {
	s     string // canonical spelling ("traders" → "trading")
	raw   string // as normalised, for typo checks ("tarders" ≈ "traders")
	class uint8
	w     float64
}

// form is a name prepared for matching.
type form struct {
	norm     string   // Normalize
	compact  string   // norm without spaces
	raw      string   // folded name without spaces, legal forms kept ("acmecorp")
	canonKey string   // sorted canonical words
	toks     []token  // canonical non-stop words in name order
	nums     []string // sorted numbers
}

// NewMatcher indexes the candidate companies.
func NewMatcher(companies []Company, opts Options) *Matcher {
	m := &Matcher{
		opts:       opts.withDefaults(),
		byID:       make(map[int64]int32, len(companies)),
		exact:      map[string][]int32{},
		canonKeys:  map[string][]int32{},
		postings:   map[string][]int32{},
		deletions:  map[string][]int32{},
		compacts:   map[string][]int32{},
		identifier: map[string][]int32{},
		df:         map[string]int{},
	}
	sorted := slices.Clone(companies)
	slices.SortStableFunc(sorted, func(a, b Company) int { return cmp.Compare(a.ID, b.ID) })
	sorted = slices.CompactFunc(sorted, func(a, b Company) bool { return a.ID == b.ID })

	m.companies = make([]company, len(sorted))
	canonToks := make([][]string, len(sorted))
	for i, c := range sorted {
		m.companies[i].Company = c
		m.byID[c.ID] = int32(i)
		canonToks[i] = canonicalTokens(normalizeTokens(c.Name))
		seen := map[string]bool{}
		for _, t := range canonToks[i] {
			if !seen[t] {
				seen[t] = true
				m.df[t]++
			}
		}
	}
	m.maxIdf = math.Log(float64(len(sorted) + 1))

	for i := range m.companies {
		c := &m.companies[i]
		c.f = m.makeForm(c.Name)
		if id := strings.Join(foldTokens(c.Identifier), ""); utf8.RuneCountInString(id) >= 4 {
			c.idCompact = id
			m.identifier[id] = append(m.identifier[id], int32(i))
		}
		if c.f.norm == "" {
			continue
		}
		ci := int32(i)
		m.exact[c.f.norm] = append(m.exact[c.f.norm], ci)
		m.canonKeys[c.f.canonKey] = appendOnce(m.canonKeys[c.f.canonKey], ci)
		m.compacts[c.f.compact] = appendOnce(m.compacts[c.f.compact], ci)
		for j, t := range c.f.toks {
			if t.class == classDistinct {
				m.postings[t.s] = appendOnce(m.postings[t.s], ci)
				if utf8.RuneCountInString(t.s) >= 4 {
					for _, d := range deletes(t.s) {
						m.deletions[d] = appendOnce(m.deletions[d], ci)
					}
				}
			}
			if j+1 < len(c.f.toks) {
				joined := t.s + c.f.toks[j+1].s
				m.postings[joined] = appendOnce(m.postings[joined], ci)
			}
		}
	}
	return m
}

// appendOnce appends i unless it is already the last element (indexes are built in
// ascending company order, so that is the only place a duplicate can be).
func appendOnce(s []int32, i int32) []int32 {
	if n := len(s); n > 0 && s[n-1] == i {
		return s
	}
	return append(s, i)
}

func canonicalTokens(toks []string) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, canon(t))
	}
	return out
}

// weight is a token's weight, rarer distinctive words weighing more.
func (m *Matcher) weight(t string, class uint8) float64 {
	switch class {
	case classStop:
		return 0
	case classFiller:
		return weightFiller
	case classCategory:
		return weightCategory
	case classNumber:
		return weightNumber
	}
	if m.maxIdf <= 0 {
		return 1
	}
	idf := math.Log(float64(len(m.companies)+1) / float64(m.df[t]+1))
	return weightMinRare + (1-weightMinRare)*idf/m.maxIdf
}

func (m *Matcher) makeForm(name string) form {
	folded := foldTokens(name)
	normToks := stripLegal(slices.Clone(folded))
	f := form{
		norm:    strings.Join(normToks, " "),
		compact: strings.Join(normToks, ""),
		raw:     strings.Join(folded, ""),
	}
	keys := make([]string, 0, len(normToks))
	for _, raw := range normToks {
		t := canon(raw)
		cl := classify(t)
		if cl == classStop {
			continue
		}
		keys = append(keys, t)
		f.toks = append(f.toks, token{s: t, raw: raw, class: cl, w: m.weight(t, cl)})
		if cl == classNumber {
			f.nums = append(f.nums, t)
		}
	}
	if len(f.toks) > 64 { // keeps the matching bitmask simple; no real name is this long
		f.toks = f.toks[:64]
	}
	slices.Sort(keys)
	slices.Sort(f.nums)
	f.canonKey = strings.Join(keys, " ")
	return f
}

// splitQualifier splits "Acme Corp - Chicago" into "Acme Corp" and "Chicago". It looks for a
// spaced dash, an en or em dash, a bar, a colon or an opening parenthesis.
func splitQualifier(name string) (head, qualifier string, ok bool) {
	cut := -1
	sepLen := 0
	for _, sep := range []string{" - ", "–", "—", "|", " : ", "(", "[", " / "} {
		if i := strings.Index(name, sep); i > 0 && (cut < 0 || i < cut) {
			cut, sepLen = i, len(sep)
		}
	}
	if cut < 0 {
		return "", "", false
	}
	head = strings.TrimSpace(name[:cut])
	qualifier = strings.Trim(strings.TrimSpace(name[cut+sepLen:]), "()[]-–— ")
	return head, qualifier, head != ""
}

// siteForms prepares a site name: the full name and, when there is a qualifier, its head.
type siteForms struct {
	full      form
	head      *form
	qualifier string
}

func (m *Matcher) siteForms(name string) siteForms {
	sf := siteForms{full: m.makeForm(name)}
	if h, q, ok := splitQualifier(name); ok {
		hf := m.makeForm(h)
		if hf.norm != "" && hf.norm != sf.full.norm && hasDistinct(hf.toks) {
			sf.head, sf.qualifier = &hf, q
		}
	}
	return sf
}

func hasDistinct(toks []token) bool {
	for _, t := range toks {
		if t.class == classDistinct {
			return true
		}
	}
	return false
}

// Analyze runs the matcher over sites; see the package comment for the rules.
func (m *Matcher) Analyze(sites []Site) Result {
	type outcome struct {
		sug   *Suggestion
		warns []Warning
	}
	out := make([]outcome, len(sites))
	workers := min(runtime.GOMAXPROCS(0), (len(sites)+127)/128)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			sc := m.newScratch()
			for i := w; i < len(sites); i += workers {
				out[i].sug, out[i].warns = m.match(sites[i], sc)
			}
		})
	}
	wg.Wait()

	var res Result
	for _, o := range out {
		if o.sug != nil {
			res.Suggestions = append(res.Suggestions, *o.sug)
		}
		res.Warnings = append(res.Warnings, o.warns...)
	}
	slices.SortStableFunc(res.Suggestions, func(a, b Suggestion) int { return strings.Compare(a.SiteID, b.SiteID) })
	slices.SortStableFunc(res.Warnings, func(a, b Warning) int { return strings.Compare(a.SiteID, b.SiteID) })
	return res
}

// Match returns the suggestion for one site (nil for none) and its warnings.
func (m *Matcher) Match(s Site) (*Suggestion, []Warning) {
	return m.match(s, m.newScratch())
}

type scratch struct {
	stamp []uint32
	gen   uint32
	cands []int32
}

func (m *Matcher) newScratch() *scratch {
	return &scratch{stamp: make([]uint32, len(m.companies))}
}

func (sc *scratch) reset() {
	sc.gen++
	sc.cands = sc.cands[:0]
}

func (sc *scratch) add(ids []int32) {
	for _, i := range ids {
		if sc.stamp[i] != sc.gen {
			sc.stamp[i] = sc.gen
			sc.cands = append(sc.cands, i)
		}
	}
}

func (m *Matcher) match(s Site, sc *scratch) (*Suggestion, []Warning) {
	var warns []Warning
	h := parseHints(s.Comments)
	for _, bad := range h.malformed {
		warns = append(warns, Warning{SiteID: s.ID, Kind: WarnMalformedHint,
			Message: fmt.Sprintf("the site's comments contain %q, which is not a valid Manage company id (expected cwm-id=<number>)", bad)})
	}
	switch len(h.ids) {
	case 0:
	case 1:
		id := h.ids[0]
		if _, ok := m.byID[id]; ok {
			return &Suggestion{SiteID: s.ID, CompanyID: id, Score: scoreHint, Kind: KindHint,
				Reason: fmt.Sprintf("cwm-id=%d in the site's comments", id)}, warns
		}
		return nil, append(warns, Warning{SiteID: s.ID, Kind: WarnUnknownHint, CompanyIDs: []int64{id},
			Message: fmt.Sprintf("cwm-id=%d in the site's comments names no known Manage company; no name match was tried", id)})
	default:
		parts := make([]string, len(h.ids))
		for i, id := range h.ids {
			parts[i] = fmt.Sprintf("cwm-id=%d", id)
		}
		return nil, append(warns, Warning{SiteID: s.ID, Kind: WarnConflictingHints, CompanyIDs: slices.Clone(h.ids),
			Message: "the site's comments name several companies (" + strings.Join(parts, ", ") + "); no name match was tried"})
	}

	sf := m.siteForms(s.Name)
	if sf.full.norm == "" {
		return nil, warns
	}

	// Exact tier.
	if ex := m.exact[sf.full.norm]; len(ex) > 0 {
		twins := m.canonKeys[sf.full.canonKey]
		if len(ex) == 1 && len(twins) == 1 {
			c := &m.companies[ex[0]]
			return &Suggestion{SiteID: s.ID, CompanyID: c.ID, Score: scoreExact, Kind: KindExact,
				Reason: exactReason(s.Name, c.Name, sf.full.norm)}, warns
		}
		ids := m.ids(append(slices.Clone(ex), twins...))
		return nil, append(warns, Warning{SiteID: s.ID, Kind: WarnAmbiguous, CompanyIDs: ids,
			Message: fmt.Sprintf("%d companies have this name after normalising (%s); pick one by hand", len(ids), m.describe(ids, nil))})
	}

	// Similar tier.
	sc.reset()
	m.collect(&sf, sc)
	if len(sc.cands) == 0 {
		return nil, warns
	}
	type scored struct {
		idx   int32
		score float64
	}
	cutoff := m.opts.Threshold - m.opts.Margin
	all := make([]scored, 0, len(sc.cands))
	for _, ci := range sc.cands {
		all = append(all, scored{ci, m.best(&sf, &m.companies[ci], false, cutoff).score})
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	top := all[0]
	if top.score < m.opts.Threshold {
		return nil, warns
	}
	runner := 0.0
	if len(all) > 1 {
		runner = all[1].score
	}
	if top.score-runner < m.opts.Margin {
		var ids []int64
		scores := map[int64]float64{}
		for _, a := range all {
			if a.score < top.score-m.opts.Margin || len(ids) == 5 {
				break
			}
			id := m.companies[a.idx].ID
			ids = append(ids, id)
			scores[id] = a.score
		}
		return nil, append(warns, Warning{SiteID: s.ID, Kind: WarnAmbiguous, CompanyIDs: ids,
			Message: fmt.Sprintf("%d companies match about equally well (%s); pick one by hand", len(ids), m.describe(ids, scores))})
	}
	c := &m.companies[top.idx]
	r := m.best(&sf, c, true, 0)
	return &Suggestion{SiteID: s.ID, CompanyID: c.ID, Score: round3(r.score), Kind: KindSimilar, Reason: r.reason}, warns
}

// collect gathers candidate companies for a site (the head's words are a subset of the full
// name's, so only its compact forms need their own look-ups).
func (m *Matcher) collect(sf *siteForms, sc *scratch) {
	forms := []*form{&sf.full}
	if sf.head != nil {
		forms = append(forms, sf.head)
	}
	for _, f := range forms {
		sc.add(m.compacts[f.compact])
		sc.add(m.identifier[f.compact])
		sc.add(m.identifier[f.raw])
	}
	f := &sf.full
	for j, t := range f.toks {
		if j+1 < len(f.toks) {
			sc.add(m.postings[t.s+f.toks[j+1].s])
		}
		if t.class != classDistinct {
			continue
		}
		sc.add(m.postings[t.s])
		if utf8.RuneCountInString(t.s) < 4 {
			continue
		}
		sc.add(m.deletions[t.s])
		for _, d := range deletes(t.s) {
			sc.add(m.postings[d])
			sc.add(m.deletions[d])
		}
	}
}

func (m *Matcher) ids(idx []int32) []int64 {
	ids := make([]int64, 0, len(idx))
	for _, i := range idx {
		ids = append(ids, m.companies[i].ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (m *Matcher) describe(ids []int64, scores map[int64]float64) string {
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		c := m.companies[m.byID[id]]
		p := fmt.Sprintf("“%s” #%d", c.Name, id)
		if scores != nil {
			p += fmt.Sprintf(" %.0f%%", scores[id]*100)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func exactReason(site, company, norm string) string {
	if strings.TrimSpace(site) == strings.TrimSpace(company) {
		return fmt.Sprintf("same name after normalising (%s → %s)", strings.TrimSpace(site), norm)
	}
	return fmt.Sprintf("same name after normalising (“%s” and “%s” → %s)", strings.TrimSpace(site), strings.TrimSpace(company), norm)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// Score rates how well a site name matches one company's name (and identifier) with the
// rules of the exact and similar tiers, ignoring hints, thresholds and the other companies
// (except as the background that makes words rare or common). It returns 0 and a reason when
// the pair is rejected, and ok=false when the company is unknown.
func (m *Matcher) Score(siteName string, companyID int64) (score float64, reason string, ok bool) {
	ci, ok := m.byID[companyID]
	if !ok {
		return 0, "", false
	}
	c := &m.companies[ci]
	sf := m.siteForms(siteName)
	if sf.full.norm != "" && sf.full.norm == c.f.norm {
		return scoreExact, exactReason(siteName, c.Name, sf.full.norm), true
	}
	r := m.best(&sf, c, true, 0)
	return round3(r.score), r.reason, true
}
