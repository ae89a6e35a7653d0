package webroot

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseFailureShapes(t *testing.T) {
	cases := []struct {
		name, body, header string
		code, desc, reqID  string
	}{
		{"api envelope", `{"statusCode":401,"requestId":"r-1","error":"invalid_token","error_description":"Access was denied due to invalid token.","AdditionalInformation":{}}`, "",
			"invalid_token", "Access was denied due to invalid token.", "r-1"},
		{"null error", `{"statusCode":400,"requestId":"r-2","error":null,"error_description":"Batch size must be between 1 and 1000","AdditionalInformation":[]}`, "",
			"", "Batch size must be between 1 and 1000", "r-2"},
		{"oauth", `{"error":"invalid_grant","error_description":"The user name or password is incorrect."}`, "",
			"invalid_grant", "The user name or password is incorrect.", ""},
		{"nested", `{"error":"invalid_request","error_description":"{\"error\":\"invalid_grant\"}"}`, "",
			"invalid_grant", "", ""},
		{"nested with text", `{"error":"invalid_request","error_description":"Token request failed: {\"error\":\"invalid_client\",\"error_description\":\"Unknown client\"}"}`, "",
			"invalid_client", "Token request failed Unknown client", ""},
		{"pascal case and correlation id", `{"Error":"invalid_token","ErrorDescription":"expired","correlationId":"c-9"}`, "",
			"invalid_token", "expired", "c-9"},
		{"header only", `not json`, `Bearer realm="x", error="invalid_token"`, "invalid_token", "", ""},
		{"braces but not an error", `{"error":null,"error_description":"Use {id} in the path"}`, "", "", "Use {id} in the path", ""},
	}
	for _, c := range cases {
		f := parseFailure([]byte(c.body), c.header)
		if f.Code != c.code || f.Description != c.desc || f.RequestID != c.reqID {
			t.Errorf("%s: got %+v", c.name, f)
		}
	}
}

func TestTokenFailureKinds(t *testing.T) {
	cases := []struct {
		status int
		code   string
		desc   string
		grant  string
		want   Kind
	}{
		{400, "invalid_client", "", grantPassword, KindClientRejected},
		{401, "", "", grantPassword, KindClientRejected},
		{400, "invalid_grant", "", grantPassword, KindCredentialsRejected},
		{400, "invalid_scope", "", grantPassword, KindScopeMissing},
		{400, "invalid_request", "Bad Request", grantPassword, KindAuthRejected}, // legacy credentials after the migration
		{400, "invalid_request", "The user name or password is incorrect", grantPassword, KindCredentialsRejected},
		{400, "invalid_grant", "", grantRefresh, KindAuthRejected},
	}
	for _, c := range cases {
		if got := tokenFailureKind(c.status, apiFailure{Code: c.code, Description: c.desc}, c.grant); got != c.want {
			t.Errorf("%d %s %q %s: %s, want %s", c.status, c.code, c.desc, c.grant, got, c.want)
		}
	}
}

func TestParseTokenResponse(t *testing.T) {
	body := `{"access_token":"a","token_type":"bearer","expires_in":"120","refresh_token":"r","scope":"[\"Console.GSM\",\"SkyStatus.Reporting\"]"}`
	tr, err := parseTokenResponse([]byte(body))
	if err != nil || tr.ExpiresIn != 2*time.Minute || len(tr.Scopes) != 2 || tr.Scopes[1] != "SkyStatus.Reporting" {
		t.Fatalf("%+v %v", tr, err)
	}
	tr, _ = parseTokenResponse([]byte(`{"access_token":"a","scope":"Console.GSM SkyStatus.Reporting"}`))
	if tr.ExpiresIn != 5*time.Minute || len(tr.Scopes) != 2 {
		t.Errorf("defaults: %+v", tr)
	}
	for _, bad := range []string{`{}`, `{"access_token":"a","token_type":"MAC"}`, `nope`} {
		if _, err := parseTokenResponse([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestTolerantDecoding(t *testing.T) {
	var w struct {
		A wTime
		B wTime
		C wTime
		N wInt
		M wInt
		S wInt
		E wString
	}
	body := `{"A":"2025-11-30T17:46:58.6342862Z","B":"2024-08-31T00:00:00","C":null,"N":17,"M":"5","E":["a@x","b@x"]}`
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatal(err)
	}
	if w.A.Nanosecond() != 634286200 || w.B.Location() != time.UTC || !w.C.IsZero() {
		t.Errorf("times %v %v %v", w.A, w.B, w.C)
	}
	if !w.N.Set || w.N.Value != 17 || w.M.Value != 5 || w.S.Set || w.E != "a@x, b@x" {
		t.Errorf("values %+v", w)
	}
	if err := json.Unmarshal([]byte(`{"N":1.5}`), &w); err == nil {
		t.Error("a fractional count was accepted")
	}
	if got := decodeModules(json.RawMessage(`{"Type":"DNSP","LicenseType":"Full"}`)); len(got) != 1 || got[0].Type != "DNSP" {
		t.Errorf("single module object: %+v", got)
	}
	if got := decodeModules(json.RawMessage(`"weird"`)); got != nil {
		t.Errorf("unreadable modules: %+v", got)
	}
}

func TestUserAgent(t *testing.T) {
	for in, want := range map[string]string{"1.2.3": "cwm-webroot/1.2.3", "0.1.0-dev": "cwm-webroot/0.1.0-dev", "1 2/3": "cwm-webroot/1-2-3", "": "cwm-webroot/0"} {
		if got := userAgent(in); got != want {
			t.Errorf("userAgent(%q) = %q", in, got)
		}
	}
}

func TestBackoffAndRetryAfter(t *testing.T) {
	c := &Client{cfg: Config{BackoffBase: time.Second, BackoffMax: 5 * time.Second, Jitter: func() float64 { return 1 }}}
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 5 * time.Second, 60: 5 * time.Second} {
		if got := c.backoff(attempt); got != want {
			t.Errorf("backoff(%d) = %s, want %s", attempt, got, want)
		}
	}
	now := time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	if d, ok := parseRetryAfter("Sun, 15 Jun 2025 10:00:30 GMT", now); !ok || d != 30*time.Second {
		t.Errorf("HTTP-date Retry-After = %s %v", d, ok)
	}
	if _, ok := parseRetryAfter("soon", now); ok {
		t.Error("garbage Retry-After accepted")
	}
}
