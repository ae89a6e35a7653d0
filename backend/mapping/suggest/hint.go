package suggest

import (
	"regexp"
	"strconv"
	"strings"
)

// hintRE is the same pattern as webroot.CWMIDHint (kept in step by TestHintParityWithWebroot),
// so this package stays free of the Webroot client's dependencies.
var hintRE = regexp.MustCompile(`(?i)\bcwm[-_ ]?id\s*[=:]\s*#?(\d{1,12})\b`)

// hintMentionRE finds anything that looks like an attempt at a hint, valid or not.
var hintMentionRE = regexp.MustCompile(`(?i)\bcwm[-_ ]?id\s*[=:]\s*#?[^\s,;]*`)

// hints is what a site's comments say about its Manage company.
type hints struct {
	ids       []int64  // distinct valid ids, in order of appearance
	malformed []string // mentions that are not a valid id, e.g. "cwm-id=abc"
}

func parseHints(comments string) hints {
	var h hints
	if comments == "" {
		return h
	}
	valid := map[int]bool{} // start offsets of valid hints
	for _, m := range hintRE.FindAllStringSubmatchIndex(comments, -1) {
		n, err := strconv.ParseInt(comments[m[2]:m[3]], 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		valid[m[0]] = true
		seen := false
		for _, id := range h.ids {
			seen = seen || id == n
		}
		if !seen {
			h.ids = append(h.ids, n)
		}
	}
	for _, m := range hintMentionRE.FindAllStringIndex(comments, -1) {
		if !valid[m[0]] {
			s := strings.TrimSpace(comments[m[0]:m[1]])
			if r := []rune(s); len(r) > 40 {
				s = string(r[:40]) + "…"
			}
			h.malformed = append(h.malformed, s)
		}
	}
	return h
}
