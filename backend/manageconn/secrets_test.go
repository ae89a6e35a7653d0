package manageconn_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/managesim"
)

// TestPrivateKeyNeverLeaks drives save, test and refresh, good and bad, at debug log level,
// and looks for either private key (and the Basic credentials built from them) in the logs,
// every error, every value returned or emitted to the frontend, and the database files.
func TestPrivateKeyNeverLeaks(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	var seen []string // everything a user or the frontend could see
	note := func(v any, err error) {
		raw, jerr := json.Marshal(v)
		if jerr != nil {
			t.Fatal(jerr)
		}
		seen = append(seen, string(raw))
		if err != nil {
			seen = append(seen, err.Error(), manageconn.UserMessage(err))
		}
	}

	note(e.svc.Save(ctx, "tester", e.good()))
	note(e.svc.GetConfig(ctx))
	note(e.svc.Test(ctx))
	note(e.svc.Refresh(ctx))
	e.svc.StartTest()
	_ = e.svc.Wait(ctx)
	note(e.svc.Activity(), nil)

	// Faults on the way: throttling, server errors, a permission missing.
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "0", Times: 1})
	e.sim.FailNext("GET", "/company/companies", 2, 503)
	e.sim.Deny(managesim.ModuleCatalog)
	note(e.svc.Refresh(ctx))
	e.sim.Allow(managesim.ModuleCatalog)

	// The wrong key, tested and refreshed.
	bad := e.good()
	bad.PrivateKey = badPrivateKey
	note(e.svc.Save(ctx, "tester", bad))
	note(e.svc.Test(ctx))
	note(e.svc.Refresh(ctx))
	e.svc.StartRefresh()
	_ = e.svc.Wait(ctx)
	note(e.svc.Activity(), nil)
	note(e.svc.Status(ctx))
	note(e.svc.GetConfig(ctx))
	// A validation failure echoes nothing secret either.
	broken := bad
	broken.Site = "http://cw.example.com"
	note(e.svc.Save(ctx, "tester", broken))
	for _, ev := range e.Events.Events() {
		note(ev.Payload, nil)
	}
	note(e.Audit(), nil)

	logs := e.Logs.String()
	if !strings.Contains(logs, "manage cache refreshed") || !strings.Contains(logs, "manage settings saved") ||
		!strings.Contains(logs, "manage connection tested") {
		t.Fatalf("the logs were not captured:\n%s", logs)
	}
	db := e.Dump()
	if !strings.Contains(db, simPublicKey) {
		t.Fatal("the database dump does not hold the public key: the dump is not reading the data")
	}
	for _, secret := range []string{simPrivateKey, badPrivateKey} {
		basic := base64.StdEncoding.EncodeToString([]byte(simCompany + "+" + simPublicKey + ":" + secret))
		for _, needle := range []string{secret, basic} {
			if strings.Contains(logs, needle) {
				t.Errorf("a log line holds a private key:\n%s", logs)
			}
			if strings.Contains(db, needle) {
				t.Error("the database files hold a private key")
			}
			for _, s := range seen {
				if strings.Contains(s, needle) {
					t.Errorf("returned or emitted value holds a private key: %s", s)
				}
			}
		}
	}
	// And the key did reach the keychain, so the checks above had something to find.
	if got, _ := e.Secrets.Get(secrets.ManagePrivateKey); got != badPrivateKey {
		t.Errorf("keychain holds %q", got)
	}
}

// TestWithTheOSKeychain runs the save → test → refresh path on the real OS keychain (the
// Secret Service on Linux; `make test` provides a throw-away one), in a namespace of its own.
func TestWithTheOSKeychain(t *testing.T) {
	kc := secrets.NewKeychain(secrets.ServiceName(t.TempDir(), false))
	if err := kc.Check(); err != nil {
		t.Skipf("no usable OS keychain here (run under scripts/with-keyring.sh): %v", err)
	}
	t.Cleanup(func() { _ = kc.DeleteAll() })
	e := newEnv(t, kc)
	ctx := context.Background()
	res := e.save(e.good())
	if !res.Config.PrivateKeySaved {
		t.Fatal("the keychain does not report the key as saved")
	}
	if got, err := kc.Get(secrets.ManagePrivateKey); err != nil || got != simPrivateKey {
		t.Fatalf("keychain read back %q %v", got, err)
	}
	out, err := e.svc.Test(ctx)
	if err != nil || !out.OK {
		t.Fatalf("test: %+v %v", out, err)
	}
	if r, err := e.svc.Refresh(ctx); err != nil || r.Counts != expected(e) {
		t.Fatalf("refresh: %+v %v", r, err)
	}
	// Replacing the key replaces the keychain entry; the database never sees either.
	in := e.good()
	in.PrivateKey = badPrivateKey
	e.save(in)
	if got, _ := kc.Get(secrets.ManagePrivateKey); got != badPrivateKey {
		t.Errorf("keychain holds %q after replacing", got)
	}
	if out, _ = e.svc.Test(ctx); out.OK {
		t.Error("the replaced (wrong) key still passed")
	}
	if db := e.Dump(); strings.Contains(db, simPrivateKey) || strings.Contains(db, badPrivateKey) {
		t.Error("a private key reached the database")
	}
}
