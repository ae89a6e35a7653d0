package webrootconn_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webrootconn"
)

func wait(t *testing.T, svc *webrootconn.Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svc.Wait(ctx); err != nil {
		t.Fatalf("job did not finish: %v", err)
	}
}

func TestStartTestReturnsAtOnceAndReportsByEvents(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	e.sim.SetLatency(100 * time.Millisecond)
	started := time.Now()
	a := e.svc.StartTest()
	if took := time.Since(started); took > 250*time.Millisecond { // the test itself takes 400 ms or more
		t.Errorf("StartTest took %v: it must not wait for the network", took)
	}
	if !a.Running || a.Kind != webrootconn.JobTest || a.Phase != webrootconn.PhaseTesting || a.ID == 0 {
		t.Fatalf("started activity %+v", a)
	}
	// A second start while running returns the running job instead of starting another.
	if again := e.svc.StartRefresh(); again.ID != a.ID || again.Kind != webrootconn.JobTest {
		t.Errorf("second start %+v", again)
	}
	wait(t, e.svc)
	final := e.svc.Activity()
	if final.Running || final.FinishedAt == nil || final.Test == nil || !final.Test.OK || final.Refresh == nil || !final.Refresh.OK ||
		final.Refresh.SiteCount != len(e.sim.Sites()) || final.Error != "" {
		t.Fatalf("final activity %+v", final)
	}

	var phases []string
	for _, p := range e.Events.Named(webrootconn.EventActivity) {
		act := p.(webrootconn.Activity)
		if act.ID == a.ID {
			phases = append(phases, act.Phase)
		}
	}
	want := []string{"testing", "testing", "refreshing", "refreshing", ""}
	if len(phases) != len(want) {
		t.Fatalf("activity events %q, want %q", phases, want)
	}
	for i := range want {
		if phases[i] != want[i] {
			t.Fatalf("activity events %q, want %q", phases, want)
		}
	}
	if len(e.Events.Named(webrootconn.EventSites)) != 1 {
		t.Error("no sites event after the refresh")
	}
	statuses := e.Events.Named(webrootconn.EventStatus)
	if len(statuses) == 0 || statuses[len(statuses)-1].(webrootconn.Status).State != webrootconn.StateConnected {
		t.Errorf("status events %+v", statuses)
	}
}

func TestFailedTestDoesNotRefresh(t *testing.T) {
	e := newEnv(t, nil)
	in := e.good()
	in.Password = "wrong"
	e.save(in)
	e.svc.StartTest()
	wait(t, e.svc)
	a := e.svc.Activity()
	if a.Test == nil || a.Test.OK || a.Refresh != nil || a.Test.Field != "Admin Password" {
		t.Fatalf("activity %+v", a)
	}
	if list, _ := e.svc.Sites(context.Background()); list.RefreshedAt != nil {
		t.Error("sites refreshed after a failed test")
	}
}

func TestJobThatCannotRunSaysWhy(t *testing.T) {
	e := newEnv(t, nil)
	e.svc.StartTest()
	wait(t, e.svc)
	if a := e.svc.Activity(); a.Error == "" || a.Test != nil {
		t.Fatalf("test without a configuration: %+v", a)
	}
	e.save(e.good())
	_ = e.Secrets.Delete(secrets.WebrootClientSecret)
	e.svc.StartRefresh()
	wait(t, e.svc)
	if a := e.svc.Activity(); a.Refresh == nil || a.Refresh.OK || a.Refresh.Message == "" {
		t.Fatalf("refresh without the client secret: %+v", a)
	}
}

// The real OS keychain (Secret Service inside the test's D-Bus session): the secrets and
// every rotation of the refresh token go there, and a new service (a restart, or the command
// line) carries on with the saved token instead of signing in with the password again.
func TestWithTheRealKeychain(t *testing.T) {
	kc := secrets.NewKeychain(secrets.ServiceName(t.TempDir(), false))
	if err := kc.Check(); err != nil {
		if os.Getenv("CWM_WEBROOT_SKIP_KEYCHAIN") == "1" {
			t.Skipf("no keychain on this machine: %v", err)
		}
		t.Fatalf("keychain not reachable (run inside scripts/with-keyring.sh): %v", err)
	}
	t.Cleanup(func() { _ = kc.DeleteAll() })
	e := newEnv(t, kc)
	e.save(e.good())
	if got, err := kc.Get(secrets.WebrootClientSecret); err != nil || got != webrootsim.DefaultClientSecret {
		t.Fatalf("client secret in the keychain: %v", err)
	}
	out, err := e.svc.Test(context.Background())
	if err != nil || !out.OK {
		t.Fatalf("test: %+v %v", out, err)
	}
	first, err := kc.Get(secrets.WebrootRefreshToken)
	if err != nil || !e.sim.RefreshTokenValid(first) {
		t.Fatalf("refresh token after the test: valid=%v %v", e.sim.RefreshTokenValid(first), err)
	}

	restarted := webrootconn.New(e.Store, secrets.NewKeychain(kc.Service()), webrootconn.Options{})
	passwordGrants := e.sim.TokenRequests("password")
	if _, err := restarted.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e.sim.TokenRequests("password") != passwordGrants {
		t.Error("the restarted service signed in with the password instead of using the saved refresh token")
	}
	rotated, _ := kc.Get(secrets.WebrootRefreshToken)
	if rotated == first || !e.sim.RefreshTokenValid(rotated) {
		t.Errorf("the rotated refresh token was not saved (same=%v valid=%v)", rotated == first, e.sim.RefreshTokenValid(rotated))
	}
}

// A test still running when the user saves other settings must not report on the new ones.
func TestResultOfReplacedSettingsIsNotRecorded(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	e.sim.SetLatency(150 * time.Millisecond)
	e.svc.StartTest()
	time.Sleep(50 * time.Millisecond)
	in := e.good()
	in.ClientSecret, in.Password = "", ""
	in.Username = "someone-else@bluewave-it.example"
	e.save(in)
	wait(t, e.svc)
	if st := e.status(); st.State != webrootconn.StateUntested {
		t.Errorf("state %+v: the old settings' result was recorded for the new ones", st)
	}
	if a := e.svc.Activity(); a.Refresh != nil || !strings.Contains(a.Error, "saved again") {
		t.Errorf("activity %+v: want the test dropped with a message, and no refresh", a)
	}
	if has, _ := e.Secrets.Has(secrets.WebrootRefreshToken); has {
		t.Error("the old credentials' refresh token was saved after the new settings")
	}
	if list, _ := e.svc.Sites(context.Background()); list.RefreshedAt != nil {
		t.Error("the sites read with the old settings were cached")
	}
}
