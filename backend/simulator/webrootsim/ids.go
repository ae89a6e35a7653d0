package webrootsim

import (
	"fmt"
	"strings"
)

// Generated values; callers hold s.mu.

func (s *Server) randomHex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 2*n)
	for i := range b {
		b[i] = digits[s.rng.IntN(16)]
	}
	return string(b)
}

func (s *Server) randomGUID() string {
	h := s.randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomKeycode is a dashed 20-character keycode.
func (s *Server) randomKeycode() string {
	k := strings.ToUpper(s.randomHex(10))
	return k[0:4] + "-" + k[4:8] + "-" + k[8:12] + "-" + k[12:16] + "-" + k[16:20]
}

// randomKey is a 20-character lower-case key like the SiteKey/GSMKey in reports.
func (s *Server) randomKey() string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 20)
	for i := range b {
		b[i] = chars[s.rng.IntN(len(chars))]
	}
	return string(b)
}

func (s *Server) agentVersion() string {
	return fmt.Sprintf("9.0.%d.%d", 33+s.rng.IntN(5), 10+s.rng.IntN(80))
}

// hostPrefix is an upper-case short name for host names, e.g. "ACME" for "Acme Corp".
func hostPrefix(name string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(name) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
		if b.Len() == 6 {
			break
		}
	}
	if b.Len() == 0 {
		return "HOST"
	}
	return b.String()
}
