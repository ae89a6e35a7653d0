package mail

import (
	"errors"
	"strings"
	"testing"

	"cwm-webroot/backend/apperr"
)

func TestValidateFields(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Settings)
		field  string // "" when valid
		says   string
	}{
		{"valid", func(*Settings) {}, "", ""},
		{"IPv4 host", func(s *Settings) { s.Host = "192.0.2.10" }, "", ""},
		{"IPv6 host in brackets", func(s *Settings) { s.Host = "[2001:db8::1]" }, "", ""},
		{"host with spaces around", func(s *Settings) { s.Host = "  smtp.example.com " }, "", ""},
		{"empty host", func(s *Settings) { s.Host = "" }, FieldHost, "enter"},
		{"host as URL", func(s *Settings) { s.Host = "smtp://smtp.example.com" }, FieldHost, "without smtp://"},
		{"host with port", func(s *Settings) { s.Host = "smtp.example.com:587" }, FieldHost, "Port field"},
		{"bad IPv4", func(s *Settings) { s.Host = "10.0.0.300" }, FieldHost, "not a valid host name"},
		{"underscore", func(s *Settings) { s.Host = "smtp_relay.example.com" }, FieldHost, "not a valid host name"},
		{"port 0", func(s *Settings) { s.Port = 0 }, FieldPort, "1 to 65535"},
		{"port too high", func(s *Settings) { s.Port = 65536 }, FieldPort, "1 to 65535"},
		{"unknown security", func(s *Settings) { s.Security = "ssl" }, FieldSecurity, "STARTTLS, TLS or None"},
		{"none for remote host", func(s *Settings) { s.Security = SecurityNone }, FieldSecurity, "only for a server on this computer"},
		{"none for 127.0.0.1", func(s *Settings) { s.Security, s.Host = SecurityNone, "127.0.0.1" }, "", ""},
		{"none for ::1", func(s *Settings) { s.Security, s.Host = SecurityNone, "::1" }, "", ""},
		{"none for localhost", func(s *Settings) { s.Security, s.Host = SecurityNone, "LocalHost" }, "", ""},
		{"none for 127.0.0.2", func(s *Settings) { s.Security, s.Host = SecurityNone, "127.0.0.2" }, "", ""},
		{"none for a name ending in localhost", func(s *Settings) { s.Security, s.Host = SecurityNone, "localhost.example.com" }, FieldSecurity, "this computer"},
		{"username with line break", func(s *Settings) { s.Username = "a\r\nb" }, FieldUsername, "line breaks"},
		{"empty from", func(s *Settings) { s.FromAddress = "" }, FieldFromAddress, "enter an email address"},
		{"two from addresses", func(s *Settings) { s.FromAddress = "a@example.com, b@example.com" }, FieldFromAddress, "single"},
		{"from with name", func(s *Settings) { s.FromAddress = "Billing <billing@example.com>" }, FieldFromAddress, "From Name"},
		{"from without domain", func(s *Settings) { s.FromAddress = "billing" }, FieldFromAddress, "not a valid email address"},
		{"from name with line break", func(s *Settings) { s.FromName = "Billing\nBcc: x@example.com" }, FieldFromName, "line breaks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := goodSettings
			tc.change(&s)
			err := s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var v *apperr.Validation
			if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != tc.field {
				t.Fatalf("Validate: %v, want one %s error", err, tc.field)
			}
			if !strings.Contains(v.Fields[0].Message, tc.says) {
				t.Errorf("message %q does not say %q", v.Fields[0].Message, tc.says)
			}
		})
	}
}
