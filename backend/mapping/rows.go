package mapping

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"cwm-webroot/backend/webroot"
)

// Row states.
const (
	StateMapped    = "mapped"
	StateSuggested = "suggested"
	StateUnmapped  = "unmapped"
	StateExcluded  = "excluded"
)

// Row is one GSM site x product line as the Mappings page lists it.
type Row struct {
	SiteID         string         `json:"siteId"`
	SiteName       string         `json:"siteName"`
	Comments       string         `json:"comments"`
	Product        string         `json:"product"`
	ProductLabel   string         `json:"productLabel"`
	Counts         map[string]int `json:"counts"` // basis → count, for this product's bases
	DevicesAllowed int            `json:"devicesAllowed"`
	Suspended      bool           `json:"suspended"`
	Deactivated    bool           `json:"deactivated"`
	// Trial: the site has this product line on a trial licence in Webroot, which an MSP
	// usually does not bill yet.
	Trial bool `json:"trial"`
	// New marks a site that appeared after the first refresh and is not mapped yet.
	New   bool   `json:"new"`
	State string `json:"state"`
	// Mapping and the names of what it points at, when mapped.
	Mapping       *Mapping `json:"mapping"`
	CompanyName   string   `json:"companyName"`
	AgreementName string   `json:"agreementName"`
	AdditionName  string   `json:"additionName"`
	// SharedCount is how many other sites' counts are summed into the same addition (the
	// page names them from its own rows: the ids are not repeated on every row).
	SharedCount int `json:"sharedCount"`
	// Problem says why a mapping cannot be synced as it stands (addition gone, agreement
	// cancelled, site removed), "" when it can.
	Problem string `json:"problem"`
	// Suggestion is set on suggested rows: never applied without the user's accept.
	Suggestion *Proposal `json:"suggestion"`
}

type siteInfo struct {
	id, name, comments    string
	allowed               int
	suspended, deactivate bool
	trials                string // comma-separated: EP, DNSP, WSAT
	firstSeen             string
	removed               bool
	counts                map[string]int
}

// Rows lists every site product line in use, mapped or not, with its counts and state.
func (s *Service) Rows(ctx context.Context) ([]Row, error) {
	sites, err := s.loadSites(ctx)
	if err != nil {
		return nil, err
	}
	var firstRefresh sql.NullString
	_ = s.store.DB.QueryRowContext(ctx, `SELECT first_refreshed_at FROM webroot_snapshot WHERE id = 1`).Scan(&firstRefresh)
	mappings, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	mapped := map[string]Mapping{}
	// Mappings per addition, and per addition and site (one site's product lines may share
	// an addition too): the others sharing a row's addition are the difference.
	perAddition := map[int64]int{}
	perAdditionSite := map[string]int{}
	additionSite := func(addition int64, site string) string {
		return fmt.Sprintf("%d/%s", addition, strings.ToLower(site))
	}
	for _, m := range mappings {
		mapped[strings.ToLower(m.SiteID)+"/"+m.Product] = m
		perAddition[m.AdditionID]++
		perAdditionSite[additionSite(m.AdditionID, m.SiteID)]++
	}
	excluded, err := s.exclusions(ctx)
	if err != nil {
		return nil, err
	}
	names, err := s.loadNames(ctx)
	if err != nil {
		return nil, err
	}
	var out []Row
	for _, site := range sites {
		for _, product := range webroot.Products() {
			key := strings.ToLower(site.id) + "/" + string(product)
			m, isMapped := mapped[key]
			isExcluded := excluded[key]
			counts := map[string]int{}
			inUse := false
			for _, b := range product.Bases() {
				if c, ok := site.counts[string(b)]; ok {
					counts[string(b)] = c
					inUse = inUse || c > 0
				}
			}
			if product == webroot.ProductEndpoint && !site.deactivate && !site.removed {
				inUse = true // every live site has endpoint protection, even with 0 devices
			}
			if !inUse && !isMapped && !isExcluded {
				continue
			}
			if site.removed && !isMapped {
				continue
			}
			r := Row{SiteID: site.id, SiteName: site.name, Comments: site.comments, Product: string(product), ProductLabel: product.Label(),
				Counts: counts, DevicesAllowed: site.allowed, Suspended: site.suspended, Deactivated: site.deactivate, State: StateUnmapped,
				Trial: slices.Contains(strings.Split(site.trials, ","), product.Module())}
			switch {
			case isMapped:
				mm := m
				r.Mapping, r.State = &mm, StateMapped
				r.CompanyName = names.company[m.CompanyID]
				agr := names.agreement[m.AgreementID]
				r.AgreementName, r.AdditionName = agr.name, names.addition[m.AdditionID]
				r.SharedCount = perAddition[m.AdditionID] - perAdditionSite[additionSite(m.AdditionID, site.id)]
				r.Problem = problemOf(site, agr, names, m)
			case isExcluded:
				r.State = StateExcluded
			default:
				r.New = firstRefresh.Valid && site.firstSeen > firstRefresh.String
			}
			out = append(out, r)
		}
	}
	if err := s.attachSuggestions(ctx, out, names); err != nil {
		return nil, err
	}
	return out, nil
}

func problemOf(site siteInfo, agr agreementName, names nameIndex, m Mapping) string {
	switch {
	case site.removed:
		return "the site is no longer in the GSM console"
	case !agr.known:
		return fmt.Sprintf("agreement %d is no longer in Manage", m.AgreementID)
	case agr.blocked != "":
		return fmt.Sprintf("agreement %d is %s", m.AgreementID, agr.blocked)
	case names.addition[m.AdditionID] == "" && !names.additionKnown[m.AdditionID]:
		return fmt.Sprintf("addition %d is no longer a current addition of agreement %d", m.AdditionID, m.AgreementID)
	}
	return ""
}

func (s *Service) loadSites(ctx context.Context) ([]siteInfo, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT site_id, name, comments, devices_allowed, suspended, deactivated, trials, first_seen_at, removed_at IS NOT NULL
		FROM webroot_sites ORDER BY name COLLATE NOCASE, site_id`)
	if err != nil {
		return nil, fmt.Errorf("reading sites: %w", err)
	}
	defer rows.Close()
	var out []siteInfo
	index := map[string]int{}
	for rows.Next() {
		var si siteInfo
		if err := rows.Scan(&si.id, &si.name, &si.comments, &si.allowed, &si.suspended, &si.deactivate, &si.trials, &si.firstSeen, &si.removed); err != nil {
			return nil, fmt.Errorf("reading sites: %w", err)
		}
		si.counts = map[string]int{}
		index[strings.ToLower(si.id)] = len(out)
		out = append(out, si)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	crows, err := s.store.DB.QueryContext(ctx, `SELECT site_id, basis, count FROM webroot_site_counts`)
	if err != nil {
		return nil, fmt.Errorf("reading site counts: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var id, basis string
		var n int
		if err := crows.Scan(&id, &basis, &n); err != nil {
			return nil, err
		}
		if i, ok := index[strings.ToLower(id)]; ok {
			out[i].counts[basis] = n
		}
	}
	return out, crows.Err()
}

func (s *Service) exclusions(ctx context.Context) (map[string]bool, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT site_id, product FROM mapping_exclusions`)
	if err != nil {
		return nil, fmt.Errorf("reading exclusions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id, p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		out[strings.ToLower(id)+"/"+p] = true
	}
	return out, rows.Err()
}

type agreementName struct {
	name, blocked string
	known         bool
}

type nameIndex struct {
	company       map[int64]string
	agreement     map[int64]agreementName
	addition      map[int64]string
	additionKnown map[int64]bool
}

func (s *Service) loadNames(ctx context.Context) (nameIndex, error) {
	idx := nameIndex{company: map[int64]string{}, agreement: map[int64]agreementName{}, addition: map[int64]string{}, additionKnown: map[int64]bool{}}
	load := func(q string, fn func(*sql.Rows) error) error {
		rows, err := s.store.DB.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := load(`SELECT id, name FROM manage_companies`, func(r *sql.Rows) error {
		var id int64
		var n string
		err := r.Scan(&id, &n)
		idx.company[id] = n
		return err
	})
	if err == nil {
		err = load(`SELECT id, name, blocked_reason FROM manage_agreements`, func(r *sql.Rows) error {
			var id int64
			a := agreementName{known: true}
			err := r.Scan(&id, &a.name, &a.blocked)
			idx.agreement[id] = a
			return err
		})
	}
	if err == nil {
		err = load(`SELECT a.id, COALESCE(NULLIF(a.product_identifier, ''), c.identifier, '') || CASE WHEN a.description != '' THEN ' · ' || a.description ELSE '' END
			FROM manage_additions a LEFT JOIN manage_catalog c ON c.id = a.product_id`, func(r *sql.Rows) error {
			var id int64
			var n string
			err := r.Scan(&id, &n)
			idx.addition[id], idx.additionKnown[id] = n, true
			return err
		})
	}
	if err != nil {
		return idx, fmt.Errorf("reading ConnectWise names: %w", err)
	}
	return idx, nil
}

// Unmapped counts the product lines waiting for a decision (for the sidebar badge).
func Unmapped(rows []Row) int {
	n := 0
	for _, r := range rows {
		if r.State == StateUnmapped || r.State == StateSuggested {
			n++
		}
	}
	return n
}
