package manageconn_test

import (
	"context"
	"testing"
	"time"

	"cwm-webroot/backend/connstate/connstatetest"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/managesim"
)

// Distinctive credentials, so a leak anywhere is easy to find.
const (
	simCompany    = "bluewave"
	simPublicKey  = "PubKey7Hq2Lm9Xc4"
	simPrivateKey = "fake-sim-private-key-8kW3"
	badPrivateKey = "fake-wrong-private-key-6Yd2"
	simClientID   = "5b1e2c3d-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
	simUsername   = "api-billing"
)

// env is the service under test over a real database (connstatetest.Env: Store, Secrets,
// Events, Logs, Dump, Setting, Count, Audit) and a Manage simulator.
type env struct {
	*connstatetest.Env
	t    *testing.T
	sim  *managesim.Server
	demo managesim.Demo
	url  string
	svc  *manageconn.Service
	now  time.Time
}

// newEnv starts a demo-seeded Manage simulator on loopback, a real SQLite database in a
// temporary folder and the service over sec (an in-memory keychain when nil).
func newEnv(t *testing.T, sec secrets.Store) *env {
	t.Helper()
	sim := managesim.New(managesim.Options{CompanyID: simCompany, CompanyName: "Bluewave IT Services",
		PublicKey: simPublicKey, PrivateKey: simPrivateKey, ClientID: simClientID})
	now := time.Now().UTC()
	demo := sim.SeedDemo(now)
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	e := &env{Env: connstatetest.New(t, sec), t: t, sim: sim, demo: demo, url: url, now: now}
	e.svc = manageconn.New(e.Store, e.Secrets, manageconn.Options{
		Emitter: e.Events,
		Logger:  e.Logger,
		ClientConfig: func(c *manage.Config) {
			c.RetryBaseDelay, c.RetryMaxDelay = time.Millisecond, 5*time.Millisecond
			c.RelookupInterval = time.Millisecond
		},
	})
	return e
}

// good is the form filled in with the simulator's credentials.
func (e *env) good() manageconn.ConfigInput {
	return manageconn.ConfigInput{Site: e.url, CompanyID: simCompany, Username: simUsername, PublicKey: simPublicKey,
		PrivateKey: simPrivateKey, ClientID: simClientID}
}

func (e *env) save(in manageconn.ConfigInput) manageconn.SaveResult {
	e.t.Helper()
	res, err := e.svc.Save(context.Background(), "tester@bluewave.example", in)
	if err != nil {
		e.t.Fatalf("Save: %v", err)
	}
	return res
}
