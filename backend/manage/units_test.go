package manage

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30", 30 * time.Second, true},
		{" 2 ", 2 * time.Second, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"Sun, 01 Jun 2025 12:00:45 GMT", 45 * time.Second, true},
		{"Sun, 01 Jun 2025 11:00:00 GMT", 0, true}, // in the past: no wait
		{"", 0, false},
		{"-3", 0, false},
		{"soon", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %s %v, want %s %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	for _, j := range []float64{0, 0.999} {
		c := &Client{cfg: Config{Jitter: func() float64 { return j }}}
		p := retryPolicy{maxRetries: 5, base: 100 * time.Millisecond, cap: time.Second}
		for n := 1; n <= 6; n++ {
			d := c.backoff(p, n, 0)
			full := min(100*time.Millisecond<<(n-1), time.Second)
			if d < full/2 || d > full {
				t.Errorf("jitter %v retry %d: %s not in [%s, %s]", j, n, d, full/2, full)
			}
		}
	}
}

func TestErrorText(t *testing.T) {
	kept := 42.0
	cases := []struct {
		e       *Error
		inError string
		inUser  string
	}{
		{&Error{Kind: KindNotApplied, Op: "update addition 1", Field: "quantity", Sent: 7, Kept: &kept},
			"sent quantity=7, Manage kept 42", "kept quantity 42 instead of 7"},
		{&Error{Kind: KindNotApplied, Field: "quantity", Sent: 7}, "Manage kept nothing", "kept quantity nothing"},
		{&Error{Kind: KindServer, Status: 503, RequestID: "abc-123", Method: "GET", Path: "/x"},
			"GET /x: server (HTTP 503) [request abc-123]", "(Manage request id abc-123)"},
		{&Error{Kind: KindThrottled, RetryAfter: 1500 * time.Millisecond}, "throttled", "Wait 2s"},
		{&Error{Kind: KindValidation, Message: "Addition object is invalid.",
			Problems: []FieldProblem{{Field: "quantity", Message: "must be zero or more"}}},
			"; quantity: must be zero or more", "Addition object is invalid; quantity: must be zero or more"},
		{&Error{Kind: KindCanceled, Err: errors.New("context canceled")}, "canceled: context canceled", "cancelled"},
	}
	for _, tc := range cases {
		if s := tc.e.Error(); !strings.Contains(s, tc.inError) {
			t.Errorf("Error() = %q, want %q", s, tc.inError)
		}
		if s := tc.e.UserMessage(); !strings.Contains(s, tc.inUser) {
			t.Errorf("UserMessage() = %q, want %q", s, tc.inUser)
		}
	}
	wrapped := fmt.Errorf("sync: %w", &Error{Kind: KindNotFound})
	if KindOf(wrapped) != KindNotFound || !IsKind(wrapped, KindNotFound) || KindOf(errors.New("x")) != "" {
		t.Error("KindOf through wrapping")
	}
}

func TestVendorBodyReading(t *testing.T) {
	c := mustNew(t, Config{Site: "cw.example.com", CompanyID: "acme", PublicKey: "pub", PrivateKey: "privatekey",
		ClientID: testClientID})
	for body, want := range map[string]string{
		`{"code":"InvalidObject","message":"bad"}`:                        "InvalidObject|bad",
		`{"error":"ConnectWiseAPI","message":"Too many requests."}`:       "ConnectWiseAPI|Too many requests.",
		"Cannot route. Codebase/company is invalid":                       "|Cannot route. Codebase/company is invalid",
		"<html><head><title>502 Bad Gateway</title></head><body>x</body>": "|502 Bad Gateway",
		"<p>plain   <b>html</b></p>":                                      "|plain html",
		strings.Repeat("x", 500):                                          "|" + strings.Repeat("x", 200) + "…",
	} {
		e := &Error{}
		c.readVendorBody(e, []byte(body))
		if got := e.Code + "|" + e.Message; got != want {
			t.Errorf("%.40s: got %q, want %q", body, got, want)
		}
	}
	if _, lvl := permissionFor("DELETE", "/finance/agreements/1/additions/2"); lvl != "Delete" {
		t.Errorf("level %s", lvl)
	}
	if m, _ := permissionFor("GET", "/system/reports/x"); m != "System → API Reports" {
		t.Errorf("module %s", m)
	}
}

func TestModelHelpers(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	past, future := Time{now.AddDate(0, -1, 0)}, Time{now.AddDate(0, 1, 0)}
	for want, a := range map[string]Agreement{
		"":          {AgreementStatus: "Active", NoEndingDateFlag: true, EndDate: past},
		"cancelled": {CancelledFlag: true},
		"expired":   {AgreementStatus: "Expired"},
		"inactive":  {AgreementStatus: "Inactive"},
		"ended":     {AgreementStatus: "Active", EndDate: past},
	} {
		if got := a.BlockedReason(now); got != want {
			t.Errorf("%+v: %q, want %q", a, got, want)
		}
	}
	if (Agreement{EndDate: future}).BlockedReason(now) != "" {
		t.Error("future end date blocked")
	}
	var tm Time
	for in, want := range map[string]string{
		`"2018-05-17T00:00:00Z"`: "2018-05-17T00:00:00Z",
		`"2018-05-17T10:11:12"`:  "2018-05-17T10:11:12Z",
		`"2018-05-17"`:           "2018-05-17T00:00:00Z",
		`null`:                   "0001-01-01T00:00:00Z",
		`""`:                     "0001-01-01T00:00:00Z",
	} {
		if err := tm.UnmarshalJSON([]byte(in)); err != nil || tm.UTC().Format(time.RFC3339) != want {
			t.Errorf("%s: %v %v", in, tm, err)
		}
	}
	for _, bad := range []string{`12`, `"yesterday"`} {
		if err := tm.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if b, _ := (Time{}).MarshalJSON(); string(b) != "null" {
		t.Errorf("zero time marshals as %s", b)
	}
	var fb flexBool
	for in, want := range map[string]bool{`"True"`: true, `"False"`: false, `true`: true, `"yes"`: true, `null`: false} {
		_ = fb.UnmarshalJSON([]byte(in))
		if bool(fb) != want {
			t.Errorf("flexBool %s = %v", in, fb)
		}
	}
}
