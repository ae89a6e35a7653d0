package webroot

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// EndpointType filters the endpoint list (§3.4).
type EndpointType string

const (
	EndpointsAll         EndpointType = ""
	EndpointsActive      EndpointType = "active"
	EndpointsDeactivated EndpointType = "deactivated"
)

// Endpoint is one agent in a site's endpoint list. The full model is unverified (§3.4);
// these are the fields public clients read.
type Endpoint struct {
	ID           string
	HostName     string
	MachineID    string
	FirstSeen    time.Time
	LastSeen     time.Time
	AgentVersion string
	// Deactivated is nil when the server does not send the field.
	Deactivated *bool
}

// EndpointPage is one page of a site's endpoint list.
type EndpointPage struct {
	Endpoints      []Endpoint
	TotalAvailable int
	TotalKnown     bool // false when the server omitted TotalAvailable
	PageNr         int
	PageSize       int
}

type wireEndpoint struct {
	EndpointID   string `json:"EndpointId"`
	HostName     string `json:"HostName"`
	MachineID    string `json:"MachineId"`
	FirstSeen    wTime  `json:"FirstSeen"`
	LastSeen     wTime  `json:"LastSeen"`
	AgentVersion string `json:"AgentVersion"`
	Deactivated  *wBool `json:"Deactivated"`
}

// maxPages stops a paging loop whose server never signals the end.
const maxPages = 10000

// EndpointsPage reads one page (1-based) of a site's endpoint list.
func (c *Client) EndpointsPage(ctx context.Context, siteID string, typ EndpointType, pageSize, pageNr int) (*EndpointPage, error) {
	q := url.Values{}
	if typ != EndpointsAll {
		q.Set("type", string(typ))
	}
	q.Set("pageSize", strconv.Itoa(pageSize))
	q.Set("pageNr", strconv.Itoa(pageNr))
	var w struct {
		Endpoints      []wireEndpoint `json:"Endpoints"`
		TotalAvailable wInt           `json:"TotalAvailable"`
		PageNr         wInt           `json:"PageNr"`
		PageSize       wInt           `json:"PageSize"`
	}
	rq := &request{op: "listing the endpoints of GSM site " + siteID, path: c.gsmPath(consolePrefix, "sites", siteID, "endpoints"),
		query: q, scope: ScopeConsoleGSM, notFound: KindNotFound}
	if err := c.getJSON(ctx, rq, &w); err != nil {
		return nil, err
	}
	p := &EndpointPage{TotalAvailable: w.TotalAvailable.Value, TotalKnown: w.TotalAvailable.Set,
		PageNr: w.PageNr.Value, PageSize: w.PageSize.Value, Endpoints: make([]Endpoint, 0, len(w.Endpoints))}
	for _, e := range w.Endpoints {
		ep := Endpoint{ID: e.EndpointID, HostName: e.HostName, MachineID: e.MachineID, FirstSeen: e.FirstSeen.Time,
			LastSeen: e.LastSeen.Time, AgentVersion: e.AgentVersion}
		if e.Deactivated != nil {
			d := bool(*e.Deactivated)
			ep.Deactivated = &d
		}
		p.Endpoints = append(p.Endpoints, ep)
	}
	return p, nil
}

// Endpoints reads every page of a site's endpoint list, following §3.4's paging rule:
// stop when PageNr*PageSize >= TotalAvailable, or on an empty or short page. The page
// size the server reports wins over the one asked for, so a server that caps it is not
// mistaken for one that ran out. Endpoints seen twice (the list shifted between pages)
// are kept once.
func (c *Client) Endpoints(ctx context.Context, siteID string, typ EndpointType) ([]Endpoint, error) {
	var all []Endpoint
	seen := map[string]bool{}
	for page := 1; page <= maxPages; page++ {
		p, err := c.EndpointsPage(ctx, siteID, typ, c.cfg.PageSize, page)
		if err != nil {
			return nil, err
		}
		for _, e := range p.Endpoints {
			if e.ID != "" && seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			all = append(all, e)
		}
		size := p.PageSize
		if size <= 0 {
			size = c.cfg.PageSize
		}
		nr := p.PageNr
		if nr <= 0 {
			nr = page
		}
		if len(p.Endpoints) == 0 || len(p.Endpoints) < size || (p.TotalKnown && nr*size >= p.TotalAvailable) {
			break
		}
	}
	return all, nil
}

// CountNotDeactivated is the "not deactivated right now" count (§3.4, §4.1): the site's
// endpoint list with type=active. Whether TotalAvailable honours type is unverified, so
// it pages and counts the endpoints, leaving out any the server marks deactivated in
// case it ignored the filter.
func (c *Client) CountNotDeactivated(ctx context.Context, siteID string) (int, error) {
	list, err := c.Endpoints(ctx, siteID, EndpointsActive)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range list {
		if e.Deactivated == nil || !*e.Deactivated {
			n++
		}
	}
	return n, nil
}
