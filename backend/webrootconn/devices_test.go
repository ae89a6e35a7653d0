package webrootconn_test

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// deviceEnv is newEnv with a saved connection, a client that pages by 3, and one site,
// "Harbor & Sons", with eight endpoints (two deactivated, three with formula-looking host
// names) beside the demo's.
func deviceEnv(t *testing.T) (*env, *webrootconn.Service, webrootsim.Site, time.Time) {
	t.Helper()
	e := newEnv(t, nil)
	e.save(e.good())
	now := time.Now().UTC()
	svc := webrootconn.New(e.Store, e.Secrets, webrootconn.Options{ClientConfig: func(c *webroot.Config) {
		c.PageSize = 3
		c.BackoffBase, c.BackoffMax = time.Millisecond, 5*time.Millisecond
	}})
	site := e.sim.AddSite(webrootsim.Site{Name: "Harbor & Sons", DevicesAllowed: 20})
	day := func(n int) time.Time { return now.AddDate(0, 0, -n).Truncate(time.Second) }
	ep := func(host string, lastDays int, deact bool) webrootsim.Endpoint {
		return webrootsim.Endpoint{ID: "id-" + host, HostName: host, MachineID: "m-" + strings.ToLower(host),
			AgentVersion: "9.0.39.82", FirstSeen: day(400), LastSeen: day(lastDays), Deactivated: deact,
			DeactivatedAt: day(lastDays).Add(time.Hour)}
	}
	if err := e.sim.AddEndpoints(site.ID,
		ep("zeta-pc", 0, false),
		ep("=HYPERLINK(\"http://x\",\"y\")", 1, false),
		ep("alpha-lt", 2, false),
		ep("Bravo-srv", 45, false), // stale: not deactivated, not seen in 30 days
		ep("charlie-old", 10, true),
		ep("delta-gone", 90, true),
		ep("+cmd", 3, false),
		ep("@sum", 5, false),
	); err != nil {
		t.Fatal(err)
	}
	return e, svc, site, now
}

func readCSV(t *testing.T, text string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("not a readable CSV: %v\n%s", err, text)
	}
	return recs
}

func mapEndpoint(t *testing.T, e *env, siteID string, basis webroot.Basis) {
	t.Helper()
	if _, err := e.Store.DB.Exec(`INSERT INTO mappings(site_id, product, count_basis, company_id, agreement_id, addition_id, created_at, updated_at)
		VALUES(?, 'endpoint', ?, 1, 2, 3, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')
		ON CONFLICT(site_id, product) DO UPDATE SET count_basis = excluded.count_basis`, siteID, string(basis)); err != nil {
		t.Fatal(err)
	}
}

func export(t *testing.T, svc *webrootconn.Service, query string) (*webrootconn.DeviceList, string) {
	t.Helper()
	ctx := context.Background()
	site, err := svc.FindSite(ctx, query)
	if err != nil {
		t.Fatalf("FindSite(%q): %v", query, err)
	}
	list, err := svc.DeviceList(ctx, site)
	if err != nil {
		t.Fatalf("DeviceList: %v", err)
	}
	var b strings.Builder
	if err := list.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	return list, b.String()
}

func TestDeviceListReadsEveryPageSortsAndGuardsFormulas(t *testing.T) {
	e, svc, site, now := deviceEnv(t)
	e.sim.ResetRequests()
	_, text := export(t, svc, "  harbor & SONS ")
	if n := e.sim.Count(http.MethodGet, "/service/api/console/gsm/"+webrootsim.DefaultGSMKey+"/sites/"+site.ID+"/endpoints"); n < 3 {
		t.Errorf("%d endpoint list requests, want every page (8 endpoints by 3)", n)
	}
	recs := readCSV(t, text)
	want := []string{"Site", "Host name", "Machine ID", "Status", "First seen", "Last seen", "Agent version", "Note"}
	if strings.Join(recs[0], "|") != strings.Join(want, "|") {
		t.Fatalf("header %q (no mapping: no billed column)", recs[0])
	}
	var hosts []string
	for _, r := range recs[1:] {
		hosts = append(hosts, r[1])
		if r[0] != "Harbor & Sons" || r[6] != "9.0.39.82" || len(r) != 8 {
			t.Errorf("row %q", r)
		}
	}
	// Sorted by host name as typed (case-insensitively), the formulas guarded by an apostrophe.
	wantHosts := "'+cmd|'=HYPERLINK(\"http://x\",\"y\")|'@sum|alpha-lt|Bravo-srv|charlie-old|delta-gone|zeta-pc"
	if strings.Join(hosts, "|") != wantHosts {
		t.Errorf("hosts\n %s\nwant\n %s", strings.Join(hosts, "|"), wantHosts)
	}
	byHost := map[string][]string{}
	for _, r := range recs[1:] {
		byHost[r[1]] = r
	}
	if r := byHost["charlie-old"]; r[3] != "Deactivated" || r[2] != "m-charlie-old" {
		t.Errorf("deactivated row %q", r)
	}
	if r := byHost["alpha-lt"]; r[3] != "Active" {
		t.Errorf("active row %q", r)
	}
	wantLast := now.AddDate(0, 0, -2).Truncate(time.Second).Format(time.RFC3339)
	wantFirst := now.AddDate(0, 0, -400).Truncate(time.Second).Format(time.RFC3339)
	if r := byHost["alpha-lt"]; r[5] != wantLast || r[4] != wantFirst || !strings.HasSuffix(r[5], "Z") {
		t.Errorf("times %q %q, want %s %s (RFC 3339 UTC)", r[4], r[5], wantFirst, wantLast)
	}
}

func TestDeviceListCountedAsBilledFollowsTheMappedBasis(t *testing.T) {
	e, svc, site, _ := deviceEnv(t)
	billed := func() (string, map[string]string) {
		_, text := export(t, svc, site.ID)
		recs := readCSV(t, text)
		out := map[string]string{}
		for _, r := range recs[1:] {
			out[r[1]] = r[len(r)-2] // the last column is the note
		}
		return recs[0][len(recs[0])-2], out
	}

	mapEndpoint(t, e, site.ID, webroot.BasisNotDeactivated)
	col, got := billed()
	if col != "Counted as billed (not deactivated)" {
		t.Fatalf("column %q", col)
	}
	for host, want := range map[string]string{"zeta-pc": "yes", "Bravo-srv": "yes", "charlie-old": "no", "delta-gone": "no", "'@sum": "yes"} {
		if got[host] != want {
			t.Errorf("not_deactivated: %s = %q, want %q", host, got[host], want)
		}
	}

	mapEndpoint(t, e, site.ID, webroot.BasisSeen30d)
	col, got = billed()
	if col != "Counted as billed (seen in the last 30 days)" {
		t.Fatalf("column %q", col)
	}
	for host, want := range map[string]string{"zeta-pc": "yes", "Bravo-srv": "no", "charlie-old": "yes", "delta-gone": "no", "alpha-lt": "yes"} {
		if got[host] != want {
			t.Errorf("seen_30d: %s = %q, want %q", host, got[host], want)
		}
	}
	list, _ := export(t, svc, site.ID)
	if n, ok := list.Billed(); !ok || n != 6 {
		t.Errorf("Billed() = %d, %v; want 6", n, ok)
	}

	// Hidden devices are not in the endpoint list: the column is left out, not guessed.
	for _, b := range []webroot.Basis{webroot.BasisActiveWithoutHidden, webroot.BasisActive} {
		mapEndpoint(t, e, site.ID, b)
		if col, _ := billed(); col != "Agent version" {
			t.Errorf("%s: last column %q, want none for billed", b, col)
		}
	}
}

func TestDeviceListOfASiteWithNoEndpointsIsTheHeader(t *testing.T) {
	e, svc, _, _ := deviceEnv(t)
	empty := e.sim.AddSite(webrootsim.Site{Name: "Empty Office"})
	list, text := export(t, svc, "empty office")
	if list.SiteID != empty.ID || len(list.Endpoints) != 0 {
		t.Fatalf("list %+v", list)
	}
	if text != "Site,Host name,Machine ID,Status,First seen,Last seen,Agent version,Note\n" {
		t.Errorf("csv %q", text)
	}
}

func TestFindSiteNamesTheCandidates(t *testing.T) {
	e, svc, _, _ := deviceEnv(t)
	ctx := context.Background()
	a := e.sim.AddSite(webrootsim.Site{Name: "Twin Peaks"})
	b := e.sim.AddSite(webrootsim.Site{Name: "twin peaks"})

	_, err := svc.FindSite(ctx, "Twin Peaks")
	var ce *webrootconn.SiteChoiceError
	if !errors.As(err, &ce) || !ce.Ambiguous || len(ce.Candidates) != 2 {
		t.Fatalf("ambiguous: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, a.ID) || !strings.Contains(msg, b.ID) || !strings.Contains(msg, "site id") {
		t.Errorf("message %q", msg)
	}
	if got, err := svc.FindSite(ctx, strings.ToUpper(b.ID)); err != nil || got.ID != b.ID {
		t.Errorf("by id: %+v %v", got, err)
	}

	_, err = svc.FindSite(ctx, "twin")
	if !errors.As(err, &ce) || ce.Ambiguous || len(ce.Candidates) != 2 || !strings.Contains(err.Error(), "did you mean") {
		t.Errorf("partial: %v", err)
	}
	_, err = svc.FindSite(ctx, "no such site zzz")
	if !errors.As(err, &ce) || len(ce.Candidates) != 0 || !strings.Contains(err.Error(), "cwm-webroot sites") {
		t.Errorf("unknown: %v", err)
	}
	if webrootconn.IsConnectionFailure(err) {
		t.Error("an unknown site is not a connection failure")
	}
}

func TestDeviceListConnectionFailure(t *testing.T) {
	e, svc, site, _ := deviceEnv(t)
	e.sim.AddFault(webrootsim.Fault{Path: "/service/api/console/gsm/" + webrootsim.DefaultGSMKey + "/sites/" + site.ID + "/endpoints", Status: http.StatusServiceUnavailable})
	_, err := svc.DeviceList(context.Background(), webroot.Site{ID: site.ID, Name: site.Name})
	if err == nil || !webrootconn.IsConnectionFailure(err) {
		t.Fatalf("err %v, want a connection failure", err)
	}
	if msg := webrootconn.UserMessage(err); msg == "" || strings.Contains(msg, webrootsim.DefaultClientSecret) {
		t.Errorf("message %q", msg)
	}
}

func TestDeviceListFileName(t *testing.T) {
	day := time.Date(2025, 3, 9, 15, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"Harbor & Sons":      "devices-Harbor-Sons-2025-03-09.csv",
		" ../../etc/passwd ": "devices-etc-passwd-2025-03-09.csv",
		"Café Zürich, Inc.":  "devices-Café-Zürich-Inc-2025-03-09.csv",
		"":                   "devices-site-2025-03-09.csv",
		"***":                "devices-site-2025-03-09.csv",
		"acme_corp v2.1":     "devices-acme_corp-v2.1-2025-03-09.csv",
	} {
		if got := webrootconn.DeviceListFileName(in, day); got != want {
			t.Errorf("DeviceListFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The Note column points at what inflates a bill: an active device not seen for more than
// 30 days, and an older active copy of a host name (a reinstalled computer). Deactivated
// devices get no note; the newest copy of a host name is not a duplicate.
func TestDeviceListNotesStaleAndDuplicateDevices(t *testing.T) {
	e, svc, site, now := deviceEnv(t)
	if err := e.sim.AddEndpoints(site.ID,
		webrootsim.Endpoint{ID: "id-alpha-old", HostName: "ALPHA-LT", MachineID: "m-alpha-old", FirstSeen: now.AddDate(-2, 0, 0),
			LastSeen: now.AddDate(0, 0, -20)},
		webrootsim.Endpoint{ID: "id-charlie-new", HostName: "charlie-old", MachineID: "m-charlie-new", FirstSeen: now.AddDate(0, 0, -9),
			LastSeen: now.AddDate(0, 0, -1)},
	); err != nil {
		t.Fatal(err)
	}
	list, text := export(t, svc, site.ID)
	notes := map[string]string{}
	for _, r := range readCSV(t, text)[1:] {
		notes[r[2]] = r[len(r)-1] // by machine id
	}
	if n := notes["m-bravo-srv"]; !strings.HasPrefix(n, "Not seen for 45 days but still active.") {
		t.Errorf("stale device: %q", n)
	}
	if n := notes["m-alpha-old"]; !strings.HasPrefix(n, "Possible duplicate: another active device with this host name was seen later ("+now.AddDate(0, 0, -2).Format("2006-01-02")+")") {
		t.Errorf("older copy of alpha-lt: %q", n)
	}
	for _, id := range []string{"m-alpha-lt", "m-zeta-pc", "m-charlie-old", "m-delta-gone", "m-charlie-new"} {
		if notes[id] != "" {
			t.Errorf("%s has a note: %q", id, notes[id])
		}
	}
	if _, dup, stale := list.Notes(); dup != 1 || stale != 1 {
		t.Errorf("Notes(): %d duplicates, %d stale; want 1 and 1", dup, stale)
	}
}
