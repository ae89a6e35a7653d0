package commands

import (
	"archive/zip"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"cwm-webroot/backend/applog"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/health"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/webrootsim"
)

// readZip returns every file of a zip by name.
func readZip(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	return files
}

// After a sync, the report has every part with real content, and none of the five kinds of
// secret the app keeps in the keychain, in any file.
func TestDiagnosticsReportHasTheFactsAndNoSecret(t *testing.T) {
	s := newSyncCLI(t)
	if code, _, errOut := s.run("sync"); code != cli.ExitOK {
		t.Fatalf("sync: exit %d %s", code, errOut)
	}
	kc := secrets.NewKeychain(secrets.ServiceName(s.dir, false))
	const smtpPassword = "smtp-pass-Zq81-never-in-a-report"
	if err := kc.Set(secrets.SMTPPassword, smtpPassword); err != nil {
		t.Fatal(err)
	}
	var secretValues []string
	for _, name := range []string{secrets.ManagePrivateKey, secrets.WebrootClientSecret, secrets.WebrootPassword, secrets.WebrootRefreshToken, secrets.SMTPPassword} {
		v, err := kc.Get(name)
		if err != nil || len(v) < 6 {
			t.Fatalf("keychain %s: %q %v", name, v, err)
		}
		secretValues = append(secretValues, v)
	}
	// The identifying keys are shortened wherever they appear (settings, activity log).
	secretValues = append(secretValues, webrootsim.DefaultGSMKey, s.sims.Manage.Options().PublicKey)
	// The desktop app's log, with a line that names a secret by mistake.
	l, err := applog.Open(s.dir, slog.LevelInfo, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Logger.Info("scheduled sync finished", "run", 1, "status", "succeeded")
	l.Logger.Warn("a careless line", "client_secret", secretValues[1])
	l.Close()

	out := filepath.Join(t.TempDir(), "report.zip")
	code, stdout, errOut := s.run("diagnostics", "--out", out)
	if code != cli.ExitOK || !strings.Contains(stdout, "Wrote the diagnostics report to "+out) {
		t.Fatalf("exit %d: %s %s", code, stdout, errOut)
	}
	files := readZip(t, out)
	for _, name := range []string{"README.txt", "about.json", "status.json", "connections.json", "settings.txt", "syncs.json", "activity.csv", "mappings.csv", "crash.log", "log.txt"} {
		text, ok := files[name]
		if !ok {
			t.Fatalf("the report lacks %s (has %d files)", name, len(files))
		}
		if strings.Contains(text, "could not be read") {
			t.Errorf("%s: %s", name, text)
		}
		for _, secret := range secretValues {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds a secret (%.4s…)", name, secret)
			}
		}
	}

	var st health.Status
	if err := json.Unmarshal([]byte(files["status.json"]), &st); err != nil || st.Manage.State != "connected" || st.LastSync == nil || st.LastSync.RunID != 1 {
		t.Fatalf("status.json: %v %s", err, files["status.json"])
	}
	var runs []struct {
		ID      int64 `json:"id"`
		Status  string
		Changes []struct {
			State string `json:"state"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(files["syncs.json"]), &runs); err != nil || len(runs) != 1 || runs[0].ID != 1 || len(runs[0].Changes) == 0 {
		t.Fatalf("syncs.json: %v %.400s", err, files["syncs.json"])
	}
	for _, c := range runs[0].Changes {
		if c.State == "unchanged" {
			t.Fatal("unchanged additions belong in the history, not the report")
		}
	}
	if !strings.HasPrefix(files["mappings.csv"], "site_id,site_name,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\n") ||
		strings.Count(files["mappings.csv"], "\n") < 10 {
		t.Fatalf("mappings.csv: %.300s", files["mappings.csv"])
	}
	if !strings.Contains(files["log.txt"], `msg="scheduled sync finished" run=1`) || !strings.Contains(files["log.txt"], "client_secret=[redacted]") {
		t.Fatalf("log.txt: %s", files["log.txt"])
	}
	if !strings.Contains(files["connections.json"], `"privateKeySaved": true`) || !strings.Contains(files["connections.json"], `"gsmKey": "…`) {
		t.Fatalf("connections.json: %s", files["connections.json"])
	}
	// The suggestions accepted while setting up are in the activity log.
	if !strings.HasPrefix(files["activity.csv"], "at,actor,action,label,detail\n") || !strings.Contains(files["activity.csv"], ",test,mapping.suggestions_accepted,Suggestions accepted,") {
		t.Fatalf("activity.csv: %s", files["activity.csv"])
	}
	if files["crash.log"] != "The app has not crashed.\n" {
		t.Fatalf("crash.log: %q", files["crash.log"])
	}
	if !strings.Contains(files["settings.txt"], "sync.requests_per_minute = 60000") {
		t.Fatalf("settings.txt: %s", files["settings.txt"])
	}
}

func TestDiagnosticsNeedsOut(t *testing.T) {
	code, _, errOut := runCLI(t, t.TempDir(), "", nil, "diagnostics")
	if code != cli.ExitUsage || !strings.Contains(errOut, "--out is required") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
