package commands

import (
	"context"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/simulator/webrootsim"
)

// devicesCLI is a connected data folder and a site "Lakeside Dental" with four endpoints,
// one deactivated and one whose host name looks like a formula.
func devicesCLI(t *testing.T) (*webrootCLI, webrootsim.Site) {
	t.Helper()
	w := newWebrootCLI(t)
	if code, out, errOut := w.run(goodWebrootSecrets, w.connectArgs()...); code != cli.ExitOK {
		t.Fatalf("connect: exit %d\n%s\n%s", code, out, errOut)
	}
	site := w.sim.AddSite(webrootsim.Site{Name: "Lakeside Dental"})
	now := time.Now().UTC()
	ep := func(host string, lastDays int, deact bool) webrootsim.Endpoint {
		last := now.AddDate(0, 0, -lastDays)
		return webrootsim.Endpoint{ID: "e-" + host, HostName: host, MachineID: "m-" + host, AgentVersion: "9.0.39.82",
			FirstSeen: now.AddDate(-1, 0, 0), LastSeen: last, Deactivated: deact, DeactivatedAt: last.Add(time.Hour)}
	}
	if err := w.sim.AddEndpoints(site.ID, ep("reception", 0, false), ep("=cmd|' /C calc'!A0", 1, false),
		ep("xray-old", 60, true), ep("Hygiene-2", 40, false)); err != nil {
		t.Fatal(err)
	}
	return w, site
}

func TestDevicesPrintsTheCSVOnStandardOutput(t *testing.T) {
	w, _ := devicesCLI(t)
	code, out, errOut := w.run(nil, "devices", "LAKESIDE dental")
	if code != cli.ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("stdout is not CSV: %v\n%s", err, out)
	}
	if got := strings.Join(recs[0], ","); got != "Site,Host name,Machine ID,Status,First seen,Last seen,Agent version,Note" {
		t.Errorf("header %s", got)
	}
	var rows []string
	for _, r := range recs[1:] {
		rows = append(rows, r[0]+"/"+r[1]+"/"+r[3])
	}
	want := "Lakeside Dental/'=cmd|' /C calc'!A0/Active|Lakeside Dental/Hygiene-2/Active|Lakeside Dental/reception/Active|Lakeside Dental/xray-old/Deactivated"
	if strings.Join(rows, "|") != want {
		t.Errorf("rows\n %s\nwant\n %s", strings.Join(rows, "|"), want)
	}
}

func TestDevicesWritesTheFileWithTheBilledColumn(t *testing.T) {
	w, site := devicesCLI(t)
	inst, err := install.OpenDir(context.Background(), w.dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Store.DB.Exec(`INSERT INTO mappings(site_id, product, count_basis, company_id, agreement_id, addition_id, created_at, updated_at)
		VALUES(?, 'endpoint', 'seen_30d', 1, 2, 3, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`, site.ID); err != nil {
		t.Fatal(err)
	}
	inst.Close()

	path := filepath.Join(t.TempDir(), "lakeside.csv")
	// The site after the flag works as well as before it.
	code, out, errOut := w.run(nil, "devices", "--csv", path, site.ID)
	if code != cli.ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if out != "Exported 4 devices of Lakeside Dental to "+path+" (2 counted as billed: devices seen in the last 30 days).\n"+
		"Worth a look (see the Note column): 1 active device not seen for 30 days.\n" {
		t.Errorf("stdout %q", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil || len(recs) != 5 {
		t.Fatalf("file: %v\n%s", err, b)
	}
	if recs[0][7] != "Counted as billed (seen in the last 30 days)" {
		t.Errorf("header %q", recs[0])
	}
	billed := map[string]string{}
	for _, r := range recs[1:] {
		billed[r[1]] = r[7]
	}
	if billed["reception"] != "yes" || billed["Hygiene-2"] != "no" || billed["xray-old"] != "no" {
		t.Errorf("billed %v", billed)
	}
}

func TestDevicesNamesTheCandidatesForAnUnknownOrAmbiguousSite(t *testing.T) {
	w, _ := devicesCLI(t)
	a := w.sim.AddSite(webrootsim.Site{Name: "Northwind"})
	b := w.sim.AddSite(webrootsim.Site{Name: "NORTHWIND"})

	code, out, errOut := w.run(nil, "devices", "northwind")
	if code != cli.ExitUsage || out != "" || !strings.Contains(errOut, "names 2 GSM sites") ||
		!strings.Contains(errOut, a.ID) || !strings.Contains(errOut, b.ID) {
		t.Errorf("ambiguous: exit %d\nstdout %q\nstderr %s", code, out, errOut)
	}
	code, _, errOut = w.run(nil, "devices", "lakeside")
	if code != cli.ExitUsage || !strings.Contains(errOut, "no GSM site has the id or name \"lakeside\"") || !strings.Contains(errOut, "Lakeside Dental") {
		t.Errorf("partial: exit %d\n%s", code, errOut)
	}
	code, _, errOut = w.run(nil, "devices", "Nobody Here Ltd")
	if code != cli.ExitUsage || !strings.Contains(errOut, "cwm-webroot sites") {
		t.Errorf("unknown: exit %d\n%s", code, errOut)
	}
	for _, args := range [][]string{{"devices"}, {"devices", "a", "b"}, {"devices", "--bogus", "x"}} {
		if code, _, _ := w.run(nil, args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestDevicesExits3WhenWebrootFails(t *testing.T) {
	w, site := devicesCLI(t)
	w.sim.AddFault(webrootsim.Fault{Path: "/service/api/console/gsm/" + webrootsim.DefaultGSMKey + "/sites/" + site.ID + "/endpoints", Status: http.StatusForbidden})
	path := filepath.Join(t.TempDir(), "out.csv")
	code, out, errOut := w.run(nil, "devices", "Lakeside Dental", "--csv", path)
	if code != cli.ExitConnection || out != "" || !strings.Contains(errOut, "device list of Lakeside Dental could not be read") {
		t.Errorf("exit %d\nstdout %q\nstderr %s", code, out, errOut)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a file was written")
	}
}

func TestDevicesBeforeConnectingExits2(t *testing.T) {
	w := newWebrootCLI(t)
	code, _, errOut := w.run(nil, "devices", "anything")
	if code != cli.ExitUsage || !strings.Contains(errOut, "connect webroot") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}
