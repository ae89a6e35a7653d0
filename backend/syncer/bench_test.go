package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/store"
)

// The `make bench` workload (issue 7): 1,000 mappings over 1,000 agreements, 300 of them
// with a change, against both simulators with 100 ms of latency. Run with
//
//	go test -run '^$' -bench BenchmarkSync -benchtime 1x -timeout 30m ./backend/syncer/
//
// Setting b takes over a minute by design (about 1,300 requests at 1,000 a minute).
const (
	benchMappings = 1000
	benchChanges  = 300
	benchLatency  = 100 * time.Millisecond
)

func BenchmarkSync(b *testing.B) {
	b.Run("a_latency100ms_unthrottled", func(b *testing.B) {
		benchSync(b, MaxRequestsPerMinute, 0)
	})
	b.Run("b_latency100ms_throttled1000rpm", func(b *testing.B) {
		benchSync(b, DefaultRequestsPerMinute, 1000)
	})
}

// benchSync runs the workload with "Requests per minute" at perMinute and the Manage
// simulator throttling at serverLimit a minute (0: not at all), and reports the figures
// docs/benchmarks.md quotes.
func benchSync(b *testing.B, perMinute, serverLimit int) {
	for range b.N {
		b.StopTimer()
		env := newBenchEnv(b, perMinute, serverLimit)
		s := New(env.st, simSources(env.ms, env.ws), Options{})
		runtime.GC()
		base := heapBytes()
		var peak atomic.Uint64
		stop := sampleHeap(&peak)
		b.StartTimer()
		start := time.Now()
		res, err := s.Sync(context.Background(), RunOptions{Trigger: TriggerCLI, Actor: "bench"})
		wall := time.Since(start)
		b.StopTimer()
		stop()
		if err != nil {
			b.Fatal(err)
		}
		env.check(b, res)

		requests := float64(res.Run.Requests)
		minimum := float64(benchMappings + benchChanges + 1) // a list per agreement, a PATCH per change, the codebase lookup
		allowed := float64(perMinute)
		if serverLimit > 0 {
			allowed = math.Min(allowed, float64(serverLimit))
		}
		inFlight := float64(inFlightFor(perMinute))
		rateBound := time.Duration(requests / allowed * float64(time.Minute))
		latencyBound := time.Duration(requests * float64(benchLatency) / inFlight)
		bound := max(rateBound, latencyBound)
		ratio := wall.Seconds() / bound.Seconds()
		serial := time.Duration(minimum * float64(max(benchLatency, time.Duration(float64(time.Minute)/allowed))))
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(requests, "requests")
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(float64(res.Run.Throttled), "429s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		fmt.Fprintf(os.Stdout, `
%s
  requests made          %d (minimum needed %d: %d agreement reads, %d PATCHes, 1 codebase lookup)
  wall time              %v
  lower bound            %v = max(requests ÷ %d/min = %v, requests × %v ÷ %d in flight = %v)
  ratio                  %.3f
  429s received          %d (the simulator sent %d)
  peak Go heap           %.1f MiB during the sync (%.1f MiB above the idle baseline; both simulators run in this process)
  max RSS of the process %.0f MiB
  one request at a time  ≈ %v (%d requests, each waiting %v)
`, b.Name(), res.Run.Requests, int(minimum), benchMappings, benchChanges, wall.Round(time.Millisecond),
			bound.Round(time.Millisecond), int(allowed), rateBound.Round(time.Millisecond), benchLatency, int(inFlight),
			latencyBound.Round(time.Millisecond), ratio, res.Run.Throttled, env.ms.ThrottledCount(),
			float64(peak.Load())/(1<<20), (float64(peak.Load())-float64(base))/(1<<20), maxRSSMiB(),
			serial.Round(time.Second), int(minimum), max(benchLatency, time.Duration(float64(time.Minute)/allowed)))
	}
}

// benchEnv is the workload's installation and simulators.
type benchEnv struct {
	st     *store.Store
	ms     *managesim.Server
	ws     *webrootsim.Server
	target map[int]float64 // addition → the quantity it must end with
	change map[int]bool
}

func newBenchEnv(b *testing.B, perMinute, serverLimit int) *benchEnv {
	b.Helper()
	env := &benchEnv{target: map[int]float64{}, change: map[int]bool{}}
	ms := managesim.New(managesim.Options{Latency: benchLatency})
	ms.AddCatalogItem(managesim.CatalogItem{ID: 1, Identifier: managesim.ProductEndpoint, Recurring: true})
	ws := webrootsim.New(webrootsim.Options{})
	ws.SetConsole(webrootsim.Console{Name: "Bench MSP", LicenseType: "Full", TotalSeatsAllowed: 1 << 20})
	type row struct {
		site                string
		agreement, addition int
	}
	var rows []row
	for i := range benchMappings {
		company := 1000 + i
		ms.AddCompany(managesim.Company{ID: company, Identifier: fmt.Sprintf("C%d", company), Name: fmt.Sprintf("Customer %d", i)})
		agr := ms.AddAgreement(managesim.Agreement{ID: 5000 + i, Name: fmt.Sprintf("MSA %d", i), CompanyID: company,
			StartDate: time.Now().AddDate(-1, 0, 0), NoEndingDate: true, Status: "Active"}).ID
		count := 10 + i%40
		qty := float64(count)
		if i%10 < 3 { // 300 of 1,000: one seat off, within the review threshold
			qty = float64(count + 1)
			env.change[7000+i] = true
		}
		add := ms.AddAddition(managesim.Addition{ID: 7000 + i, AgreementID: agr, ProductID: 1, Quantity: qty, UnitPrice: 3}).ID
		site := ws.AddSite(webrootsim.Site{Name: fmt.Sprintf("Customer %d", i), DevicesAllowed: 1000})
		if err := ws.AddEndpointMix(site.ID, webrootsim.EndpointMix{Active: count}); err != nil {
			b.Fatal(err)
		}
		env.target[add] = float64(count)
		rows = append(rows, row{site.ID, agr, add})
	}
	if _, err := ms.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(ms.Close)
	if _, err := ws.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ws.Close() })
	ws.SetLatency(benchLatency)
	if serverLimit > 0 {
		ms.SetRateLimit(serverLimit, 0)
	}
	st, err := store.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	now := time.Now().UTC().Format(time.RFC3339)
	err = st.Tx(context.Background(), func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := tx.Exec(`INSERT INTO mappings(site_id, product, count_basis, company_id, agreement_id, addition_id,
				created_at, updated_at) VALUES(?, 'endpoint', 'active_without_hidden', ?, ?, ?, ?, ?)`,
				r.site, r.agreement-5000+1000, r.agreement, r.addition, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := SetRequestsPerMinute(context.Background(), st, perMinute); err != nil {
		b.Fatal(err)
	}
	env.st, env.ms, env.ws = st, ms, ws
	return env
}

// check fails the benchmark unless the sync did exactly the job.
func (env *benchEnv) check(b *testing.B, res Result) {
	b.Helper()
	c := res.Run.Counts
	if res.Run.Status != StatusSucceeded || c.Applied != benchChanges || c.Unchanged != benchMappings-benchChanges {
		b.Fatalf("run %+v", res.Run)
	}
	for add, want := range env.target {
		if a, _ := env.ms.Addition(add); a.Quantity != want {
			b.Fatalf("addition %d holds %v, want %v", add, a.Quantity, want)
		}
	}
	if n := env.ms.CountRequests("PATCH", "/finance/agreements/*/additions/*"); n-int(res.Run.Throttled) > benchChanges {
		b.Fatalf("%d PATCHes for %d changes", n, benchChanges)
	}
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap records the largest heap seen until the returned stop is called.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if h := heapBytes(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
