package commands

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
)

const (
	cliManageCompany  = "bluewave"
	cliManagePublic   = "CliPubKey4Gh7Tr2"
	cliManagePrivate  = "CliPrivKey9Xw2Lq8Secret"
	cliManageClientID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
)

// manageCLI is one test's data folder (its own namespace in the real keychain) and a
// demo-seeded Manage simulator on loopback.
type manageCLI struct {
	t   *testing.T
	dir string
	sim *managesim.Server
	url string
}

func newManageCLI(t *testing.T) *manageCLI {
	t.Helper()
	sim := managesim.New(managesim.Options{CompanyID: cliManageCompany, CompanyName: "Bluewave IT Services",
		PublicKey: cliManagePublic, PrivateKey: cliManagePrivate, ClientID: cliManageClientID})
	sim.SeedDemo(time.Now())
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return &manageCLI{t: t, dir: keychainDataDir(t), sim: sim, url: url}
}

// keychainDataDir is a data folder for one test, with its own namespace in the real keychain
// (emptied when the test ends).
func keychainDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	kc := secrets.NewKeychain(secrets.ServiceName(dir, false))
	if err := kc.Check(); err != nil {
		if os.Getenv("CWM_WEBROOT_SKIP_KEYCHAIN") == "1" {
			t.Skipf("no keychain on this machine: %v", err)
		}
		t.Fatalf("keychain not reachable (run inside scripts/with-keyring.sh): %v", err)
	}
	t.Cleanup(func() { _ = kc.DeleteAll() })
	return dir
}

func (m *manageCLI) connectArgs(extra ...string) []string {
	return append([]string{"connect", "manage", "--site", m.url, "--company-id", cliManageCompany, "--username", "api-billing",
		"--public-key", cliManagePublic, "--client-id", cliManageClientID}, extra...)
}

func (m *manageCLI) open() *install.Installation {
	m.t.Helper()
	inst, err := install.OpenDir(context.Background(), m.dir, false)
	if err != nil {
		m.t.Fatal(err)
	}
	m.t.Cleanup(func() { inst.Close() })
	return inst
}

func TestConnectManageSavesTestsAndCaches(t *testing.T) {
	m := newManageCLI(t)
	start := time.Now()
	code, out, errOut := runCLI(t, m.dir, "", map[string]string{"CWM_PRIVATE_KEY": cliManagePrivate}, m.connectArgs()...)
	if code != cli.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Saved the ConnectWise settings", "ok   Sign in with the API keys",
		`Connected as api-billing to "Bluewave IT Services".`, "Cached ", " companies, "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, cliManagePrivate) {
		t.Error("the private key was printed")
	}
	t.Logf("connect manage took %v", time.Since(start))

	inst := m.open()
	svc := manageconn.New(inst.Store, inst.Secrets, manageconn.Options{})
	st, err := svc.Status(context.Background())
	if err != nil || st.State != manageconn.StateConnected || st.Cache.RefreshedAt == nil || st.Cache.Counts.Companies == 0 {
		t.Fatalf("status %+v %v", st, err)
	}
	if got, _ := inst.Secrets.Get(secrets.ManagePrivateKey); got != cliManagePrivate {
		t.Errorf("keychain holds %q", got)
	}
	entries, _ := inst.Store.AuditLog(context.Background(), 10)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Actor, "command line") {
		t.Errorf("audit %+v", entries)
	}

	// Neither the variable nor standard input: the saved key is kept, and said so.
	code, out, errOut = runCLI(t, m.dir, "", nil, m.connectArgs()...)
	if code != cli.ExitOK || !strings.Contains(errOut, "keeping the Private Key saved in the keychain") ||
		!strings.Contains(out, "already saved as given") {
		t.Errorf("keeping the key: exit %d\n%s\n%s", code, out, errOut)
	}

	// --json, the key from the first line of standard input this time.
	code, out, errOut = runCLI(t, m.dir, cliManagePrivate+"\nignored\n", nil, m.connectArgs("--json")...)
	var res struct {
		OK      bool                       `json:"ok"`
		Saved   bool                       `json:"saved"`
		Changed []string                   `json:"changed"`
		Test    *manageconn.TestOutcome    `json:"test"`
		Refresh *manageconn.RefreshOutcome `json:"refresh"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output %v:\n%s\n%s", err, out, errOut)
	}
	// The same key again is still a "replacement" of the keychain entry.
	if code != cli.ExitOK || !res.OK || !res.Saved || res.Test == nil || !res.Test.OK || res.Refresh == nil || !res.Refresh.OK ||
		len(res.Changed) != 1 || res.Changed[0] != manageconn.FieldPrivateKey {
		t.Errorf("json: exit %d %+v", code, res)
	}
}

func TestConnectManageWithBadKeysExits3AndKeepsTheSettings(t *testing.T) {
	m := newManageCLI(t)
	code, out, errOut := runCLI(t, m.dir, "NotTheRightKey123\n", nil, m.connectArgs()...)
	if code != cli.ExitConnection {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "the settings are saved, but the ConnectWise connection test failed") ||
		!strings.Contains(errOut, "rejected the API keys") || !strings.Contains(out, "FAIL Sign in with the API keys") {
		t.Errorf("output:\n%s\n%s", out, errOut)
	}
	if strings.Contains(out+errOut, "NotTheRightKey123") {
		t.Error("the private key was printed")
	}
	inst := m.open()
	if v, _, _ := inst.Store.Setting(context.Background(), manageconn.KeyPublicKey); v != cliManagePublic {
		t.Errorf("settings not kept after a failed test: public key %q", v)
	}
	svc := manageconn.New(inst.Store, inst.Secrets, manageconn.Options{})
	if st, _ := svc.Status(context.Background()); st.State != manageconn.StateFailing || st.Cache.RefreshedAt != nil {
		t.Errorf("status %+v", st)
	}

	// Unknown company and an unreachable site are exit 3 too, each with its reason.
	code, _, errOut = runCLI(t, m.dir, "", map[string]string{"CWM_PRIVATE_KEY": cliManagePrivate},
		"connect", "manage", "--site", m.url, "--company-id", "nosuchco", "--username", "api-billing", "--public-key", cliManagePublic)
	if code != cli.ExitConnection || !strings.Contains(errOut, "does not know this company ID") {
		t.Errorf("unknown company: %d %s", code, errOut)
	}
	m.sim.Close()
	code, _, errOut = runCLI(t, m.dir, "", map[string]string{"CWM_PRIVATE_KEY": cliManagePrivate}, m.connectArgs()...)
	if code != cli.ExitConnection || !strings.Contains(errOut, "Could not reach") {
		t.Errorf("unreachable: %d %s", code, errOut)
	}
}

func TestConnectManageRefusesBadInputWithExit2(t *testing.T) {
	m := newManageCLI(t)
	key := map[string]string{"CWM_PRIVATE_KEY": cliManagePrivate}
	code, _, errOut := runCLI(t, m.dir, "", key, "connect", "manage", "--site", "http://cw.example.com",
		"--company-id", "blue wave", "--public-key", cliManagePublic, "--client-id", "nope")
	if code != cli.ExitUsage {
		t.Fatalf("exit %d, want 2: %s", code, errOut)
	}
	for _, label := range []string{"Site:", "Company ID:", "Username:", "Client ID:"} {
		if !strings.Contains(errOut, "cwm-webroot: "+label) {
			t.Errorf("stderr does not name %s:\n%s", label, errOut)
		}
	}
	inst := m.open()
	if _, ok, _ := inst.Store.Setting(context.Background(), manageconn.KeySite); ok {
		t.Error("a refused connect saved settings")
	}
	if has, _ := inst.Secrets.Has(secrets.ManagePrivateKey); has {
		t.Error("a refused connect saved the private key")
	}

	// No private key anywhere.
	code, _, errOut = runCLI(t, m.dir, "", nil, m.connectArgs()...)
	if code != cli.ExitUsage || !strings.Contains(errOut, "CWM_PRIVATE_KEY") {
		t.Errorf("missing key: %d %s", code, errOut)
	}
	// A key on the command line is refused, pointing at the right way.
	code, _, errOut = runCLI(t, m.dir, "", key, m.connectArgs(cliManagePrivate)...)
	if code != cli.ExitUsage || !strings.Contains(errOut, "never from the command line") {
		t.Errorf("positional key: %d %s", code, errOut)
	}
	// Unknown flag, missing or unknown connection.
	if code, _, _ = runCLI(t, m.dir, "", key, m.connectArgs("--private-key", "x")...); code != cli.ExitUsage {
		t.Errorf("unknown flag: exit %d", code)
	}
	code, _, errOut = runCLI(t, m.dir, "", key, "connect")
	if code != cli.ExitUsage || !strings.Contains(errOut, "cwm-webroot connect manage --site S") {
		t.Errorf("connect alone: %d %s", code, errOut)
	}
	if code, _, errOut = runCLI(t, m.dir, "", key, "connect", "autotask"); code != cli.ExitUsage || !strings.Contains(errOut, `unknown connection "autotask"`) {
		t.Errorf("connect autotask: %d %s", code, errOut)
	}
}

func TestTestConnectionsPutsConnectWiseFirst(t *testing.T) {
	m := newManageCLI(t)
	decode := func(out string) []ConnectionCheck {
		t.Helper()
		var res struct {
			OK          bool              `json:"ok"`
			Connections []ConnectionCheck `json:"connections"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if len(res.Connections) == 0 || res.Connections[0].Connection != "manage" {
			t.Fatalf("ConnectWise is not first: %+v", res.Connections)
		}
		return res.Connections
	}

	// Nothing configured: exit 3, ConnectWise says how to configure it.
	code, out, _ := runCLI(t, m.dir, "", nil, "test-connections", "--json")
	checks := decode(out)
	if code != cli.ExitConnection || checks[0].OK || checks[0].Configured || !strings.Contains(checks[0].Summary, "connect manage") {
		t.Errorf("unconfigured: %d %+v", code, checks[0])
	}

	// Both configured and working: exit 0, ConnectWise first with every step.
	if code, out, errOut := runCLI(t, m.dir, "", map[string]string{"CWM_PRIVATE_KEY": cliManagePrivate}, m.connectArgs()...); code != cli.ExitOK {
		t.Fatalf("connect manage: %d %s %s", code, out, errOut)
	}
	wr := webrootsim.New(webrootsim.Options{})
	wr.SeedDemo()
	wurl, err := wr.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wr.Close() })
	if code, out, errOut := runCLI(t, m.dir, "", map[string]string{"WEBROOT_CLIENT_SECRET": webrootsim.DefaultClientSecret,
		"WEBROOT_PASSWORD": webrootsim.DefaultPassword}, "connect", "webroot", "--client-id", webrootsim.DefaultClientID,
		"--gsm-key", webrootsim.DefaultGSMKey, "--username", webrootsim.DefaultUsername, "--site", wurl); code != cli.ExitOK {
		t.Fatalf("connect webroot: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, m.dir, "", nil, "test-connections", "--json")
	checks = decode(out)
	if code != cli.ExitOK || len(checks) != 2 || !checks[0].OK || !checks[1].OK || checks[1].Connection != "webroot" || len(checks[0].Steps) != 5 {
		t.Errorf("both working: exit %d %+v", code, checks)
	}
	code, out, _ = runCLI(t, m.dir, "", nil, "test-connections")
	lines := strings.Split(out, "\n")
	if code != cli.ExitOK || !strings.HasPrefix(lines[0], `OK   manage   Connected as api-billing to "Bluewave IT Services"`) ||
		!strings.Contains(out, "- Read agreements: ok") {
		t.Errorf("text output:\n%s", out)
	}

	// ConnectWise failing: exit 3, its reason in words, Webroot still tested.
	m.sim.Deny(managesim.ModuleAgreements, managesim.LevelInquire)
	code, out, _ = runCLI(t, m.dir, "", nil, "test-connections")
	if code != cli.ExitConnection || !strings.HasPrefix(out, "FAIL manage") || !strings.Contains(out, "Agreements") ||
		!strings.Contains(out, "OK   webroot") {
		t.Errorf("manage failing: %d\n%s", code, out)
	}
}
