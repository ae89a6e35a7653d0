package webroot_test

import (
	"errors"
	"strings"
	"testing"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/webroot"
)

func validConfig() webroot.Config {
	return webroot.Config{ClientID: "client_X@msp.example", ClientSecret: "s", GSMKey: "1C86-7AFC-FDFF-4562-AB91",
		Username: "admin@msp.example", Password: "p"}
}

func fieldErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("want *apperr.Validation, got %T %v", err, err)
	}
	out := map[string]string{}
	for _, f := range v.Fields {
		out[f.Field] = f.Message
	}
	return out
}

func TestConfigDefaultsAreValid(t *testing.T) {
	c, err := webroot.New(validConfig())
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://unityapi.webrootcloudav.com" {
		t.Errorf("base URL %q", c.BaseURL())
	}
}

func TestConfigNamesEveryBadField(t *testing.T) {
	_, err := webroot.New(webroot.Config{Site: "http://unityapi.webrootcloudav.com", Scope: "Console.GSM", GSMKey: "1234", Username: "admin"})
	got := fieldErrors(t, err)
	for _, f := range []string{"Site", "API Scope", "Client ID", "Client Secret", "GSM Parent Key", "Super Admin", "Admin Password"} {
		if got[f] == "" {
			t.Errorf("no error for %q (got %v)", f, got)
		}
	}
	if !strings.Contains(got["Site"], "http://") || !strings.Contains(got["API Scope"], "SkyStatus.Reporting") ||
		!strings.Contains(got["GSM Parent Key"], "20") {
		t.Errorf("messages %v", got)
	}
}

func TestNormalizeSite(t *testing.T) {
	ok := map[string]string{
		"":                                     "https://unityapi.webrootcloudav.com",
		" unityapi.webrootcloudav.com ":        "https://unityapi.webrootcloudav.com",
		"https://unityapi.webrootcloudav.com/": "https://unityapi.webrootcloudav.com",
		"HTTPS://beta.example.com:8443":        "https://beta.example.com:8443",
		"http://127.0.0.1:5555":                "http://127.0.0.1:5555",
		"http://localhost:8080":                "http://localhost:8080",
		"http://[::1]:9000":                    "http://[::1]:9000",
	}
	for in, want := range ok {
		got, err := webroot.NormalizeSite(in)
		if err != nil || got != want {
			t.Errorf("NormalizeSite(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"http://unityapi.webrootcloudav.com", "http://10.0.0.5", "ftp://x.example",
		"https://unityapi.webrootcloudav.com/service/api", "https://user:pw@host.example", "https://", "://"} {
		if _, err := webroot.NormalizeSite(bad); err == nil {
			t.Errorf("NormalizeSite(%q) accepted", bad)
		}
	}
}

func TestNormalizeGSMKey(t *testing.T) {
	for _, in := range []string{"1C86-7AFC-FDFF-4562-AB91", "1c867afcfdff4562ab91", " 1C86 7AFC FDFF 4562 AB91 "} {
		got, err := webroot.NormalizeGSMKey(in)
		if err != nil || got != "1C86-7AFC-FDFF-4562-AB91" {
			t.Errorf("NormalizeGSMKey(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "1C86-7AFC-FDFF-4562", "1C86-7AFC-FDFF-4562-AB91-0000", "1C86-7AFC-FDFF-4562-AB9!"} {
		if _, err := webroot.NormalizeGSMKey(bad); err == nil {
			t.Errorf("NormalizeGSMKey(%q) accepted", bad)
		}
	}
}

func TestScopeValidation(t *testing.T) {
	for _, ok := range []string{"", "*", "Console.GSM SkyStatus.Reporting", "*.GSM SkyStatus.*", "console.gsm skystatus.reporting"} {
		c := validConfig()
		c.Scope = ok
		if err := c.Validate(); err != nil {
			t.Errorf("scope %q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"SkyStatus.*", "Console.GSM", "Console.GSM, SkyStatus.Reporting", "Console..GSM"} {
		c := validConfig()
		c.Scope = bad
		if fieldErrors(t, c.Validate())["API Scope"] == "" {
			t.Errorf("scope %q accepted", bad)
		}
	}
}

func TestBasesAndProducts(t *testing.T) {
	want := map[webroot.Product][]string{
		webroot.ProductEndpoint: {"active_without_hidden", "active", "seen_30d", "not_deactivated"},
		webroot.ProductDNS:      {"devices_seen", "devices_seen_30d"},
		webroot.ProductWSAT:     {"users_seen", "users_seen_30d"},
	}
	for p, names := range want {
		bases := p.Bases()
		if len(bases) != len(names) || bases[0] != p.DefaultBasis() {
			t.Errorf("%s bases %v default %s", p, bases, p.DefaultBasis())
		}
		for i, n := range names {
			b, err := webroot.ParseBasis(" " + strings.ToUpper(n))
			if err != nil || b != bases[i] || b.Product() != p || b.Label() == string(b) {
				t.Errorf("basis %s: %v %v", n, b, err)
			}
		}
		if got, err := webroot.ParseProduct(string(p)); err != nil || got != p {
			t.Errorf("product %s", p)
		}
	}
	if _, err := webroot.ParseBasis("seen"); err == nil || !strings.Contains(err.Error(), "users_seen_30d") {
		t.Errorf("bad basis error %v", err)
	}
	if _, err := webroot.ParseProduct("edr"); err == nil {
		t.Error("unknown product accepted")
	}
}

func TestCWMIDHint(t *testing.T) {
	cases := map[string]int64{"cwm-id=123456": 123456, "Billing: CWM-ID = 42; other": 42, "x\ncwm_id:#7": 7}
	for in, want := range cases {
		if got, ok := webroot.CWMIDHint(in); !ok || got != want {
			t.Errorf("CWMIDHint(%q) = %d %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "cwm-id=", "xcwm-id=5", "cwm-id=abc"} {
		if _, ok := webroot.CWMIDHint(in); ok {
			t.Errorf("CWMIDHint(%q) matched", in)
		}
	}
}
