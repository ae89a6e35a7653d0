package manage

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// getOne reads one record, optionally partial.
func getOne[T any](ctx context.Context, c *Client, op, path string, fields []string) (T, error) {
	var out T
	cl := &call{op: op, method: http.MethodGet, path: path, idempotent: true}
	if len(fields) > 0 {
		for _, f := range fields {
			if !fieldPattern.MatchString(f) {
				return out, c.invalidInput(op, fmt.Errorf("fields: %q is not a field name", f))
			}
		}
		cl.query = url.Values{"fields": {strings.Join(fields, ",")}}
	}
	r, err := c.do(ctx, cl)
	if err != nil {
		return out, err
	}
	return out, c.decode(cl, r, &out)
}

// count reads GET …/count?conditions=….
func (c *Client) count(ctx context.Context, op, path string, cond Cond) (int, error) {
	if err := cond.Err(); err != nil {
		return 0, c.invalidInput(op, fmt.Errorf("conditions: %w", err))
	}
	cl := &call{op: op, method: http.MethodGet, path: path + "/count", idempotent: true}
	if s := cond.String(); s != "" {
		cl.query = url.Values{"conditions": {s}}
	}
	r, err := c.do(ctx, cl)
	if err != nil {
		return 0, err
	}
	var body struct {
		Count *int `json:"count"`
	}
	if err := c.decode(cl, r, &body); err != nil {
		return 0, err
	}
	if body.Count == nil {
		return 0, c.badJSON(cl, r, fmt.Errorf("no count in the answer"))
	}
	return *body.Count, nil
}

func checkID(op, what string, id int) error {
	if id <= 0 {
		return &Error{Kind: KindInvalidInput, Op: op, Message: fmt.Sprintf("%s id %d is not valid", what, id)}
	}
	return nil
}

// ListCompanies reads every company matching the query, e.g.
// Query{Conditions: And(StartsWith("name", "acme"), Eq("deletedFlag", false)), OrderBy: "name asc"}.
func (c *Client) ListCompanies(ctx context.Context, q Query) ([]Company, error) {
	return listAll[Company](ctx, c, "list companies", "/company/companies", q)
}

// GetCompany reads one company.
func (c *Client) GetCompany(ctx context.Context, id int) (Company, error) {
	op := "read company " + strconv.Itoa(id)
	if err := checkID(op, "company", id); err != nil {
		return Company{}, err
	}
	return getOne[Company](ctx, c, op, "/company/companies/"+strconv.Itoa(id), nil)
}

// CountCompanies counts the companies matching cond.
func (c *Client) CountCompanies(ctx context.Context, cond Cond) (int, error) {
	return c.count(ctx, "count companies", "/company/companies", cond)
}

// ListAgreements reads every agreement matching the query; And(Eq("company/id", id),
// ActiveAgreements()) lists a company's active agreements.
func (c *Client) ListAgreements(ctx context.Context, q Query) ([]Agreement, error) {
	return listAll[Agreement](ctx, c, "list agreements", "/finance/agreements", q)
}

// GetAgreement reads one agreement.
func (c *Client) GetAgreement(ctx context.Context, id int) (Agreement, error) {
	op := "read agreement " + strconv.Itoa(id)
	if err := checkID(op, "agreement", id); err != nil {
		return Agreement{}, err
	}
	return getOne[Agreement](ctx, c, op, "/finance/agreements/"+strconv.Itoa(id), nil)
}

// CountAgreements counts the agreements matching cond.
func (c *Client) CountAgreements(ctx context.Context, cond Cond) (int, error) {
	return c.count(ctx, "count agreements", "/finance/agreements", cond)
}

// ListCatalogItems reads every catalog item matching the query, e.g.
// Query{Conditions: And(StartsWith("identifier", "WEBROOT"), Eq("inactiveFlag", false))}.
func (c *Client) ListCatalogItems(ctx context.Context, q Query) ([]CatalogItem, error) {
	return listAll[CatalogItem](ctx, c, "list catalog items", "/procurement/catalog", q)
}

// GetCatalogItem reads one catalog item.
func (c *Client) GetCatalogItem(ctx context.Context, id int) (CatalogItem, error) {
	op := "read catalog item " + strconv.Itoa(id)
	if err := checkID(op, "catalog item", id); err != nil {
		return CatalogItem{}, err
	}
	return getOne[CatalogItem](ctx, c, op, "/procurement/catalog/"+strconv.Itoa(id), nil)
}

// CountCatalogItems counts the catalog items matching cond.
func (c *Client) CountCatalogItems(ctx context.Context, cond Cond) (int, error) {
	return c.count(ctx, "count catalog items", "/procurement/catalog", cond)
}

// SystemInfo reads /system/info: the cheapest authenticated call.
func (c *Client) SystemInfo(ctx context.Context) (SystemInfo, error) {
	return getOne[SystemInfo](ctx, c, "read system information", "/system/info", nil)
}
