package managesim

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const testClientID = "3f2c9a4e-8b1d-4c7e-9f0a-2b6d5e8c1a7f"

func startSim(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	if _, err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// authed sets the headers a correct client sends.
func authed(s *Server) func(*http.Request) {
	return func(r *http.Request) {
		o := s.Options()
		tok := base64.StdEncoding.EncodeToString([]byte(o.CompanyID + "+" + o.PublicKey + ":" + o.PrivateKey))
		r.Header.Set("Authorization", "Basic "+tok)
		r.Header.Set("clientId", testClientID)
		r.Header.Set("Accept", "application/vnd.connectwise.com+json; version=2025.8")
		if r.Body != nil {
			r.Header.Set("Content-Type", "application/json")
		}
	}
}

// send calls url with the modifiers applied and returns the answer and its body.
func send(t *testing.T, method, url, body string, mods ...func(*http.Request)) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		m(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// api calls a route below the API root with correct credentials.
func api(t *testing.T, s *Server, method, route, body string, mods ...func(*http.Request)) (*http.Response, []byte) {
	t.Helper()
	return send(t, method, s.APIBase()+route, body, append([]func(*http.Request){authed(s)}, mods...)...)
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

func wantStatus(t *testing.T, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, want, body)
	}
}

var day0 = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// seedSmall stores a catalog item, two companies, an agreement and two additions.
func seedSmall(s *Server) (agreementID, additionID int) {
	s.AddCatalogItem(CatalogItem{ID: 752, Identifier: "WEBROOT-EP", Description: "Webroot Endpoint", Price: 3.5, Cost: 1.2})
	s.AddCompany(Company{ID: 5, Identifier: "AcmeCorp", Name: "Acme Corporation"})
	s.AddCompany(Company{ID: 6, Identifier: "OBrien", Name: `O"Brien \ Sons`})
	s.AddAgreement(Agreement{ID: 871, Name: "Managed Services", Type: "Managed Services", CompanyID: 5,
		StartDate: day0, NoEndingDate: true, Status: "Active"})
	a := s.AddAddition(Addition{ID: 3589, AgreementID: 871, ProductID: 752, Quantity: 42,
		LessIncluded: Float(0), UnitPrice: 3.5, UnitCost: 1.2, EffectiveDate: day0})
	s.AddAddition(Addition{ID: 3590, AgreementID: 871, ProductID: 752, Quantity: 3, CancelledDate: day0})
	return 871, a.ID
}
