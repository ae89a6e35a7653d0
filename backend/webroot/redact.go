package webroot

import (
	"strings"
	"sync"
)

// redactor removes secret values from text that came from a server (error descriptions)
// before it reaches an error or a log line. A server echoing a token back in an error
// message must not put it on screen or on disk.
type redactor struct {
	mu     sync.Mutex
	fixed  []string
	tokens []string // recent access and refresh tokens, newest last
}

const redactedMark = "[redacted]"

// keepTokens is how many recent tokens are remembered; older ones are invalid anyway.
const keepTokens = 8

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		if len(s) >= 4 {
			r.fixed = append(r.fixed, s)
		}
	}
	return r
}

// addToken remembers a token value so it is redacted from now on.
func (r *redactor) addToken(t string) {
	if len(t) < 4 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, t)
	if len(r.tokens) > keepTokens {
		r.tokens = r.tokens[len(r.tokens)-keepTokens:]
	}
}

// clean replaces every known secret in s.
func (r *redactor) clean(s string) string {
	if s == "" {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, list := range [][]string{r.fixed, r.tokens} {
		for _, v := range list {
			if strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, redactedMark)
			}
		}
	}
	return s
}
