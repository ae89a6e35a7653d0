package suggest

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldSpecial spells out letters that Unicode decomposition does not reduce to ASCII.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'đ': "d", 'ð': "d",
	'þ': "th", 'ł': "l", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ĸ': "k", 'ŀ': "l",
}

// apostrophes are dropped without a space, so "O'Brien" and "OBrien" agree.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´', 'ʹ', '′':
		return true
	}
	return false
}

// legalForms lists legal-form suffixes as token sequences (after dotted initialisms are
// joined, so "L.L.C." is "llc" and "S.à r.l." is "sa rl"). Longer sequences are tried first.
var legalForms = func() [][]string {
	single := strings.Fields(`inc incorporated llc lc ltd limited corp corporation co company cos
		gmbh mbh ag sa sas sasu sarl eurl bv nv pty plc llp lp lllp pllc pc pa
		oy oyj ab as asa aps kg kgaa ohg ug ev gbr srl spa sl slu sau kk yk gk
		bhd pte pvt ltda sro doo ooo zrt kft nyrt jsc pjsc cv cie cia lda eirl vof
		bvba cvba sprl scrl ehf hf ek`)
	multi := []string{
		"l l c", "l l p", "l p", "p c", "p a", "p l c", "s a", "s a s", "b v", "n v",
		"a s", "a b", "s a r l", "sa rl", "s r l", "s p a", "sp z oo", "sp z o o",
		"s de rl", "sa de cv", "s de rl de cv", "sdn bhd", "limited liability",
		"professional corporation", "professional association", "professional llc",
		"pty ltd", "co ltd", "gmbh and co kg", "gmbh co kg",
	}
	out := make([][]string, 0, len(single)+len(multi))
	for _, m := range multi {
		out = append(out, strings.Fields(m))
	}
	for _, s := range single {
		out = append(out, []string{s})
	}
	// longest first, stable otherwise
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

// legalWord reports whether a single token is a legal form (used to weigh such a token
// lightly when it sits in the middle of a name, as in "Acme Corp Chicago").
var legalWord = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range legalForms {
		if len(f) == 1 {
			m[f[0]] = true
		}
	}
	return m
}()

// Normalize folds a company or site name to a comparable form: lower case, accents removed
// (é→e, ü→u, ß→ss, ø→o, æ→ae), apostrophes dropped, "&" spelled "and", other punctuation and
// symbols turned into spaces, dotted initialisms joined ("L.L.C." → "llc"), whitespace
// collapsed, a leading "The" dropped and legal-form suffixes (Inc, LLC, Ltd, GmbH, Pty Ltd,
// S.A., …) removed repeatedly from the end, together with a trailing "and"/"the" they leave
// behind ("Smith & Co." → "smith"). Digits are kept. A name made only of such words keeps its
// last word, so Normalize never turns a non-empty name into "" unless it has no letters or
// digits at all.
func Normalize(name string) string {
	return strings.Join(normalizeTokens(name), " ")
}

// normalizeTokens is Normalize as a token list.
func normalizeTokens(name string) []string {
	return stripLegal(foldTokens(name))
}

// foldTokens does the character-level folding of Normalize and splits into words, without
// removing any word.
func foldTokens(name string) []string {
	var b strings.Builder
	b.Grow(len(name) + 8)
	for _, r := range norm.NFKD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r) || isApostrophe(r):
			// combining marks and apostrophes vanish
		case r == '&':
			b.WriteString(" and ")
		case r == '.':
			b.WriteByte('.')
		default:
			if s, ok := foldSpecial[unicode.ToLower(r)]; ok {
				b.WriteString(s)
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteByte(' ')
			}
		}
	}
	var toks []string
	for _, chunk := range strings.Fields(b.String()) {
		if !strings.Contains(chunk, ".") {
			toks = append(toks, chunk)
			continue
		}
		if isDottedInitialism(chunk) {
			toks = append(toks, strings.ReplaceAll(chunk, ".", ""))
			continue
		}
		toks = append(toks, strings.FieldsFunc(chunk, func(r rune) bool { return r == '.' })...)
	}
	return toks
}

// isDottedInitialism reports chunks such as "l.l.c.", "s.a", "u.s.a." (single letters
// separated by dots).
func isDottedInitialism(chunk string) bool {
	parts := strings.Split(strings.Trim(chunk, "."), ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		rs := []rune(p)
		if len(rs) != 1 || !unicode.IsLetter(rs[0]) {
			return false
		}
	}
	return true
}

// stripLegal removes a leading "the" and, repeatedly, trailing legal forms and the "and"
// ("y", "und", …) or "the" they leave behind. It always keeps at least one token.
func stripLegal(toks []string) []string {
	if len(toks) > 1 && toks[0] == "the" {
		toks = toks[1:]
	}
	afterLegal := false
	for changed := true; changed; {
		changed = false
		if n := len(toks); n > 1 && (trailingWord[toks[n-1]] || afterLegal && trailingAfterLegal[toks[n-1]]) {
			toks = toks[:n-1]
			changed = true
			continue
		}
		for _, f := range legalForms {
			if len(toks) > len(f) && hasSuffix(toks, f) {
				toks = toks[:len(toks)-len(f)]
				changed, afterLegal = true, true
				break
			}
		}
	}
	return toks
}

// trailingWord is dropped from the end of any name ("Acme Company, The"); trailingAfterLegal
// only when a legal form followed it ("Fernández y Cía", "Rossi e C.").
var (
	trailingWord       = set("and the")
	trailingAfterLegal = set("y e und et")
)

func hasSuffix(toks, suf []string) bool {
	off := len(toks) - len(suf)
	for i, s := range suf {
		if toks[off+i] != s {
			return false
		}
	}
	return true
}
