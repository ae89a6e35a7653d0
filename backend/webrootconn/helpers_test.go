package webrootconn_test

import (
	"context"
	"testing"
	"time"

	"cwm-webroot/backend/connstate/connstatetest"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// env is the service under test over a real database (connstatetest.Env: Store, Secrets,
// Events, Logs, Dump, Setting, Count) and a Webroot simulator.
type env struct {
	*connstatetest.Env
	t   *testing.T
	sim *webrootsim.Server
	url string
	svc *webrootconn.Service
}

// newEnv starts a demo-seeded simulator on loopback, a real SQLite database in a temporary
// folder and the service over sec (an in-memory keychain when nil).
func newEnv(t *testing.T, sec secrets.Store) *env {
	t.Helper()
	sim := webrootsim.New(webrootsim.Options{})
	sim.SeedDemo()
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	e := &env{Env: connstatetest.New(t, sec), t: t, sim: sim, url: url}
	e.svc = webrootconn.New(e.Store, e.Secrets, webrootconn.Options{
		Emitter: e.Events,
		Logger:  e.Logger,
		ClientConfig: func(c *webroot.Config) {
			c.BackoffBase, c.BackoffMax = time.Millisecond, 5*time.Millisecond
		},
	})
	return e
}

// good is the form filled in with the simulator's credentials.
func (e *env) good() webrootconn.ConfigInput {
	return webrootconn.ConfigInput{
		Site: e.url, Scope: "*", ClientID: webrootsim.DefaultClientID, ClientSecret: webrootsim.DefaultClientSecret,
		GSMKey: webrootsim.DefaultGSMKey, Username: webrootsim.DefaultUsername, Password: webrootsim.DefaultPassword,
	}
}

func (e *env) save(in webrootconn.ConfigInput) webrootconn.SaveResult {
	e.t.Helper()
	res, err := e.svc.Save(context.Background(), "tester", in)
	if err != nil {
		e.t.Fatalf("Save: %v", err)
	}
	return res
}

func (e *env) status() webrootconn.Status {
	e.t.Helper()
	st, err := e.svc.Status(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}
