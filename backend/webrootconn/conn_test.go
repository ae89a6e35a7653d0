package webrootconn_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webrootconn"
)

func TestGoodCredentialsConnect(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	out, err := e.svc.Test(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !out.OK || out.ConsoleName != webrootsim.DemoConsoleName || out.SiteCount != len(e.sim.Sites()) || out.TotalSeats == 0 {
		t.Fatalf("outcome %+v", out)
	}
	if len(out.Steps) != 3 {
		t.Fatalf("steps %+v", out.Steps)
	}
	for _, s := range out.Steps {
		if s.Status != webrootconn.StepOK || s.Title == "" || s.Message == "" {
			t.Errorf("step %+v", s)
		}
	}
	if !strings.Contains(out.Summary, "Connected as "+webrootsim.DefaultUsername) {
		t.Errorf("summary %q", out.Summary)
	}
	rt, err := e.Secrets.Get(secrets.WebrootRefreshToken)
	if err != nil || !e.sim.RefreshTokenValid(rt) {
		t.Errorf("refresh token in keychain %v valid=%v", err, e.sim.RefreshTokenValid(rt))
	}
	st := e.status()
	if st.State != webrootconn.StateConnected || st.ConsoleName != webrootsim.DemoConsoleName || st.Username != webrootsim.DefaultUsername ||
		st.ConnectedSince == nil || st.FailingSince != nil || st.SiteCount != out.SiteCount || st.TotalSeats != out.TotalSeats {
		t.Errorf("status %+v", st)
	}
}

func TestFailuresSayWhatToFixAndKeepFailingSince(t *testing.T) {
	e := newEnv(t, nil)
	in := e.good()
	in.ClientSecret = "wrong-secret"
	e.save(in)
	out, err := e.svc.Test(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if out.OK || out.Field != "Client Secret" || !strings.Contains(out.Summary, "Client Secret") {
		t.Fatalf("outcome %+v", out)
	}
	if out.Steps[0].Status != webrootconn.StepFailed || out.Steps[1].Status != webrootconn.StepSkipped {
		t.Errorf("steps %+v", out.Steps)
	}
	first := e.status()
	if first.State != webrootconn.StateFailing || first.FailingSince == nil || !strings.Contains(first.Problem, "Client Secret") ||
		!strings.HasPrefix(first.Summary, "Failing since ") || !first.CredentialsRejected {
		t.Fatalf("status %+v", first)
	}

	time.Sleep(5 * time.Millisecond)
	if _, err := e.svc.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := e.status()
	if !second.FailingSince.Equal(*first.FailingSince) || !second.CheckedAt.After(*first.CheckedAt) {
		t.Errorf("failing since moved: %v → %v (checked %v → %v)", first.FailingSince, second.FailingSince, first.CheckedAt, second.CheckedAt)
	}

	// The fix: only the secret is typed again.
	e.save(webrootconn.ConfigInput{Site: e.url, ClientID: webrootsim.DefaultClientID, ClientSecret: webrootsim.DefaultClientSecret,
		GSMKey: webrootsim.DefaultGSMKey, Username: webrootsim.DefaultUsername})
	if out, _ := e.svc.Test(context.Background()); !out.OK {
		t.Fatalf("after fixing the secret: %+v", out)
	}
	if st := e.status(); st.State != webrootconn.StateConnected || st.Problem != "" {
		t.Errorf("status after the fix %+v", st)
	}
}

func TestEachFailurePointsAtItsField(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*webrootconn.ConfigInput, *env)
		field string
	}{
		{"password", func(in *webrootconn.ConfigInput, _ *env) { in.Password = "nope" }, "Admin Password"},
		{"gsm key", func(in *webrootconn.ConfigInput, _ *env) { in.GSMKey = "AAAA-BBBB-CCCC-DDDD-EEEE" }, "GSM Parent Key"},
		{"unreachable", func(in *webrootconn.ConfigInput, e *env) { in.Site = "http://127.0.0.1:1" }, "Site"},
		{"scope", func(_ *webrootconn.ConfigInput, e *env) { e.sim.SetAllowedScopes([]string{"Console.GSM"}) }, "API Scope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			in := e.good()
			c.edit(&in, e)
			e.save(in)
			out, err := e.svc.Test(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if out.OK || out.Field != c.field || out.Summary == "" {
				t.Errorf("outcome %+v", out)
			}
		})
	}
}

func TestMissingSecretIsReportedAsAFieldToFill(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	_ = e.Secrets.Delete(secrets.WebrootPassword) // say the user cleaned the keychain
	_, err := e.svc.Test(context.Background())
	var fe apperr.FieldError
	if !errors.As(err, &fe) || fe.Field != "Admin Password" {
		t.Fatalf("want an Admin Password field error, got %v", err)
	}
}

// Nothing secret reaches the database, the logs, the events (what the frontend gets) or an
// error, even from a server that quotes secrets back in its error descriptions.
func TestNoSecretLeaks(t *testing.T) {
	e := newEnv(t, nil)
	e.sim.EchoSecretsInErrors(true)
	e.save(e.good())
	if out, err := e.svc.Test(context.Background()); err != nil || !out.OK {
		t.Fatalf("good test: %+v %v", out, err)
	}
	if _, err := e.svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.sim.SetPassword("Changed-Elsewhere-1!") // revokes every token: the next calls fail
	var texts []string
	if _, err := e.svc.Refresh(context.Background()); err == nil {
		t.Fatal("refresh succeeded after the password changed")
	} else {
		texts = append(texts, err.Error(), webrootconn.UserMessage(err))
	}
	out, err := e.svc.Test(context.Background())
	if err != nil || out.OK {
		t.Fatalf("test after the password changed: %+v %v", out, err)
	}
	raw, _ := json.Marshal(e.Events.Events())
	texts = append(texts, string(raw), e.Logs.String(), e.Dump())
	list, _ := e.svc.Sites(context.Background())
	st := e.status()
	cfg, _ := e.svc.GetConfig(context.Background())
	for _, v := range []any{list, st, cfg, out} {
		b, _ := json.Marshal(v)
		texts = append(texts, string(b))
	}
	secretsList := append([]string{webrootsim.DefaultClientSecret, webrootsim.DefaultPassword}, e.sim.IssuedTokens()...)
	if len(secretsList) < 4 {
		t.Fatalf("the simulator issued no tokens? %v", secretsList)
	}
	for i, text := range texts {
		for _, s := range secretsList {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("text %d contains a secret or token (%d chars)", i, len(s))
			}
		}
	}
	if !strings.Contains(e.Logs.String(), "webroot") {
		t.Error("the logger received nothing: the check above proved nothing")
	}
	if st.State != webrootconn.StateFailing {
		t.Errorf("status %+v", st)
	}
}
