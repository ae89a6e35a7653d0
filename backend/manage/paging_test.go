package manage

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"cwm-webroot/backend/simulator/managesim"
)

func addCompanies(sim *managesim.Server, from, n int) {
	for i := from; i < from+n; i++ {
		sim.AddCompany(managesim.Company{ID: i, Identifier: fmt.Sprintf("C%04d", i), Name: fmt.Sprintf("Company %04d", i)})
	}
}

func TestPagingAcrossPages(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	addCompanies(e.sim, 1000, 2345) // 2,349 with the seeded four
	got, err := e.c.ListCompanies(ctx(t), Query{Fields: []string{"id", "name"}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, c := range got {
		seen[c.ID] = true
	}
	if len(got) != 2349 || len(seen) != 2349 {
		t.Errorf("got %d companies (%d distinct), want 2349", len(got), len(seen))
	}
	reqs := e.sim.RequestsTo("GET", "/company/companies")
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 pages of 1000", len(reqs))
	}
	for i, r := range reqs {
		if r.Query.Get("page") != strconv.Itoa(i+1) || r.Query.Get("pageSize") != "1000" || r.Query.Get("fields") != "id,name" {
			t.Errorf("page %d query %v", i+1, r.Query)
		}
	}
}

func TestPagingSmallPages(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.PageSize = 7 })
	addCompanies(e.sim, 100, 46) // 50 in all: 8 pages, the last with 1
	got, err := e.c.ListCompanies(ctx(t), Query{OrderBy: "id desc"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 || got[0].ID != 145 || got[49].ID != 5 {
		t.Errorf("got %d, first %d last %d", len(got), got[0].ID, got[len(got)-1].ID)
	}
	if n := e.sim.CountRequests("GET", "/company/companies"); n != 8 {
		t.Errorf("%d requests, want 8", n)
	}
	// Exactly two full pages: the Link header of page 2 has no next, so no third request.
	e.sim.ResetRequests()
	got, err = e.c.ListCompanies(ctx(t), Query{PageSize: 25})
	if err != nil || len(got) != 50 {
		t.Fatalf("got %d %v", len(got), err)
	}
	if n := e.sim.CountRequests("GET", "/company/companies"); n != 2 {
		t.Errorf("%d requests for two full pages, want 2", n)
	}
	// Additions page too.
	for i := 0; i < 30; i++ {
		e.sim.AddAddition(managesim.Addition{AgreementID: 873, ProductID: 752, Quantity: float64(i)})
	}
	adds, err := e.c.ListAdditions(ctx(t), 873, Query{PageSize: 4})
	if err != nil || len(adds) != 31 {
		t.Errorf("additions %d %v", len(adds), err)
	}
}

func TestForwardOnlyPaging(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.PageSize = 10 })
	addCompanies(e.sim, 100, 21) // 25 in all
	got, err := e.c.ListCompanies(ctx(t), Query{ForwardOnly: true})
	if err != nil || len(got) != 25 {
		t.Fatalf("got %d %v", len(got), err)
	}
	reqs := e.sim.RequestsTo("GET", "/company/companies")
	if len(reqs) != 3 || reqs[0].Header.Get("pagination-type") != "forward-only" || reqs[0].Query.Has("pageId") ||
		reqs[1].Query.Get("pageId") != "105" || reqs[2].Query.Get("pageId") != "115" || reqs[1].Query.Has("page") {
		for _, r := range reqs {
			t.Logf("%s %v", r.RawQuery, r.Header.Get("pagination-type"))
		}
		t.Errorf("forward-only requests wrong")
	}
	// Additions ignore forward-only in the simulator (support is unverified): the client
	// notices the navigable links and pages by number.
	for i := 0; i < 24; i++ {
		e.sim.AddAddition(managesim.Addition{AgreementID: 873, ProductID: 752, Quantity: 1})
	}
	adds, err := e.c.ListAdditions(ctx(t), 873, Query{ForwardOnly: true})
	if err != nil || len(adds) != 25 {
		t.Fatalf("additions %d %v", len(adds), err)
	}
	areqs := e.sim.RequestsTo("GET", "/finance/agreements/873/additions")
	if len(areqs) != 3 || areqs[1].Query.Get("page") != "2" || areqs[1].Header.Get("pagination-type") != "" {
		t.Errorf("fallback requests: %v / %v", areqs[1].RawQuery, areqs[1].Header)
	}
}

// pagedServer serves 23 rows in pages, with Link headers written by link (nil: none).
func pagedServer(t *testing.T, link func(page, last int, r *http.Request) string) (Config, *int) {
	calls := 0
	_, cfg := fakeSite(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		total, last := 23, (23+size-1)/size
		var rows []map[string]int
		for id := (page-1)*size + 1; id <= min(page*size, total); id++ {
			rows = append(rows, map[string]int{"id": id})
		}
		if l := link(page, last, r); l != "" {
			w.Header().Set("Link", l)
		}
		_ = json.NewEncoder(w).Encode(rows)
	})
	cfg.PageSize = 5
	return cfg, &calls
}

// A server that never sends Link: full pages are followed by number until a short one.
func TestPagingWithoutLinkHeader(t *testing.T) {
	cfg, calls := pagedServer(t, func(int, int, *http.Request) string { return "" })
	got, err := mustNew(t, cfg).ListCompanies(ctx(t), Query{})
	if err != nil || len(got) != 23 || got[22].ID != 23 {
		t.Fatalf("got %d %v", len(got), err)
	}
	if *calls != 5 {
		t.Errorf("%d calls, want 5", *calls)
	}
}

// A next link is followed by its page number; the link's host is never called.
func TestPagingFollowsNextLink(t *testing.T) {
	cfg, calls := pagedServer(t, func(page, last int, r *http.Request) string {
		if page >= last {
			return `<https://elsewhere.example/x?page=1>; rel="first"`
		}
		return fmt.Sprintf(`<https://elsewhere.example/x?pageSize=5&page=%d>; rel="next", <https://elsewhere.example/x?page=%d>; rel="last"`, page+1, last)
	})
	got, err := mustNew(t, cfg).ListCompanies(ctx(t), Query{})
	if err != nil || len(got) != 23 || *calls != 5 {
		t.Fatalf("got %d after %d calls: %v", len(got), *calls, err)
	}
}

func TestPagingStuckLink(t *testing.T) {
	cfg, _ := pagedServer(t, func(page, last int, r *http.Request) string {
		return `<http://x/?page=1>; rel="next"`
	})
	_, err := mustNew(t, cfg).ListCompanies(ctx(t), Query{})
	wantKind(t, err, KindBadResponse)
}

func TestPagingMaxPages(t *testing.T) {
	cfg, calls := pagedServer(t, func(int, int, *http.Request) string { return "" })
	cfg.MaxPages = 2
	_, err := mustNew(t, cfg).ListCompanies(ctx(t), Query{})
	wantKind(t, err, KindBadResponse)
	if *calls != 2 {
		t.Errorf("%d calls, want 2", *calls)
	}
}

func TestParseLinks(t *testing.T) {
	h := `<https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies?pageSize=50&page=2&fields=id,name>; rel="next", <https://x/?page=4>; rel=last`
	l := parseLinks(h)
	if n, ok := queryInt(l["next"], "page"); !ok || n != 2 {
		t.Errorf("next = %q", l["next"])
	}
	if n, ok := queryInt(l["last"], "page"); !ok || n != 4 {
		t.Errorf("last = %q", l["last"])
	}
	if len(parseLinks("")) != 0 || len(parseLinks("garbage")) != 0 || len(parseLinks("<unclosed")) != 0 {
		t.Error("junk parsed as links")
	}
	if _, ok := queryInt("https://x/?pageid=7", "pageId"); !ok {
		t.Error("pageId is matched case-insensitively")
	}
}
