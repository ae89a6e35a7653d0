package manageconn

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/manage"
)

// RefreshOutcome is what one refresh of the cache did.
type RefreshOutcome struct {
	OK          bool      `json:"ok"`
	RefreshedAt time.Time `json:"refreshedAt" ts_type:"string"`
	Counts      Counts    `json:"counts"`
	DurationMs  int64     `json:"durationMs"`
	Requests    int64     `json:"requests"`
	// Warnings are things the user may want to know: the catalog could not be read, an
	// agreement disappeared while its additions were read.
	Warnings []string `json:"warnings"`
	// Message is the failure in words, when OK is false; the cache is then left as it was.
	Message string `json:"message,omitempty"`
	// Field is the form label the failure points at, when one does.
	Field string `json:"field,omitempty"`
}

// Counts is how many records the cache holds.
type Counts struct {
	Companies int `json:"companies"`
	// Agreements counts every agreement; ActiveAgreements those the app may write to.
	Agreements       int `json:"agreements"`
	ActiveAgreements int `json:"activeAgreements"`
	Additions        int `json:"additions"`
	CatalogItems     int `json:"catalogItems"`
}

// CacheSummary describes the cached snapshot (the EventCache payload).
type CacheSummary struct {
	// RefreshedAt is nil when the cache was never filled (or was cleared).
	RefreshedAt *time.Time `json:"refreshedAt,omitempty" ts_type:"string"`
	Counts      Counts     `json:"counts"`
	Warnings    []string   `json:"warnings"`
}

// Refresh phases, reported through Activity.Phase while a background refresh runs.
const (
	PhaseCompanies  = "companies"
	PhaseAgreements = "agreements"
	PhaseAdditions  = "additions"
	PhaseCatalog    = "catalog"
	PhaseSaving     = "saving"
)

type snapshot struct {
	companies  []manage.Company
	agreements []manage.Agreement
	additions  []manage.Addition
	catalog    []manage.CatalogItem
	warnings   []string
	at         time.Time
}

// Refresh reads the companies, every agreement, the current additions of the agreements the
// app may write to, and the catalog, then replaces the cache in one transaction: readers
// see the old snapshot or the new one, never a mix. A failure leaves the cache as it was;
// one that says the connection is broken turns the state to failing.
func (s *Service) Refresh(ctx context.Context) (RefreshOutcome, error) {
	return s.refresh(ctx, func(string) {})
}

func (s *Service) refresh(ctx context.Context, phase func(string)) (RefreshOutcome, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.RefreshTimeout)
	defer cancel()
	start := time.Now()
	rev, err := s.revision(ctx)
	if err != nil {
		return RefreshOutcome{Message: UserMessage(err)}, err
	}
	c, _, err := s.client(ctx, background)
	if err != nil {
		return RefreshOutcome{Message: UserMessage(err), Field: fieldOf(err)}, err
	}
	defer c.CloseIdleConnections()
	snap, err := s.read(ctx, c, phase)
	if err != nil {
		out := RefreshOutcome{Message: UserMessage(err), Field: fieldFor(manage.KindOf(err)), Requests: c.Stats().Requests}
		if k := manage.KindOf(err); connectionKind(k) {
			failed := outcome{Outcome: connstate.Outcome{Revision: rev, Problem: out.Message, Kind: string(k), Field: out.Field}}
			if rerr := s.record(context.WithoutCancel(ctx), failed); rerr != nil && !errors.Is(rerr, errStale) {
				s.log.Warn("recording the manage state failed", "err", rerr.Error())
			}
		}
		s.log.Warn("manage refresh failed", "kind", string(manage.KindOf(err)), "err", err.Error())
		return out, err
	}
	phase(PhaseSaving)
	out := RefreshOutcome{OK: true, RefreshedAt: snap.at, Warnings: snap.warnings,
		DurationMs: time.Since(start).Milliseconds(), Requests: c.Stats().Requests}
	if out.Counts, err = s.replace(ctx, rev, snap, out); err != nil {
		if errors.Is(err, errStale) {
			return RefreshOutcome{Message: errStale.Error()}, err
		}
		return RefreshOutcome{Message: "The ConnectWise data was read but could not be saved: " + err.Error()},
			fmt.Errorf("the ConnectWise data was read but not saved: %w", err)
	}
	s.log.Info("manage cache refreshed", "companies", out.Counts.Companies, "agreements", out.Counts.Agreements,
		"additions", out.Counts.Additions, "catalog", out.Counts.CatalogItems, "requests", out.Requests,
		"duration_ms", out.DurationMs)
	if err := s.record(context.WithoutCancel(ctx), outcome{Outcome: connstate.Outcome{Revision: rev, OK: true}}); err != nil && !errors.Is(err, errStale) {
		s.log.Warn("recording the manage state failed", "err", err.Error())
	}
	s.emitCache(ctx)
	return out, nil
}

func (s *Service) read(ctx context.Context, c *manage.Client, phase func(string)) (*snapshot, error) {
	snap := &snapshot{at: s.now(), warnings: []string{}}
	var err error
	phase(PhaseCompanies)
	if snap.companies, err = c.ListCompanies(ctx, manage.Query{Conditions: manage.Eq("deletedFlag", false),
		Fields: manage.CompanyPickerFields()}); err != nil {
		return nil, err
	}
	phase(PhaseAgreements)
	if snap.agreements, err = c.ListAgreements(ctx, manage.Query{Fields: manage.AgreementListFields()}); err != nil {
		return nil, err
	}
	phase(PhaseAdditions)
	var open []int
	names := map[int]string{}
	for _, a := range snap.agreements {
		if a.BlockedReason(snap.at) == "" {
			open = append(open, a.ID)
			names[a.ID] = a.Name
		}
	}
	gone := map[int]bool{}
	for _, r := range c.ListAdditionsForAgreements(ctx, open, manage.Query{Conditions: manage.CurrentAdditions(snap.at),
		Fields: manage.AdditionSyncFields()}) {
		switch {
		case r.Err == nil:
			for _, add := range r.Additions {
				add.AgreementID = r.AgreementID
				snap.additions = append(snap.additions, add)
			}
		case manage.IsKind(r.Err, manage.KindNotFound):
			// Deleted in Manage between the two reads: leave it out rather than fail.
			gone[r.AgreementID] = true
			snap.warnings = append(snap.warnings, fmt.Sprintf("Agreement %q (#%d) was deleted in Manage during the refresh and is left out.", names[r.AgreementID], r.AgreementID))
		default:
			return nil, r.Err
		}
	}
	if len(gone) > 0 {
		kept := snap.agreements[:0]
		for _, a := range snap.agreements {
			if !gone[a.ID] {
				kept = append(kept, a)
			}
		}
		snap.agreements = kept
	}
	phase(PhaseCatalog)
	snap.catalog, err = c.ListCatalogItems(ctx, manage.Query{Fields: manage.CatalogPickerFields()})
	if manage.IsKind(err, manage.KindPermissionDenied) {
		// The catalog is needed only to create additions: keep going without it.
		snap.catalog, err = nil, nil
		snap.warnings = append(snap.warnings, "The product catalog could not be read: the API member lacks Procurement → Product Catalog (Inquire). It is only needed to create additions.")
	}
	if err != nil {
		return nil, err
	}
	return snap, nil
}

func clearCache(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"manage_additions", "manage_agreements", "manage_companies", "manage_catalog", "manage_snapshot"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return fmt.Errorf("clearing %s: %w", t, err)
		}
	}
	return nil
}

func (s *Service) replace(ctx context.Context, rev int64, snap *snapshot, out RefreshOutcome) (Counts, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		// Data read with settings that were replaced meanwhile (say another company) must not
		// land in the cache of the new ones.
		if err := s.state.Check(ctx, tx, rev); err != nil {
			return err
		}
		if err := clearCache(ctx, tx); err != nil {
			return err
		}
		ins := func(query string, rows int, args func(i int) []any) error {
			if rows == 0 {
				return nil
			}
			st, err := tx.PrepareContext(ctx, query)
			if err != nil {
				return err
			}
			defer st.Close()
			for i := range rows {
				if _, err := st.ExecContext(ctx, args(i)...); err != nil {
					return err
				}
			}
			return nil
		}
		if err := ins(`INSERT OR REPLACE INTO manage_companies(id, identifier, name, status) VALUES(?, ?, ?, ?)`, len(snap.companies), func(i int) []any {
			c := snap.companies[i]
			return []any{c.ID, c.Identifier, c.Name, refName(c.Status)}
		}); err != nil {
			return fmt.Errorf("saving companies: %w", err)
		}
		if err := ins(`INSERT OR REPLACE INTO manage_agreements(id, company_id, name, type_name, status, cancelled, start_date, end_date,
			no_ending_date, parent_id, blocked_reason) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(snap.agreements), func(i int) []any {
			a := snap.agreements[i]
			var parent any
			if a.IsChild() {
				parent = a.ParentAgreement.ID
			}
			companyID := 0
			if a.Company != nil {
				companyID = a.Company.ID
			}
			return []any{a.ID, companyID, a.Name, refName(a.Type), a.AgreementStatus, a.CancelledFlag, dbTime(a.StartDate),
				dbTime(a.EndDate), a.NoEndingDateFlag, parent, a.BlockedReason(snap.at)}
		}); err != nil {
			return fmt.Errorf("saving agreements: %w", err)
		}
		if err := ins(`INSERT OR REPLACE INTO manage_additions(id, agreement_id, product_id, product_identifier, description, quantity,
			less_included, billed_quantity, bill_customer, effective_date, cancelled_date) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(snap.additions), func(i int) []any {
			a := snap.additions[i]
			var pid int
			var pident string
			if a.Product != nil {
				pid, pident = a.Product.ID, a.Product.Identifier
			}
			return []any{a.ID, a.AgreementID, pid, pident, a.Description, a.Quantity, a.LessIncluded, a.BilledQuantity,
				a.BillCustomer, dbTime(a.EffectiveDate), dbTime(a.CancelledDate)}
		}); err != nil {
			return fmt.Errorf("saving additions: %w", err)
		}
		if err := ins(`INSERT OR REPLACE INTO manage_catalog(id, identifier, description, inactive, product_class, recurring, price, cost)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?)`, len(snap.catalog), func(i int) []any {
			c := snap.catalog[i]
			return []any{c.ID, c.Identifier, c.Description, c.InactiveFlag, c.ProductClass, c.RecurringFlag, c.Price, c.Cost}
		}); err != nil {
			return fmt.Errorf("saving the catalog: %w", err)
		}
		warnings, err := json.Marshal(out.Warnings)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO manage_snapshot(id, refreshed_at, duration_ms, requests, warnings) VALUES(1, ?, ?, ?, ?)`,
			snap.at.UTC().Format(time.RFC3339Nano), out.DurationMs, out.Requests, string(warnings))
		return err
	})
	if err != nil {
		return Counts{}, err
	}
	return s.counts(ctx, s.store.DB)
}

func (s *Service) counts(ctx context.Context, q connstate.Querier) (Counts, error) {
	var c Counts
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM manage_companies),
		(SELECT COUNT(*) FROM manage_agreements),
		(SELECT COUNT(*) FROM manage_agreements WHERE blocked_reason = ''),
		(SELECT COUNT(*) FROM manage_additions),
		(SELECT COUNT(*) FROM manage_catalog)`).Scan(&c.Companies, &c.Agreements, &c.ActiveAgreements, &c.Additions, &c.CatalogItems)
	if err != nil {
		return Counts{}, fmt.Errorf("counting the cached ConnectWise data: %w", err)
	}
	return c, nil
}

// CacheSummary reports when the cache was refreshed and what it holds.
func (s *Service) CacheSummary(ctx context.Context) (CacheSummary, error) {
	out := CacheSummary{Warnings: []string{}}
	var at, warnings string
	err := s.store.DB.QueryRowContext(ctx, `SELECT refreshed_at, warnings FROM manage_snapshot WHERE id = 1`).Scan(&at, &warnings)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return out, nil
	case err != nil:
		return out, fmt.Errorf("reading the ConnectWise cache: %w", err)
	}
	if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
		out.RefreshedAt = &t
	}
	_ = json.Unmarshal([]byte(warnings), &out.Warnings)
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	out.Counts, err = s.counts(ctx, s.store.DB)
	return out, err
}

func (s *Service) emitCache(ctx context.Context) {
	sum, err := s.CacheSummary(ctx)
	if err != nil {
		s.log.Warn("reading the manage cache for an event failed", "err", err.Error())
		return
	}
	s.emit(EventCache, sum)
}

// ---- readers for the mapping pickers -------------------------------------------------------

// Company is one cached company.
type Company struct {
	ID         int    `json:"id"`
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	// ActiveAgreements counts its agreements the app may write to.
	ActiveAgreements int `json:"activeAgreements"`
}

// Agreement is one cached agreement.
type Agreement struct {
	ID           int        `json:"id"`
	CompanyID    int        `json:"companyId"`
	CompanyName  string     `json:"companyName"`
	Name         string     `json:"name"`
	Type         string     `json:"type"`
	Status       string     `json:"status"`
	Cancelled    bool       `json:"cancelled"`
	StartDate    *time.Time `json:"startDate,omitempty" ts_type:"string"`
	EndDate      *time.Time `json:"endDate,omitempty" ts_type:"string"`
	NoEndingDate bool       `json:"noEndingDate"`
	// ParentID is set for a child agreement.
	ParentID int  `json:"parentId,omitempty"`
	IsChild  bool `json:"isChild"`
	// BlockedReason says why the app must not write to it: cancelled, expired, inactive,
	// ended; "" when it may (its additions are then cached).
	BlockedReason string `json:"blockedReason"`
	Additions     int    `json:"additions"`
}

// Addition is one cached addition.
type Addition struct {
	ID                 int        `json:"id"`
	AgreementID        int        `json:"agreementId"`
	ProductID          int        `json:"productId"`
	ProductIdentifier  string     `json:"productIdentifier"`
	ProductDescription string     `json:"productDescription"`
	Description        string     `json:"description"`
	Quantity           *float64   `json:"quantity"`
	LessIncluded       *float64   `json:"lessIncluded"`
	BilledQuantity     *float64   `json:"billedQuantity"`
	BillCustomer       string     `json:"billCustomer"`
	EffectiveDate      *time.Time `json:"effectiveDate,omitempty" ts_type:"string"`
	// CancelledDate is a future cancellation (cancelled additions are not cached).
	CancelledDate *time.Time `json:"cancelledDate,omitempty" ts_type:"string"`
}

// CatalogItem is one cached product.
type CatalogItem struct {
	ID           int      `json:"id"`
	Identifier   string   `json:"identifier"`
	Description  string   `json:"description"`
	Inactive     bool     `json:"inactive"`
	ProductClass string   `json:"productClass"`
	Recurring    bool     `json:"recurring"`
	Price        *float64 `json:"price"`
	Cost         *float64 `json:"cost"`
}

// Companies lists the cached companies by name (then id: same-name companies exist),
// optionally only those whose name or identifier contains search (case-insensitive).
func (s *Service) Companies(ctx context.Context, search string) ([]Company, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT c.id, c.identifier, c.name, c.status,
			(SELECT COUNT(*) FROM manage_agreements a WHERE a.company_id = c.id AND a.blocked_reason = '')
		FROM manage_companies c
		WHERE ? = '' OR instr(lower(c.name), lower(?)) > 0 OR instr(lower(c.identifier), lower(?)) > 0
		ORDER BY c.name COLLATE NOCASE, c.id`, search, search, search)
	if err != nil {
		return nil, fmt.Errorf("reading cached companies: %w", err)
	}
	defer rows.Close()
	out := []Company{}
	for rows.Next() {
		var c Company
		if err := rows.Scan(&c.ID, &c.Identifier, &c.Name, &c.Status, &c.ActiveAgreements); err != nil {
			return nil, fmt.Errorf("reading cached companies: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Agreements lists a company's cached agreements (every company's when companyID is 0):
// only those the app may write to unless includeBlocked, by name.
func (s *Service) Agreements(ctx context.Context, companyID int, includeBlocked bool) ([]Agreement, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT a.id, a.company_id, COALESCE(c.name, ''), a.name, a.type_name, a.status, a.cancelled,
			a.start_date, a.end_date, a.no_ending_date, a.parent_id, a.blocked_reason,
			(SELECT COUNT(*) FROM manage_additions d WHERE d.agreement_id = a.id)
		FROM manage_agreements a LEFT JOIN manage_companies c ON c.id = a.company_id
		WHERE (? = 0 OR a.company_id = ?) AND (? OR a.blocked_reason = '')
		ORDER BY a.blocked_reason <> '', a.name COLLATE NOCASE, a.id`, companyID, companyID, includeBlocked)
	if err != nil {
		return nil, fmt.Errorf("reading cached agreements: %w", err)
	}
	defer rows.Close()
	out := []Agreement{}
	for rows.Next() {
		var a Agreement
		var start, end sql.NullString
		var parent sql.NullInt64
		if err := rows.Scan(&a.ID, &a.CompanyID, &a.CompanyName, &a.Name, &a.Type, &a.Status, &a.Cancelled, &start, &end,
			&a.NoEndingDate, &parent, &a.BlockedReason, &a.Additions); err != nil {
			return nil, fmt.Errorf("reading cached agreements: %w", err)
		}
		a.StartDate, a.EndDate = parseTime(start), parseTime(end)
		a.ParentID, a.IsChild = int(parent.Int64), parent.Valid && parent.Int64 != 0
		out = append(out, a)
	}
	return out, rows.Err()
}

// Additions lists the cached current additions of one agreement, by product.
func (s *Service) Additions(ctx context.Context, agreementID int) ([]Addition, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT d.id, d.agreement_id, d.product_id, d.product_identifier, COALESCE(p.description, ''),
			d.description, d.quantity, d.less_included, d.billed_quantity, d.bill_customer, d.effective_date, d.cancelled_date
		FROM manage_additions d LEFT JOIN manage_catalog p ON p.id = d.product_id
		WHERE d.agreement_id = ?
		ORDER BY d.product_identifier COLLATE NOCASE, d.id`, agreementID)
	if err != nil {
		return nil, fmt.Errorf("reading cached additions: %w", err)
	}
	defer rows.Close()
	out := []Addition{}
	for rows.Next() {
		var a Addition
		var q, less, billed sql.NullFloat64
		var eff, canc sql.NullString
		if err := rows.Scan(&a.ID, &a.AgreementID, &a.ProductID, &a.ProductIdentifier, &a.ProductDescription, &a.Description,
			&q, &less, &billed, &a.BillCustomer, &eff, &canc); err != nil {
			return nil, fmt.Errorf("reading cached additions: %w", err)
		}
		a.Quantity, a.LessIncluded, a.BilledQuantity = floatPtr(q), floatPtr(less), floatPtr(billed)
		a.EffectiveDate, a.CancelledDate = parseTime(eff), parseTime(canc)
		if a.ProductDescription == "" {
			a.ProductDescription = a.Description
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Catalog lists the cached catalog items by identifier; inactive ones only when asked.
func (s *Service) Catalog(ctx context.Context, includeInactive bool) ([]CatalogItem, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT id, identifier, description, inactive, product_class, recurring, price, cost
		FROM manage_catalog WHERE ? OR inactive = 0 ORDER BY identifier COLLATE NOCASE, id`, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("reading the cached catalog: %w", err)
	}
	defer rows.Close()
	out := []CatalogItem{}
	for rows.Next() {
		var c CatalogItem
		var price, cost sql.NullFloat64
		if err := rows.Scan(&c.ID, &c.Identifier, &c.Description, &c.Inactive, &c.ProductClass, &c.Recurring, &price, &cost); err != nil {
			return nil, fmt.Errorf("reading the cached catalog: %w", err)
		}
		c.Price, c.Cost = floatPtr(price), floatPtr(cost)
		out = append(out, c)
	}
	return out, rows.Err()
}

func refName(r *manage.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func dbTime(t manage.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func parseTime(v sql.NullString) *time.Time {
	if !v.Valid || v.String == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, v.String)
	if err != nil {
		return nil
	}
	return &t
}

func floatPtr(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := v.Float64
	return &f
}
