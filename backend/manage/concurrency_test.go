package manage

import (
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/managesim"
)

// However many goroutines call, no more than MaxInFlight requests reach the server at once.
func TestConcurrencyBounded(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.MaxInFlight = 3 })
	if _, err := e.c.APIBase(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.sim.SetLatency(40 * time.Millisecond)
	e.sim.ResetRequests()
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.c.GetAddition(ctx(t), 871, 3589)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if m := e.sim.MaxInFlight(); m != 3 {
		t.Errorf("server saw %d requests at once, want exactly 3 (bounded, and parallel)", m)
	}
}

// Reading many agreements' additions: one request per distinct agreement, in parallel up to
// MaxInFlight, one missing agreement failing alone.
func TestListAdditionsForAgreements(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.MaxInFlight = 4 })
	var ids []int
	for i := 0; i < 30; i++ {
		a := e.sim.AddAgreement(managesim.Agreement{ID: 2000 + i, Name: "A", CompanyID: 5, Status: "Active"})
		e.sim.AddAddition(managesim.Addition{AgreementID: a.ID, ProductID: 752, Quantity: float64(i)})
		e.sim.AddAddition(managesim.Addition{AgreementID: a.ID, ProductID: 753, Quantity: 1})
		ids = append(ids, a.ID)
	}
	ids = append(ids, 2003, 2004, 4242) // duplicates, and an agreement that does not exist
	if _, err := e.c.APIBase(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.sim.SetLatency(30 * time.Millisecond)
	e.sim.ResetRequests()
	start := time.Now()
	res := e.c.ListAdditionsForAgreements(ctx(t), ids, Query{Fields: AdditionSyncFields()})
	elapsed := time.Since(start)
	if len(res) != 31 {
		t.Fatalf("%d results", len(res))
	}
	for i, r := range res[:30] {
		if r.AgreementID != 2000+i || r.Err != nil || len(r.Additions) != 2 || *r.Additions[0].Quantity != float64(i) {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if r := res[30]; r.AgreementID != 4242 || KindOf(r.Err) != KindNotFound {
		t.Errorf("missing agreement: %+v", r)
	}
	// 31 list calls (the 404 also triggers one companyinfo re-lookup).
	if n := e.sim.CountRequests("GET", "/finance/agreements/*/additions"); n != 31 {
		t.Errorf("%d list calls, want one per distinct agreement (31)", n)
	}
	if m := e.sim.MaxInFlight(); m > 4 || m < 3 {
		t.Errorf("max in flight %d, want about 4", m)
	}
	// 31 calls × 30 ms ÷ 4 in flight ≈ 240 ms; one at a time would be ≈ 930 ms.
	if elapsed > 700*time.Millisecond {
		t.Errorf("took %s; calls did not overlap", elapsed)
	}
	if got := e.c.ListAdditionsForAgreements(ctx(t), nil, Query{}); len(got) != 0 {
		t.Errorf("no ids: %v", got)
	}
}
