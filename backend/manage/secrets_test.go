package manage

import (
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// secretsIn lists which secrets appear in s.
func secretsIn(s string) []string {
	token := base64.StdEncoding.EncodeToString([]byte("acme+" + testPublicKey + ":" + testPrivateKey))
	var found []string
	for name, secret := range map[string]string{
		"private key": testPrivateKey, "Authorization token": token,
		"credential pair": testPublicKey + ":" + testPrivateKey,
	} {
		if strings.Contains(s, secret) {
			found = append(found, name)
		}
	}
	return found
}

// A succeeding run and a failing one, with debug logging on: neither the private key nor the
// Authorization value appears in a log line, an error or a user message, even when the
// server echoes them back.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	// Succeeding run against the simulator, through every kind of call.
	e := newEnv(t, simOpts(), nil)
	c := ctx(t)
	_ = e.c.TestConnection(c)
	if _, err := e.c.ListAdditions(c, 871, Query{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.UpdateAdditionQuantity(c, 871, 3589, 0, nil); err != nil {
		t.Fatal(err)
	}
	e.sim.FailNext("GET", "/company/companies", 1, 503)
	if _, err := e.c.ListCompanies(c, Query{}); err != nil {
		t.Fatal(err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "manage: call") || !strings.Contains(logs, "retrying") {
		t.Fatalf("expected debug and retry lines in the log:\n%s", logs)
	}
	if s := secretsIn(logs); len(s) > 0 {
		t.Errorf("log of a good run contains %v:\n%s", s, logs)
	}

	// Failing run: a server that echoes the credentials in its error bodies.
	buf := &syncBuffer{}
	calls := 0
	_, cfg := fakeSite(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		auth := r.Header.Get("Authorization")
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic "))
		if calls == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("<html><body>Server error for " + auth + " / " + string(raw) + "</body></html>"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"Unauthorized","message":"Bad credentials ` + string(raw) + ` (` + auth + `)",` +
			`"errors":[{"code":"x","message":"` + testPrivateKey + `","field":"auth"}]}`))
	})
	cfg.Logger = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := mustNew(t, cfg)
	_, err := client.ListAgreements(c, Query{})
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindKeysRejected {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(me.Message, "[redacted]") {
		t.Errorf("the echoed secret was not replaced: %q", me.Message)
	}
	r := client.TestConnection(c)
	all := buf.String() + "\n" + err.Error() + "\n" + me.UserMessage()
	for _, st := range r.Steps {
		all += "\n" + st.Message
	}
	if !strings.Contains(buf.String(), "manage: call failed") {
		t.Fatalf("expected failure lines in the log:\n%s", buf.String())
	}
	if s := secretsIn(all); len(s) > 0 {
		t.Errorf("failing run exposes %v:\n%s", s, all)
	}
}

func TestRedactorIgnoresShortValues(t *testing.T) {
	// A one-letter key must not turn every "a" into [redacted].
	c := mustNew(t, Config{Site: "cw.example.com", CompanyID: "acme", PublicKey: "p", PrivateKey: "a",
		ClientID: testClientID})
	if got := c.redact("a banana"); got != "a banana" {
		t.Errorf("got %q", got)
	}
}
