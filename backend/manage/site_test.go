package manage

import (
	"errors"
	"strings"
	"testing"

	"cwm-webroot/backend/apperr"
)

func TestParseSite(t *testing.T) {
	cases := []struct {
		in, scheme, host, apiHost, fixed string
	}{
		{"na.myconnectwise.net", "https", "na.myconnectwise.net", "api-na.myconnectwise.net", ""},
		{"  https://EU.myconnectwise.net/  ", "https", "eu.myconnectwise.net", "api-eu.myconnectwise.net", ""},
		{"https://na.myconnectwise.net/v4_6_release/ConnectWise.aspx", "https", "na.myconnectwise.net", "api-na.myconnectwise.net", ""},
		{"aus.myconnectwise.net", "https", "aus.myconnectwise.net", "api-aus.myconnectwise.net", ""},
		{"staging.connectwisedev.com", "https", "staging.connectwisedev.com", "api-staging.connectwisedev.com", ""},
		{"api-na.myconnectwise.net", "https", "api-na.myconnectwise.net", "api-na.myconnectwise.net", ""},
		{"cw.example.com", "https", "cw.example.com", "cw.example.com", ""},
		{"cw.example.com:8443", "https", "cw.example.com:8443", "cw.example.com:8443", ""},
		{"http://127.0.0.1:8080", "http", "127.0.0.1:8080", "127.0.0.1:8080", ""},
		{"http://localhost:9", "http", "localhost:9", "localhost:9", ""},
		{"http://[::1]:9", "http", "[::1]:9", "[::1]:9", ""},
		{"https://cw.example.com/v4_6_release/apis/3.0/", "https", "cw.example.com", "cw.example.com",
			"https://cw.example.com/v4_6_release/apis/3.0"},
	}
	for _, tc := range cases {
		s, err := ParseSite(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if s.Scheme != tc.scheme || s.Host != tc.host || s.APIHost != tc.apiHost || s.FixedBase != tc.fixed {
			t.Errorf("%q: got %+v", tc.in, s)
		}
	}
	for in, want := range map[string]string{
		"":                          "enter the Manage site",
		"http://cw.example.com":     "plain http:// is only allowed",
		"ftp://cw.example.com":      "use an https:// address",
		"https://bob:pw@cw.x.com":   "user name or password",
		"cw example com":            "is not a host name or URL",
		"https://":                  "has no host name",
		"https://-bad-.example.com": "not a valid host name",
	} {
		_, err := ParseSite(in)
		var fe apperr.FieldError
		if !errors.As(err, &fe) || fe.Field != "Site" || !strings.Contains(fe.Message, want) {
			t.Errorf("%q: got %v, want a Site error containing %q", in, err, want)
		}
	}
}

func TestBaseFor(t *testing.T) {
	cases := []struct{ site, codebase, want string }{
		{"na.myconnectwise.net", "v2025_1/", "https://api-na.myconnectwise.net/v2025_1/apis/3.0"},
		{"cw.example.com", "v4_6_release/", "https://cw.example.com/v4_6_release/apis/3.0"},
		// DG fallback: a host not in the cloud list that reports a cloud codebase gets api-.
		{"ca.myconnectwise.net", "v2025_1/", "https://api-ca.myconnectwise.net/v2025_1/apis/3.0"},
		{"api-ca.myconnectwise.net", "v2025_1/", "https://api-ca.myconnectwise.net/v2025_1/apis/3.0"},
		{"http://127.0.0.1:5000", "v2025_1/", "http://127.0.0.1:5000/v2025_1/apis/3.0"},
		{"https://10.0.0.5", "v2025_1/", "https://10.0.0.5/v2025_1/apis/3.0"},
		{"https://cw.example.com/x/apis/3.0", "v2025_1/", "https://cw.example.com/x/apis/3.0"},
	}
	for _, tc := range cases {
		s, err := ParseSite(tc.site)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.baseFor(tc.codebase); got != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.site, tc.codebase, got, tc.want)
		}
	}
	for in, want := range map[string]string{"v2025_1/": "v2025_1/", "/v2025_1": "v2025_1/", "../x/": "", "a/b/": "", "": ""} {
		got, ok := cleanCodebase(in)
		if (want == "") == ok || (ok && got != want) {
			t.Errorf("cleanCodebase(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	err := Config{}.Validate()
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want *apperr.Validation", err)
	}
	got := map[string]bool{}
	for _, f := range v.Fields {
		got[f.Field] = true
	}
	for _, f := range []string{"Site", "Company ID", "Public Key", "Private Key", "Client ID"} {
		if !got[f] {
			t.Errorf("no error for %s: %v", f, v.Fields)
		}
	}
	bad := Config{Site: "na.myconnectwise.net", CompanyID: "ac me", PublicKey: "a:b", PrivateKey: "x", ClientID: "not-a-guid"}
	err = bad.Validate()
	if !errors.As(err, &v) || len(v.Fields) != 3 {
		t.Errorf("got %v, want errors for Company ID, Public Key and Client ID", err)
	}
	good := Config{Site: "na.myconnectwise.net", CompanyID: "acme", PublicKey: "pub", PrivateKey: "priv",
		ClientID: "{" + strings.ToUpper(testClientID) + "}"}
	if err := good.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	if _, err := New(bad); err == nil {
		t.Error("New accepted an invalid config")
	}
}
