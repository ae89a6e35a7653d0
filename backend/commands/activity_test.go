package commands

import (
	"encoding/json"
	"strings"
	"testing"

	"cwm-webroot/backend/cli"
)

func TestActivityCommand(t *testing.T) {
	s := newSyncCLI(t)
	// A sync settings change from the command line's point of view is made in the app;
	// here the set-up's accepted suggestions and connection saves are the activity.
	code, out, errOut := s.run("activity")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"WHEN", "WHO", "Suggestions accepted", "Webroot settings saved", "ConnectWise settings saved"} {
		if !strings.Contains(out, want) {
			t.Errorf("activity lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = s.run("activity", "--json", "--search", "webroot", "--limit", "5")
	var entries []struct {
		Actor, Action, Label, Area string
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil || code != cli.ExitOK || len(entries) == 0 {
		t.Fatalf("json: %v %d %s", err, code, out)
	}
	for _, e := range entries {
		if !strings.Contains(strings.ToLower(e.Action+e.Label+e.Actor), "webroot") || e.Area == "" {
			t.Errorf("search webroot returned %+v", e)
		}
	}
	code, out, _ = s.run("activity", "--csv")
	if code != cli.ExitOK || !strings.HasPrefix(out, "at,actor,action,label,detail\n") || strings.Count(out, "\n") < 3 {
		t.Fatalf("csv %d:\n%s", code, out)
	}
	if code, _, errOut := s.run("activity", "--csv", "--json"); code != cli.ExitUsage || !strings.Contains(errOut, "not both") {
		t.Fatalf("both formats: %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, t.TempDir(), "", nil, "activity"); code != cli.ExitOK {
		t.Fatalf("empty installation: %d", code)
	}
}
