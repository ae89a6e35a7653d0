package mail

import (
	"fmt"
	"net"
	"net/mail"
	"strings"
	"unicode"

	"cwm-webroot/backend/apperr"
)

// Field labels as the Email settings page shows them; validation errors name these.
const (
	FieldHost          = "SMTP Server"
	FieldPort          = "Port"
	FieldSecurity      = "Security"
	FieldUsername      = "Username"
	FieldFromAddress   = "From Address"
	FieldFromName      = "From Name"
	FieldTestRecipient = "Send Test To"
)

// Validate checks every field and returns an *apperr.Validation naming each bad one, or nil.
func (s Settings) Validate() error { return s.normalized().validate(nil) }

// normalized trims what users paste with stray spaces; the password is never touched.
func (s Settings) normalized() Settings {
	s.Host = strings.TrimSpace(s.Host)
	if strings.HasPrefix(s.Host, "[") && strings.HasSuffix(s.Host, "]") {
		s.Host = s.Host[1 : len(s.Host)-1] // "[::1]" is how IPv6 appears next to a port
	}
	s.Host = strings.TrimSuffix(s.Host, ".")
	s.Security = strings.ToLower(strings.TrimSpace(s.Security))
	s.Username = strings.TrimSpace(s.Username)
	s.FromAddress = strings.TrimSpace(s.FromAddress)
	s.FromName = strings.TrimSpace(s.FromName)
	return s
}

// validate checks normalized settings; password is the one about to be saved (nil: none).
func (s Settings) validate(password *string) error {
	var v apperr.Validation
	if msg := checkHost(s.Host); msg != "" {
		v.Add(FieldHost, msg)
	}
	if s.Port < 1 || s.Port > 65535 {
		v.Add(FieldPort, "enter a port from 1 to 65535 (usually 587 for STARTTLS or 465 for TLS)")
	}
	switch s.Security {
	case SecurityStartTLS, SecurityTLS:
	case SecurityNone:
		if s.Host != "" && !IsLoopback(s.Host) {
			v.Add(FieldSecurity, "\"None\" (no encryption) is allowed only for a server on this computer "+
				"(localhost, 127.0.0.1 or ::1); choose STARTTLS or TLS")
		}
	default:
		v.Add(FieldSecurity, "choose STARTTLS, TLS or None")
	}
	switch {
	case len(s.Username) > 256:
		v.Add(FieldUsername, "the username is too long (at most 256 characters)")
	case hasControl(s.Username):
		v.Add(FieldUsername, "the username cannot contain line breaks or control characters")
	case s.Username == "" && password != nil && *password != "":
		v.Add(FieldUsername, "enter the username that goes with the password")
	}
	if msg := checkAddress(s.FromAddress); msg != "" {
		v.Add(FieldFromAddress, msg)
	}
	switch {
	case len(s.FromName) > 200:
		v.Add(FieldFromName, "the name is too long (at most 200 characters)")
	case hasControl(s.FromName):
		v.Add(FieldFromName, "the name cannot contain line breaks or control characters")
	}
	return v.Err()
}

// checkHost returns what is wrong with an SMTP server name, or "".
func checkHost(host string) string {
	switch {
	case host == "":
		return "enter the SMTP server's name, such as smtp.example.com"
	case strings.Contains(host, "://"):
		return "enter only the server's name, such as smtp.example.com, without smtp:// or https://"
	case net.ParseIP(host) != nil:
		return ""
	case strings.Count(host, ":") == 1:
		return "enter the port in the Port field, not after the server's name"
	case !validHostName(host):
		return fmt.Sprintf("%q is not a valid host name or IP address", host)
	}
	return ""
}

// validHostName applies RFC 1123: dot-separated labels of letters, digits and inner
// hyphens, each at most 63 characters, 253 in all, and a last label that is not all digits
// (so a mistyped IPv4 address such as 10.0.0.300 is refused instead of looked up).
func validHostName(host string) bool {
	if len(host) > 253 {
		return false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// IsLoopback reports whether host names this computer: "localhost" or a loopback IP.
// Only such a server may be reached without encryption, since nothing leaves the machine.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkAddress returns what is wrong with a single bare email address, or "".
func checkAddress(addr string) string {
	if addr == "" {
		return "enter an email address, such as billing@example.com"
	}
	a, err := mail.ParseAddress(addr)
	if err != nil {
		if strings.ContainsAny(addr, ",;") {
			return "enter a single email address"
		}
		return fmt.Sprintf("%q is not a valid email address", addr)
	}
	if a.Address != addr {
		// "Billing <billing@example.com>" parses, but the name belongs in From Name.
		return "enter only the address, such as billing@example.com (the name goes in From Name)"
	}
	return ""
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}
