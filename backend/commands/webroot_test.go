package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

// webrootCLI is one test's data folder (with its own namespace in the real keychain) and a
// demo-seeded Webroot simulator on loopback.
type webrootCLI struct {
	t   *testing.T
	dir string
	sim *webrootsim.Server
	url string
}

func newWebrootCLI(t *testing.T) *webrootCLI {
	t.Helper()
	sim := webrootsim.New(webrootsim.Options{})
	sim.SeedDemo()
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return &webrootCLI{t: t, dir: keychainDataDir(t), sim: sim, url: url}
}

// run runs a command line against the test's data folder with only the given environment.
func (w *webrootCLI) run(env map[string]string, args ...string) (int, string, string) {
	w.t.Helper()
	inv, err := cli.Parse(append(args, "--data-dir", w.dir), false)
	if err != nil {
		w.t.Fatalf("parse %v: %v", args, err)
	}
	var out, errb bytes.Buffer
	code := cli.Main(inv, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

func (w *webrootCLI) connectArgs() []string {
	return []string{"connect", "webroot", "--client-id", webrootsim.DefaultClientID, "--gsm-key", webrootsim.DefaultGSMKey,
		"--username", webrootsim.DefaultUsername, "--site", w.url}
}

var goodWebrootSecrets = map[string]string{
	"WEBROOT_CLIENT_SECRET": webrootsim.DefaultClientSecret,
	"WEBROOT_PASSWORD":      webrootsim.DefaultPassword,
}

func (w *webrootCLI) setting(key string) string {
	w.t.Helper()
	inst, err := install.OpenDir(context.Background(), w.dir, false)
	if err != nil {
		w.t.Fatal(err)
	}
	defer inst.Close()
	v, _, err := inst.Store.Setting(context.Background(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func TestConnectWebrootSavesAndTests(t *testing.T) {
	w := newWebrootCLI(t)
	code, out, errOut := w.run(goodWebrootSecrets, w.connectArgs()...)
	if code != cli.ExitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if !strings.Contains(out, "Connected as "+webrootsim.DefaultUsername) || !strings.Contains(out, webrootsim.DemoConsoleName) ||
		!strings.Contains(out, "43 sites") || !strings.Contains(out, "Sign in") {
		t.Errorf("output %q", out)
	}
	if w.setting("webroot.client_id") != webrootsim.DefaultClientID || w.setting("webroot.site") != w.url {
		t.Error("settings not saved")
	}

	// Run again without the secrets in the environment: the saved ones are kept, and said so.
	code, _, errOut = w.run(nil, w.connectArgs()...)
	if code != cli.ExitOK || !strings.Contains(errOut, "keeping the Client Secret saved in the keychain") {
		t.Fatalf("reconnect with saved secrets: exit %d, stderr %q", code, errOut)
	}
}

func TestConnectWebrootRefusesBadInputWithExit2(t *testing.T) {
	w := newWebrootCLI(t)
	code, out, errOut := w.run(nil, "connect", "webroot", "--gsm-key", "12345", "--site", "http://webroot.example.com")
	if code != cli.ExitUsage {
		t.Fatalf("exit %d, want 2; stderr %q", code, errOut)
	}
	for _, want := range []string{"were not saved", "Client ID (--client-id)", "Client Secret (WEBROOT_CLIENT_SECRET)",
		"GSM Parent Key (--gsm-key)", "Super Admin (--username)", "Admin Password (WEBROOT_PASSWORD)", "Site (--site)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if out != "" || w.setting("webroot.client_id") != "" {
		t.Errorf("something was saved or printed: %q", out)
	}
	if code, _, _ := w.run(nil, "connect", "webroot", "extra-arg"); code != cli.ExitUsage {
		t.Errorf("stray argument: exit %d", code)
	}
	if code, _, _ := w.run(nil, "connect", "webroot", "--no-such-flag"); code != cli.ExitUsage {
		t.Errorf("unknown flag: exit %d", code)
	}
}

func TestConnectWebrootWithAWrongSecretExits3AndKeepsTheSettings(t *testing.T) {
	w := newWebrootCLI(t)
	env := map[string]string{"WEBROOT_CLIENT_SECRET": "Wr0ng-Secret-x", "WEBROOT_PASSWORD": webrootsim.DefaultPassword}
	code, out, errOut := w.run(env, w.connectArgs()...)
	if code != cli.ExitConnection {
		t.Fatalf("exit %d, want 3\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "settings are saved") || !strings.Contains(errOut, "Client Secret") || !strings.Contains(out, "FAIL Sign in") {
		t.Errorf("stdout %q\nstderr %q", out, errOut)
	}
	if strings.Contains(out+errOut, "Wr0ng-Secret-x") {
		t.Error("the secret typed is echoed")
	}
	if w.setting("webroot.client_id") != webrootsim.DefaultClientID {
		t.Error("the settings were not kept after the failed test")
	}
	// test-connections agrees and exits 3 too.
	code, out, _ = w.run(nil, "test-connections", "--json")
	var res struct {
		OK          bool              `json:"ok"`
		Connections []ConnectionCheck `json:"connections"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("test-connections --json: %v\n%s", err, out)
	}
	wr := res.Connections[len(res.Connections)-1]
	if code != cli.ExitConnection || res.OK || wr.Connection != "webroot" || wr.OK || !wr.Configured || !strings.Contains(wr.Summary, "Client Secret") {
		t.Errorf("test-connections: exit %d %+v", code, res)
	}
}

func TestTestConnectionsIncludesWebrootLast(t *testing.T) {
	w := newWebrootCLI(t)
	code, out, _ := w.run(nil, "test-connections", "--json")
	var res struct {
		OK          bool              `json:"ok"`
		Connections []ConnectionCheck `json:"connections"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	last := res.Connections[len(res.Connections)-1]
	if code != cli.ExitConnection || last.Connection != "webroot" || last.Configured || !strings.Contains(last.Summary, "connect webroot") {
		t.Fatalf("unconfigured: exit %d %+v", code, res)
	}
	for i, c := range res.Connections {
		if c.Connection == "manage" && i != 0 {
			t.Errorf("ConnectWise is not tested first: %+v", res.Connections)
		}
	}

	if code, _, errOut := w.run(goodWebrootSecrets, w.connectArgs()...); code != cli.ExitOK {
		t.Fatalf("connect: %d %s", code, errOut)
	}
	code, out, _ = w.run(nil, "test-connections")
	if !strings.Contains(out, "OK   webroot  Connected as "+webrootsim.DefaultUsername) || !strings.Contains(out, "- Usage reports: ok") {
		t.Errorf("test-connections output:\n%s", out)
	}
	onlyWebroot := true
	for _, c := range res.Connections {
		onlyWebroot = onlyWebroot && c.Connection == "webroot"
	}
	if onlyWebroot && code != cli.ExitOK {
		t.Errorf("exit %d with only a working Webroot connection", code)
	}
}

func TestSitesListsEveryBasis(t *testing.T) {
	w := newWebrootCLI(t)
	if code, _, _ := w.run(nil, "sites"); code != cli.ExitUsage {
		t.Fatalf("sites before connecting: exit %d, want 2", code)
	}
	if code, _, errOut := w.run(nil, "sites", "--cached"); code != cli.ExitUsage || !strings.Contains(errOut, "no GSM sites are cached") {
		t.Fatalf("sites --cached before any refresh: exit %d %q", code, errOut)
	}
	if code, _, errOut := w.run(goodWebrootSecrets, w.connectArgs()...); code != cli.ExitOK {
		t.Fatalf("connect: %d %s", code, errOut)
	}
	code, out, errOut := w.run(nil, "sites", "--json")
	if code != cli.ExitOK {
		t.Fatalf("sites --json: exit %d %s", code, errOut)
	}
	var res sitesJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.RefreshedAt == nil || len(res.Sites) != len(w.sim.Sites()) || len(res.Bases) != 8 || res.TotalSeatsAllowed != 2500 {
		t.Fatalf("json: refreshed %v, %d sites, %d bases", res.RefreshedAt, len(res.Sites), len(res.Bases))
	}
	for _, s := range res.Sites {
		if s.ID == "" || s.Name == "" || s.FirstSeenAt.IsZero() {
			t.Errorf("site %+v", s)
		}
		want := map[string]int{
			string(webroot.BasisActiveWithoutHidden): w.sim.ReportCount(s.ID, webrootsim.ReportActiveEndpointsWithoutHidden),
			string(webroot.BasisActive):              w.sim.ReportCount(s.ID, webrootsim.ReportActiveEndpoints),
			string(webroot.BasisSeen30d):             w.sim.ReportCount(s.ID, webrootsim.ReportEndpointsSeenInLast30Days),
		}
		if !s.Deactivated {
			want[string(webroot.BasisNotDeactivated)] = w.sim.NotDeactivatedCount(s.ID)
		}
		for b, n := range want {
			if got, ok := s.Counts[b]; !ok || got != n {
				t.Errorf("%s %s = %d (%v), want %d", s.Name, b, got, ok, n)
			}
		}
	}

	code, out, _ = w.run(nil, "sites")
	if code != cli.ExitOK {
		t.Fatalf("sites: exit %d", code)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "SITE") || !strings.Contains(lines[0], "EP ACTIVE") || !strings.Contains(lines[0], "WSAT 30D") {
		t.Errorf("header %q", lines[0])
	}
	for _, want := range []string{w.sim.Sites()[0].Name, "43 sites, refreshed", "Columns:", "Active devices (without hidden)", "the default", "suspended", "over seat limit"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	// The console password changed elsewhere: the refresh fails with exit 3 and says why; the
	// cache still answers --cached.
	w.sim.SetPassword("Changed-Elsewhere-1!")
	code, _, errOut = w.run(nil, "sites")
	if code != cli.ExitConnection || !strings.Contains(errOut, "Admin Password") {
		t.Errorf("sites after a password change: exit %d %q", code, errOut)
	}
	if code, out, _ := w.run(nil, "sites", "--cached", "--json"); code != cli.ExitOK || !strings.Contains(out, `"sites"`) {
		t.Errorf("sites --cached: exit %d", code)
	}
}
