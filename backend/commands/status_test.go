package commands

import (
	"encoding/json"
	"strings"
	"testing"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/health"
	"cwm-webroot/backend/simulator/managesim"
)

func TestStatusOfAFreshInstallation(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, dir, "", nil, "status")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"ConnectWise Manage  Not configured",
		"Webroot             Not configured",
		"Last sync           none yet",
		"Next sync           ",
		"(Daily at 06:00 (UTC))",
		"Needs attention:\n  ! ConnectWise Manage is not connected",
		"  ! Webroot is not connected",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}

func TestStatusAfterASyncForMonitors(t *testing.T) {
	s := newSyncCLI(t)
	if code, _, errOut := s.run("sync"); code != cli.ExitOK {
		t.Fatalf("sync: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, s.dir, "", nil, "sync", "--dry-run"); code != cli.ExitOK {
		t.Fatalf("dry run: exit %d %s", code, errOut)
	}
	code, out, errOut := s.run("status", "--json")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var st health.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if st.Manage.State != "connected" || st.Webroot.State != "connected" {
		t.Fatalf("connections %+v %+v", st.Manage, st.Webroot)
	}
	// The dry run after the sync is not "the last sync".
	if st.LastSync == nil || st.LastSync.RunID != 1 || st.LastSync.Trigger != "cli" || st.LastSync.Applied == 0 {
		t.Fatalf("last sync %+v", st.LastSync)
	}
	if !st.Schedule.Enabled || st.Schedule.NextRun == nil || st.Schedule.Description != "Daily at 06:00 (UTC)" {
		t.Fatalf("schedule %+v", st.Schedule)
	}
	for _, it := range st.Attention {
		if it.Kind == "manage" || it.Kind == "webroot" {
			t.Fatalf("a working connection listed as needing attention: %+v", it)
		}
	}

	// Manage starts refusing the keys: after a connection test records it, status exits 3.
	s.sims.Manage.Inject(managesim.Fault{Status: 401, Times: -1})
	if code, _, _ := s.run("test-connections"); code != cli.ExitConnection {
		t.Fatalf("test-connections with rejected keys: exit %d", code)
	}
	code, out, _ = s.run("status")
	if code != cli.ExitConnection || !strings.Contains(out, "! ConnectWise Manage is failing") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
