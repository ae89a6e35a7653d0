package manage

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/managesim"
)

// BenchmarkReadAdditions1000 reads the additions of 1,000 agreements over a 100 ms link with
// 16 requests in flight, the shape of a large sync's read phase. The bound is
// requests × latency ÷ in flight = 1,000 × 100 ms ÷ 16 ≈ 6.3 s; the benchmark reports the
// ratio of the time taken to that bound.
func BenchmarkReadAdditions1000(b *testing.B) {
	const agreements, inFlight, latency = 1000, 16, 100 * time.Millisecond
	sim := managesim.New(managesim.Options{PublicKey: testPublicKey, PrivateKey: testPrivateKey})
	if _, err := sim.Start(); err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	sim.AddCatalogItem(managesim.CatalogItem{ID: 752, Identifier: "WEBROOT-EP"})
	ids := make([]int, agreements)
	for i := range ids {
		a := sim.AddAgreement(managesim.Agreement{Name: "Managed Services", CompanyID: 1, Status: "Active"})
		sim.AddAddition(managesim.Addition{AgreementID: a.ID, ProductID: 752, Quantity: float64(i)})
		ids[i] = a.ID
	}
	c, err := New(Config{Site: sim.URL(), CompanyID: "simmsp", PublicKey: testPublicKey,
		PrivateKey: testPrivateKey, ClientID: testClientID, MaxInFlight: inFlight,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.APIBase(context.Background()); err != nil {
		b.Fatal(err)
	}
	sim.SetLatency(latency)
	bound := time.Duration(agreements) * latency / inFlight
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		res := c.ListAdditionsForAgreements(context.Background(), ids, Query{Fields: AdditionSyncFields()})
		el := time.Since(start)
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		b.ReportMetric(float64(el)/float64(bound), "x-bound")
	}
	b.ReportMetric(float64(c.Stats().Requests)/float64(b.N), "requests/op")
}
