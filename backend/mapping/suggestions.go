package mapping

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cwm-webroot/backend/mapping/suggest"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
)

// Proposal is a name-match suggestion resolved as far as the Manage data allows: the company
// always; the agreement and addition (ids not 0) only when the company has exactly one
// current addition for the row's product line, so accepting it needs no further choice.
type Proposal struct {
	CompanyID     int64   `json:"companyId"`
	CompanyName   string  `json:"companyName"`
	AgreementID   int64   `json:"agreementId"`
	AgreementName string  `json:"agreementName"`
	AdditionID    int64   `json:"additionId"`
	AdditionName  string  `json:"additionName"`
	CountBasis    string  `json:"countBasis"`
	Score         float64 `json:"score"`
	Reason        string  `json:"reason"`
	Kind          string  `json:"kind"`
}

// productOfAddition guesses which Webroot product line an addition bills from its catalog
// identifier and description; "" when it does not look like a Webroot product.
func productOfAddition(identifier, description string) webroot.Product {
	words := strings.FieldsFunc(strings.ToLower(identifier+" "+description), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	has := func(ws ...string) bool {
		for _, w := range words {
			for _, x := range ws {
				if w == x {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("dns", "dnsp"):
		return webroot.ProductDNS
	case has("wsat", "sat", "awareness", "training", "phishing"):
		return webroot.ProductWSAT
	case has("webroot", "endpoint", "secureanywhere", "wsa", "ep", "antivirus"):
		return webroot.ProductEndpoint
	}
	return ""
}

type candidateAddition struct {
	agreementID   int64
	agreementName string
	additionID    int64
	name          string
	product       webroot.Product
}

// attachSuggestions marks unmapped rows that have a confident company match as suggested.
func (s *Service) attachSuggestions(ctx context.Context, rows []Row, names nameIndex) error {
	var sites []suggest.Site
	seen := map[string]bool{}
	for _, r := range rows {
		if r.State == StateUnmapped && !seen[r.SiteID] {
			seen[r.SiteID] = true
			sites = append(sites, suggest.Site{ID: r.SiteID, Name: r.SiteName, Comments: r.Comments})
		}
	}
	if len(sites) == 0 {
		return nil
	}
	companies, err := s.suggestCompanies(ctx)
	if err != nil || len(companies) == 0 {
		return err
	}
	bySite := map[string]suggest.Suggestion{}
	for _, sg := range suggest.Suggest(sites, companies, suggest.Options{}) {
		bySite[sg.SiteID] = sg
	}
	additions, err := s.additionsByCompany(ctx)
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		sg, ok := bySite[r.SiteID]
		if r.State != StateUnmapped || !ok {
			continue
		}
		product := webroot.Product(r.Product)
		p := &Proposal{CompanyID: sg.CompanyID, CompanyName: names.company[sg.CompanyID], CountBasis: string(product.DefaultBasis()),
			Score: sg.Score, Reason: sg.Reason, Kind: sg.Kind}
		var match []candidateAddition
		for _, a := range additions[sg.CompanyID] {
			if a.product == product {
				match = append(match, a)
			}
		}
		if len(match) == 1 {
			p.AgreementID, p.AgreementName, p.AdditionID, p.AdditionName = match[0].agreementID, match[0].agreementName, match[0].additionID, match[0].name
		}
		r.State, r.Suggestion = StateSuggested, p
	}
	return nil
}

func (s *Service) suggestCompanies(ctx context.Context) ([]suggest.Company, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT id, name, identifier FROM manage_companies`)
	if err != nil {
		return nil, fmt.Errorf("reading companies: %w", err)
	}
	defer rows.Close()
	var out []suggest.Company
	for rows.Next() {
		var c suggest.Company
		if err := rows.Scan(&c.ID, &c.Name, &c.Identifier); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// additionsByCompany lists the current additions of each company's writable agreements.
func (s *Service) additionsByCompany(ctx context.Context) (map[int64][]candidateAddition, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT g.company_id, g.id, g.name, a.id, a.product_identifier, a.description,
		COALESCE(c.identifier, ''), COALESCE(c.description, '')
		FROM manage_additions a JOIN manage_agreements g ON g.id = a.agreement_id LEFT JOIN manage_catalog c ON c.id = a.product_id
		WHERE g.blocked_reason = '' ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("reading additions: %w", err)
	}
	defer rows.Close()
	out := map[int64][]candidateAddition{}
	for rows.Next() {
		var company int64
		var a candidateAddition
		var ident, desc, catIdent, catDesc string
		if err := rows.Scan(&company, &a.agreementID, &a.agreementName, &a.additionID, &ident, &desc, &catIdent, &catDesc); err != nil {
			return nil, err
		}
		if ident == "" {
			ident = catIdent
		}
		a.name = ident
		if desc != "" {
			a.name += " · " + desc
		}
		a.product = productOfAddition(ident, desc+" "+catDesc)
		out[company] = append(out[company], a)
	}
	return out, rows.Err()
}

// SiteProduct names one site product line.
type SiteProduct struct {
	SiteID  string `json:"siteId"`
	Product string `json:"product"`
}

// AcceptFailure is a suggestion that could not be accepted, and why.
type AcceptFailure struct {
	SiteID  string `json:"siteId"`
	Product string `json:"product"`
	Message string `json:"message"`
}

// AcceptOutcome reports a bulk accept.
type AcceptOutcome struct {
	Accepted int             `json:"accepted"`
	Failed   []AcceptFailure `json:"failed"`
}

// AcceptSuggestions saves the complete suggestions of the given rows as mappings, in one
// transaction; rows without one (or whose rules fail) are reported, not saved.
func (s *Service) AcceptSuggestions(ctx context.Context, actor string, items []SiteProduct) (AcceptOutcome, error) {
	rows, err := s.Rows(ctx)
	if err != nil {
		return AcceptOutcome{}, err
	}
	byKey := map[string]Row{}
	for _, r := range rows {
		byKey[strings.ToLower(r.SiteID)+"/"+r.Product] = r
	}
	var out AcceptOutcome
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			r, ok := byKey[strings.ToLower(it.SiteID)+"/"+it.Product]
			fail := func(msg string) { out.Failed = append(out.Failed, AcceptFailure{it.SiteID, it.Product, msg}) }
			switch {
			case !ok:
				fail("this site product line is not in the list any more: refresh")
				continue
			case r.State != StateSuggested || r.Suggestion == nil:
				fail("there is no suggestion for it")
				continue
			case r.Suggestion.AdditionID == 0:
				fail(fmt.Sprintf("%s has no single %s addition to choose: map it by hand", r.Suggestion.CompanyName, r.ProductLabel))
				continue
			}
			m := Mapping{SiteID: r.SiteID, Product: r.Product, CountBasis: r.Suggestion.CountBasis, CompanyID: r.Suggestion.CompanyID,
				AgreementID: r.Suggestion.AgreementID, AdditionID: r.Suggestion.AdditionID}
			if ps := check(ctx, tx, m); len(ps) > 0 {
				fail(toRuleError(ps).Error())
				continue
			}
			if err := upsert(ctx, tx, m, now); err != nil {
				return err
			}
			out.Accepted++
		}
		if out.Accepted == 0 {
			return nil
		}
		return store.Audit(ctx, tx, now, actor, "mapping.suggestions_accepted", fmt.Sprintf("%d accepted, %d not", out.Accepted, len(out.Failed)))
	})
	return out, err
}
