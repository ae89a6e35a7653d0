package suggest

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// pairResult is the outcome of comparing one site form with one company.
type pairResult struct {
	score  float64
	reason string
}

// best scores a site against a company: the full name, the head before a qualifier (at
// headFactor) and the identifier, keeping the highest. With explain it also writes the reason.
//
// Without explain, a pair that cannot reach cutoff even with a perfect character similarity
// gets a lower bound instead of its exact score, which skips the costly edit distance. The
// caller passes Threshold − Margin: below that a candidate can neither be suggested nor come
// within the margin of a suggestion, so its exact score changes nothing.
func (m *Matcher) best(sf *siteForms, c *company, explain bool, cutoff float64) pairResult {
	r := m.pair(&sf.full, &c.f, explain, cutoff)
	if sf.head != nil {
		h := m.pair(sf.head, &c.f, explain, cutoff/headFactor)
		h.score *= headFactor
		if h.score > r.score {
			if explain {
				h.reason += fmt.Sprintf("; ignoring “%s” after the name", sf.qualifier)
			}
			r = h
		}
	}
	if c.idCompact != "" {
		f := 0.0
		switch {
		case c.idCompact == sf.full.compact || c.idCompact == sf.full.raw:
			f = 1
		case sf.head != nil && (c.idCompact == sf.head.compact || c.idCompact == sf.head.raw):
			f = headFactor
		}
		if s := scoreIdentifier * f; s > r.score {
			r = pairResult{score: s}
			if explain {
				r.reason = fmt.Sprintf("site name matches the company identifier “%s”", c.Identifier)
				if f != 1 {
					r.reason += fmt.Sprintf("; ignoring “%s” after the name", sf.qualifier)
				}
			}
		}
	}
	if explain {
		if r.score > 0 {
			r.reason += fmt.Sprintf(" (%.0f%%)", r.score*100)
		}
	}
	return r
}

// pair scores two prepared names. See the package comment for the formula.
func (m *Matcher) pair(s, c *form, explain bool, cutoff float64) pairResult {
	if len(s.nums) > 0 && len(c.nums) > 0 && !slices.Equal(s.nums, c.nums) {
		return reject(explain, "numbers differ (%s vs %s)", strings.Join(s.nums, " "), strings.Join(c.nums, " "))
	}
	st, ct := align(s.toks, c.toks), align(c.toks, s.toks)
	st = slices.Clone(align(st, ct)) // weights of misspelt words are adjusted below

	var usedS, usedC uint64
	var matched, ws, wc float64
	evidence := false
	var shared []string
	var fuzzy []string
	for i, a := range st {
		for j, b := range ct {
			if usedC&(1<<j) == 0 && a.s == b.s {
				usedS |= 1 << i
				usedC |= 1 << j
				matched += min(a.w, b.w)
				if a.class == classDistinct && utf8.RuneCountInString(a.s) >= 2 {
					evidence = true
					if explain {
						shared = append(shared, a.s)
					}
				}
				break
			}
		}
	}
	for i, a := range st {
		if usedS&(1<<i) != 0 || !fuzzyClass(a.class) {
			continue
		}
		for j, b := range ct {
			if usedC&(1<<j) != 0 || !fuzzyClass(b.class) || !(oneTypo(a.s, b.s) || oneTypo(a.raw, b.raw)) {
				continue
			}
			usedS |= 1 << i
			usedC |= 1 << j
			// A misspelt word is rare because it is misspelt: weigh it as the word it stands for.
			matched += fuzzyCredit * b.w
			st[i].w, st[i].class = b.w, b.class
			if a.class == classDistinct && b.class == classDistinct {
				evidence = true
				if explain {
					shared = append(shared, b.s)
				}
			}
			if explain {
				fuzzy = append(fuzzy, a.raw+" ≈ "+b.raw)
			}
			break
		}
	}
	// Two different lines of business: "Alpha Medical" is not "Alpha Legal".
	var catS, catC string
	for i, a := range st {
		if usedS&(1<<i) == 0 && a.class == classCategory && catS == "" {
			catS = a.s
		}
	}
	for j, b := range ct {
		if usedC&(1<<j) == 0 && b.class == classCategory && catC == "" {
			catC = b.s
		}
	}
	if catS != "" && catC != "" {
		return reject(explain, "different line of business (%s vs %s)", catS, catC)
	}
	if !evidence {
		return reject(explain, "no distinctive word in common")
	}
	// Filler words left over on one side are dropped words ("Cyberdyne" / "Cyberdyne
	// Systems"); different filler words on both sides ("Fabrikam Holdings" / "Fabrikam
	// International") suggest a different entity, so they weigh as much as a business word.
	fillerS, fillerC := unmatchedFiller(st, usedS), unmatchedFiller(ct, usedC)
	fillerW := weightFiller
	if fillerS && fillerC {
		fillerW = weightCategory
	}
	ws = 0
	for _, a := range st {
		ws += tokWeight(a, fillerW)
	}
	for _, b := range ct {
		wc += tokWeight(b, fillerW)
	}
	dice := 2 * matched / (ws + wc)
	if !explain && tokenShare*dice+(1-tokenShare) < cutoff {
		return pairResult{score: tokenShare * dice}
	}
	char := charSim(st, ct)
	score := min(tokenShare*dice+(1-tokenShare)*char, scoreSimilarCap)
	r := pairResult{score: score}
	if explain {
		slices.Sort(shared)
		r.reason = "names share distinctive words: " + strings.Join(slices.Compact(shared), ", ")
		if len(fuzzy) > 0 {
			r.reason += "; close spellings: " + strings.Join(fuzzy, ", ")
		}
	}
	return r
}

func unmatchedFiller(ts []token, used uint64) bool {
	for i, t := range ts {
		if used&(1<<i) == 0 && t.class == classFiller {
			return true
		}
	}
	return false
}

// tokWeight is t's weight, with unmatched-or-not filler words weighing fillerW. (Matched
// filler words count at their normal weight in the numerator; raising them in the
// denominator only makes a pair less similar.)
func tokWeight(t token, fillerW float64) float64 {
	if t.class == classFiller {
		return fillerW
	}
	return t.w
}

func reject(explain bool, format string, args ...any) pairResult {
	if !explain {
		return pairResult{}
	}
	return pairResult{reason: "not similar: " + fmt.Sprintf(format, args...)}
}

func fuzzyClass(c uint8) bool { return c == classDistinct || c == classCategory || c == classFiller }

// align merges adjacent words of a when together they spell a word that b has and a lacks,
// so "North Wind" meets "Northwind". It returns a itself when nothing merges.
func align(a, b []token) []token {
	var out []token
	for i := 0; i < len(a); i++ {
		if i+1 < len(a) {
			joined := a[i].s + a[i+1].s
			if j := indexTok(b, joined); j >= 0 && indexTok(a, joined) < 0 {
				if out == nil {
					out = append(make([]token, 0, len(a)), a[:i]...)
				}
				out = append(out, b[j])
				i++
				continue
			}
		}
		if out != nil {
			out = append(out, a[i])
		}
	}
	if out == nil {
		return a
	}
	return out
}

func indexTok(ts []token, s string) int {
	for i, t := range ts {
		if t.s == s {
			return i
		}
	}
	return -1
}

// charSim is 1 − OSA distance / longer length over the significant words (no filler) of both
// names, each sorted so that word order does not matter; the better of the canonical
// spellings ("intl" → "international") and the spellings as written ("tarders" / "traders").
func charSim(a, b []token) float64 {
	return max(charSimOf(sigString(a, false), sigString(b, false)), charSimOf(sigString(a, true), sigString(b, true)))
}

func charSimOf(x, y string) float64 {
	if x == y {
		return 1
	}
	if isASCII(x) && isASCII(y) {
		return 1 - float64(osa([]byte(x), []byte(y)))/float64(max(len(x), len(y)))
	}
	ra, rb := []rune(x), []rune(y)
	return 1 - float64(osa(ra, rb))/float64(max(len(ra), len(rb)))
}

func sigString(ts []token, raw bool) string {
	ws := make([]string, 0, len(ts))
	for _, t := range ts {
		if t.class != classFiller {
			if raw {
				ws = append(ws, t.raw)
			} else {
				ws = append(ws, t.s)
			}
		}
	}
	slices.Sort(ws)
	return strings.Join(ws, " ")
}

// osa is the optimal string alignment distance (Levenshtein plus adjacent transpositions).
func osa[T rune | byte](a, b []T) int {
	var buf [3 * 64]int
	var rows []int
	if n := 3 * (len(b) + 1); n <= len(buf) {
		rows = buf[:n]
	} else {
		rows = make([]int, n)
	}
	w := len(b) + 1
	prev2, prev, cur := rows[:w], rows[w:2*w], rows[2*w:]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// oneTypo reports whether two different words are one slip apart: a letter missing or extra
// (both words ≥ 4 letters, the longer ≥ 5), two adjacent letters swapped (≥ 4 letters) or one
// letter replaced (≥ 9 letters, since shorter names such as Hansen/Hanson or Peterson/Petersen
// are usually different people). The first letter must agree. Digits never count as a typo.
func oneTypo(a, b string) bool {
	if a == b {
		return false
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(ra) < 4 || ra[0] != rb[0] || hasDigit(ra) || hasDigit(rb) {
		return false
	}
	switch len(rb) - len(ra) {
	case 1: // rb has one extra rune
		if len(rb) < 5 {
			return false
		}
		i := 0
		for i < len(ra) && ra[i] == rb[i] {
			i++
		}
		return string(ra[i:]) == string(rb[i+1:])
	case 0:
		diff := []int{}
		for i := range ra {
			if ra[i] != rb[i] {
				diff = append(diff, i)
				if len(diff) > 2 {
					return false
				}
			}
		}
		switch len(diff) {
		case 1:
			return len(ra) >= 9
		case 2:
			i, j := diff[0], diff[1]
			return j == i+1 && ra[i] == rb[j] && ra[j] == rb[i]
		}
	}
	return false
}

func hasDigit(rs []rune) bool {
	for _, r := range rs {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

// deletes returns the words made by dropping one letter (SymSpell-style candidates for one
// typo: a site word and a company word one slip apart share a deletion or equal one).
func deletes(s string) []string {
	rs := []rune(s)
	out := make([]string, 0, len(rs))
	for i := range rs {
		d := string(rs[:i]) + string(rs[i+1:])
		if len(out) == 0 || out[len(out)-1] != d {
			out = append(out, d)
		}
	}
	return out
}
