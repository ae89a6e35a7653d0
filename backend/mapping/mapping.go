// Package mapping connects each GSM site's product line to the ConnectWise Manage agreement
// addition that bills it: the mapping rules, the list the Mappings page shows, exclusions,
// and CSV import/export. It reads the Webroot and Manage caches from the same database.
package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
)

// Mapping is one site x product line → addition.
type Mapping struct {
	SiteID       string `json:"siteId"`
	Product      string `json:"product"`
	CountBasis   string `json:"countBasis"`
	CompanyID    int64  `json:"companyId"`
	AgreementID  int64  `json:"agreementId"`
	AdditionID   int64  `json:"additionId"`
	LessIncluded *int   `json:"lessIncluded"`
	Minimum      *int   `json:"minimum"`
}

// Service reads and writes mappings.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// New returns the mapping service.
func New(s *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: s, now: now}
}

// Rule errors name what is wrong in words the user can act on.
var (
	ErrUnknownSite      = errors.New("this GSM site is not in the Webroot data: refresh the Webroot sites")
	ErrUnknownCompany   = errors.New("this Manage company is not in the ConnectWise data: refresh the ConnectWise data")
	ErrUnknownAgreement = errors.New("this agreement is not in the ConnectWise data: refresh the ConnectWise data")
	ErrUnknownAddition  = errors.New("this addition is not a current addition of an active agreement: refresh the ConnectWise data or choose another addition")
)

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// check applies the mapping rules against the caches and returns, for each problem, the
// field it concerns (CSV column names) and a message.
func check(ctx context.Context, q querier, m Mapping) []problem {
	var out []problem
	add := func(field, msg string) { out = append(out, problem{field, msg}) }
	product, err := webroot.ParseProduct(m.Product)
	if err != nil {
		add("product", fmt.Sprintf("%q is not a product: use endpoint, dns or wsat", m.Product))
	}
	if basis, err := webroot.ParseBasis(m.CountBasis); err != nil {
		add("count_basis", fmt.Sprintf("%q is not a count basis", m.CountBasis))
	} else if product != "" && basis.Product() != product {
		add("count_basis", fmt.Sprintf("%s counts %s, not %s: use one of %s", basis, basis.Product().Label(), product.Label(), basesOf(product)))
	}
	if m.LessIncluded != nil && *m.LessIncluded < 0 {
		add("less_included", "must be 0 or more")
	}
	if m.Minimum != nil && *m.Minimum < 0 {
		add("minimum", "must be 0 or more")
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM webroot_sites WHERE site_id = ? AND removed_at IS NULL`, m.SiteID).Scan(&n); err != nil || n == 0 {
		add("site_id", ErrUnknownSite.Error())
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM manage_companies WHERE id = ?`, m.CompanyID).Scan(&n); err != nil || n == 0 {
		add("company_id", ErrUnknownCompany.Error())
		return out
	}
	var agrCompany int64
	var blocked, agrName string
	err = q.QueryRowContext(ctx, `SELECT company_id, blocked_reason, name FROM manage_agreements WHERE id = ?`, m.AgreementID).Scan(&agrCompany, &blocked, &agrName)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		add("agreement_id", ErrUnknownAgreement.Error())
		return out
	case err != nil:
		add("agreement_id", err.Error())
		return out
	case agrCompany != m.CompanyID:
		add("agreement_id", fmt.Sprintf("agreement %d (%s) belongs to company %d, not to company %d", m.AgreementID, agrName, agrCompany, m.CompanyID))
		return out
	case blocked != "":
		add("agreement_id", fmt.Sprintf("agreement %d (%s) is %s: choose an active agreement", m.AgreementID, agrName, blocked))
		return out
	}
	var addAgreement int64
	err = q.QueryRowContext(ctx, `SELECT agreement_id FROM manage_additions WHERE id = ?`, m.AdditionID).Scan(&addAgreement)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		add("addition_id", ErrUnknownAddition.Error())
	case err != nil:
		add("addition_id", err.Error())
	case addAgreement != m.AgreementID:
		add("addition_id", fmt.Sprintf("addition %d belongs to agreement %d, not to agreement %d", m.AdditionID, addAgreement, m.AgreementID))
	}
	return out
}

func basesOf(p webroot.Product) string {
	s := ""
	for i, b := range p.Bases() {
		if i > 0 {
			s += ", "
		}
		s += string(b)
	}
	return s
}

type problem struct{ field, message string }

// RuleError lists every problem with one mapping.
type RuleError struct {
	Problems []Problem
}

// Problem is one broken rule, by field.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *RuleError) Error() string {
	s := ""
	for i, p := range e.Problems {
		if i > 0 {
			s += "; "
		}
		s += p.Field + ": " + p.Message
	}
	return s
}

// fieldLabels names the CSV columns as the Mappings page labels its fields.
var fieldLabels = map[string]string{
	"site_id": "Site", "product": "Product", "count_basis": "Count basis", "company_id": "Company",
	"agreement_id": "Agreement", "addition_id": "Addition", "less_included": "Less Included", "minimum": "Minimum",
}

// FieldErrors lets the frontend show each problem next to its field.
func (e *RuleError) FieldErrors() []apperr.FieldError {
	out := make([]apperr.FieldError, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = apperr.FieldError{Field: fieldLabels[p.Field], Message: p.Message}
	}
	return out
}

func toRuleError(ps []problem) error {
	if len(ps) == 0 {
		return nil
	}
	e := &RuleError{}
	for _, p := range ps {
		e.Problems = append(e.Problems, Problem{Field: p.field, Message: p.message})
	}
	return e
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func upsert(ctx context.Context, tx *sql.Tx, m Mapping, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mappings(site_id, product, count_basis, company_id, agreement_id, addition_id, less_included, minimum, created_at, updated_at)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(site_id, product) DO UPDATE SET count_basis = excluded.count_basis, company_id = excluded.company_id,
			agreement_id = excluded.agreement_id, addition_id = excluded.addition_id, less_included = excluded.less_included,
			minimum = excluded.minimum, updated_at = excluded.updated_at`,
		m.SiteID, m.Product, m.CountBasis, m.CompanyID, m.AgreementID, m.AdditionID, nullInt(m.LessIncluded), nullInt(m.Minimum),
		now.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("saving mapping of site %s %s: %w", m.SiteID, m.Product, err)
	}
	// A mapped line is no longer excluded.
	_, err = tx.ExecContext(ctx, `DELETE FROM mapping_exclusions WHERE site_id = ? AND product = ?`, m.SiteID, m.Product)
	return err
}

// Save checks the rules and creates or replaces the mapping of the site's product line.
func (s *Service) Save(ctx context.Context, actor string, m Mapping) error {
	now := s.now()
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := toRuleError(check(ctx, tx, m)); err != nil {
			return err
		}
		if err := upsert(ctx, tx, m, now); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor, "mapping.saved", fmt.Sprintf("site %s %s → addition %d (agreement %d, company %d), basis %s",
			m.SiteID, m.Product, m.AdditionID, m.AgreementID, m.CompanyID, m.CountBasis))
	})
}

// Delete removes the mapping of a site's product line.
func (s *Service) Delete(ctx context.Context, actor, siteID, product string) error {
	now := s.now()
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM mappings WHERE site_id = ? AND product = ?`, siteID, product)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("site %s %s is not mapped", siteID, product)
		}
		return store.Audit(ctx, tx, now, actor, "mapping.deleted", "site "+siteID+" "+product)
	})
}

// SetExcluded excludes a site's product line from billing, or includes it again. Excluding
// removes its mapping.
func (s *Service) SetExcluded(ctx context.Context, actor, siteID, product string, excluded bool) error {
	if _, err := webroot.ParseProduct(product); err != nil {
		return fmt.Errorf("%q is not a product: use endpoint, dns or wsat", product)
	}
	now := s.now()
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		if excluded {
			if _, err := tx.ExecContext(ctx, `DELETE FROM mappings WHERE site_id = ? AND product = ?`, siteID, product); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO mapping_exclusions(site_id, product, created_at) VALUES(?, ?, ?)`,
				siteID, product, now.UTC().Format(time.RFC3339Nano)); err != nil {
				return err
			}
			return store.Audit(ctx, tx, now, actor, "mapping.excluded", "site "+siteID+" "+product)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mapping_exclusions WHERE site_id = ? AND product = ?`, siteID, product); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor, "mapping.included", "site "+siteID+" "+product)
	})
}

// All returns every mapping, ordered by site and product.
func (s *Service) All(ctx context.Context) ([]Mapping, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT site_id, product, count_basis, company_id, agreement_id, addition_id, less_included, minimum
		FROM mappings ORDER BY site_id, product`)
	if err != nil {
		return nil, fmt.Errorf("reading mappings: %w", err)
	}
	defer rows.Close()
	var out []Mapping
	for rows.Next() {
		var m Mapping
		var less, min sql.NullInt64
		if err := rows.Scan(&m.SiteID, &m.Product, &m.CountBasis, &m.CompanyID, &m.AgreementID, &m.AdditionID, &less, &min); err != nil {
			return nil, fmt.Errorf("reading mappings: %w", err)
		}
		m.LessIncluded, m.Minimum = intPtr(less), intPtr(min)
		out = append(out, m)
	}
	return out, rows.Err()
}

func intPtr(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	i := int(v.Int64)
	return &i
}
