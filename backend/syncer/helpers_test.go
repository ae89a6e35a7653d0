package syncer

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
)

const testClientID = "0b9d2a4e-6f1c-4c8a-9d3e-2f7a5b1c8e40"

// fixture is one test's installation (a real SQLite database in a temporary folder) and
// the two simulators on loopback.
type fixture struct {
	t   *testing.T
	dir string
	st  *store.Store
	ms  *managesim.Server
	ws  *webrootsim.Server
	rec *events.Recorder

	nextAgreement, nextAddition int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), rec: &events.Recorder{}, nextAgreement: 500, nextAddition: 9000}
	st, err := store.Open(context.Background(), f.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.st = st
	f.startSims(t)
	return f
}

// startSims starts empty simulators: a catalog and one company in Manage, a console in Webroot.
func (f *fixture) startSims(t *testing.T) {
	f.ms = managesim.New(managesim.Options{})
	f.ms.AddCatalogItem(managesim.CatalogItem{ID: 1, Identifier: managesim.ProductEndpoint, Description: "Webroot EP", Recurring: true})
	f.ms.AddCatalogItem(managesim.CatalogItem{ID: 2, Identifier: managesim.ProductDNS, Description: "Webroot DNS", Recurring: true})
	f.ms.AddCatalogItem(managesim.CatalogItem{ID: 3, Identifier: managesim.ProductWSAT, Description: "Webroot WSAT", Recurring: true})
	f.ms.AddCompany(managesim.Company{ID: 100, Identifier: "Acme", Name: "Acme Corporation"})
	if _, err := f.ms.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.ms.Close)
	f.ws = webrootsim.New(webrootsim.Options{})
	f.ws.SetConsole(webrootsim.Console{Name: "Test MSP", LicenseType: "Full", TotalSeatsAllowed: 100000, Modules: []string{"DNSP", "WSAT"}})
	if _, err := f.ws.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.ws.Close() })
}

// sources point a syncer straight at the simulators, with fast retries.
func (f *fixture) sources() Sources {
	return simSources(f.ms, f.ws)
}

func simSources(ms *managesim.Server, ws *webrootsim.Server) Sources {
	return urlSources(ms.URL(), ws.URL())
}

// urlSources reach the simulators (or a proxy in front of one) by address, with their
// default credentials, so a child process can use them too.
func urlSources(manageURL, webrootURL string) Sources {
	o := managesim.New(managesim.Options{}).Options()
	return Sources{
		Manage: func(ctx context.Context, tune func(*manage.Config)) (*manage.Client, error) {
			cfg := manage.Config{Site: manageURL, CompanyID: o.CompanyID, PublicKey: o.PublicKey, PrivateKey: o.PrivateKey,
				ClientID: testClientID, RetryBaseDelay: 5 * time.Millisecond, RetryMaxDelay: 50 * time.Millisecond}
			tune(&cfg)
			return manage.New(cfg)
		},
		Webroot: func(ctx context.Context, opts webroot.UsageOptions) (*webroot.UsageSnapshot, error) {
			c, err := webroot.New(webroot.Config{Site: webrootURL, ClientID: webrootsim.DefaultClientID,
				ClientSecret: webrootsim.DefaultClientSecret, GSMKey: webrootsim.DefaultGSMKey,
				Username: webrootsim.DefaultUsername, Password: webrootsim.DefaultPassword,
				BackoffBase: 5 * time.Millisecond, BackoffMax: 50 * time.Millisecond})
			if err != nil {
				return nil, err
			}
			return c.SitesWithCounts(ctx, opts)
		},
	}
}

func (f *fixture) syncer() *Syncer {
	return New(f.st, f.sources(), Options{Emitter: f.rec})
}

// agreement adds an active agreement of company 100 (or changes it through edit).
func (f *fixture) agreement(edit func(*managesim.Agreement)) int {
	f.nextAgreement++
	a := managesim.Agreement{ID: f.nextAgreement, Name: fmt.Sprintf("MSA %d", f.nextAgreement), Type: "Managed Services",
		CompanyID: 100, StartDate: time.Now().AddDate(-1, 0, 0), NoEndingDate: true, Status: "Active"}
	if edit != nil {
		edit(&a)
	}
	f.ms.AddAgreement(a)
	return a.ID
}

// addition adds an addition with a quantity to an agreement.
func (f *fixture) addition(agreement int, product int, qty float64, edit func(*managesim.Addition)) int {
	f.nextAddition++
	a := managesim.Addition{ID: f.nextAddition, AgreementID: agreement, ProductID: product, Quantity: qty, UnitPrice: 3}
	if edit != nil {
		edit(&a)
	}
	f.ms.AddAddition(a)
	return a.ID
}

// site adds a GSM site with endpoints.
func (f *fixture) site(name string, mix webrootsim.EndpointMix) string {
	s := f.ws.AddSite(webrootsim.Site{Name: name, DevicesAllowed: 1000})
	if err := f.ws.AddEndpointMix(s.ID, mix); err != nil {
		f.t.Fatal(err)
	}
	return s.ID
}

// mapRow inserts a mapping as the Mappings page would save it (without the cache checks,
// which are the mapping package's business).
func (f *fixture) mapRow(siteID, product, basis string, agreement, addition int, less, minimum *int) {
	f.t.Helper()
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := f.st.DB.Exec(`INSERT INTO mappings(site_id, product, count_basis, company_id, agreement_id, addition_id,
		less_included, minimum, created_at, updated_at) VALUES(?, ?, ?, 100, ?, ?, ?, ?, ?, ?)`,
		siteID, product, basis, agreement, addition, nullInt(less), nullInt(minimum), now, now)
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) quantity(addition int) float64 {
	f.t.Helper()
	a, ok := f.ms.Addition(addition)
	if !ok {
		f.t.Fatalf("addition %d not in the simulator", addition)
	}
	return a.Quantity
}

func (f *fixture) patches() int {
	return f.ms.CountRequests("PATCH", "/finance/agreements/*/additions/*")
}

func ptr(n int) *int { return &n }

// byAddition indexes a result's changes.
func byAddition(r Result) map[int64]Change {
	m := map[int64]Change{}
	for _, c := range r.Changes {
		m[c.AdditionID] = c
	}
	return m
}

func (f *fixture) sync(s *Syncer, o RunOptions) Result {
	f.t.Helper()
	if o.Trigger == "" {
		o.Trigger = TriggerCLI
	}
	if o.Actor == "" {
		o.Actor = "test"
	}
	res, err := s.Sync(context.Background(), o)
	if err != nil {
		f.t.Fatalf("sync: %v", err)
	}
	return res
}
