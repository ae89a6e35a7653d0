package manage

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Query narrows a list call.
type Query struct {
	Conditions Cond
	// OrderBy such as "name asc, id desc". Not allowed with ForwardOnly.
	OrderBy string
	// Fields asks for a partial answer (fields=id,name,company/id); nil asks for everything.
	Fields []string
	// PageSize overrides the client's page size (1..1000) for this call.
	PageSize int
	// ForwardOnly uses pagination-type: forward-only (results ordered by id), worth it for
	// very large lists. A server that ignores it is detected and paged normally.
	ForwardOnly bool
}

var orderByPattern = regexp.MustCompile(`^\s*[A-Za-z_][A-Za-z0-9_/]*(\s+(?i:asc|desc))?\s*(,\s*[A-Za-z_][A-Za-z0-9_/]*(\s+(?i:asc|desc))?\s*)*$`)

// values builds the query parameters other than page/pageId.
func (q Query) values(defaultSize int) (url.Values, int, error) {
	v := url.Values{}
	if err := q.Conditions.Err(); err != nil {
		return nil, 0, fmt.Errorf("conditions: %w", err)
	}
	if s := q.Conditions.String(); s != "" {
		v.Set("conditions", s)
	}
	if q.OrderBy != "" {
		if !orderByPattern.MatchString(q.OrderBy) {
			return nil, 0, fmt.Errorf("orderBy %q: expected \"field asc\" or \"field desc\", comma-separated", q.OrderBy)
		}
		if q.ForwardOnly {
			return nil, 0, fmt.Errorf("orderBy cannot be used with forward-only paging")
		}
		v.Set("orderBy", strings.TrimSpace(q.OrderBy))
	}
	if len(q.Fields) > 0 {
		for _, f := range q.Fields {
			if !fieldPattern.MatchString(f) {
				return nil, 0, fmt.Errorf("fields: %q is not a field name", f)
			}
		}
		v.Set("fields", strings.Join(q.Fields, ","))
	}
	size := defaultSize
	if q.PageSize != 0 {
		if q.PageSize < 1 || q.PageSize > MaxPageSize {
			return nil, 0, fmt.Errorf("pageSize %d: must be 1 to %d", q.PageSize, MaxPageSize)
		}
		size = q.PageSize
	}
	v.Set("pageSize", strconv.Itoa(size))
	return v, size, nil
}

func (c *Client) invalidInput(op string, err error) *Error {
	return &Error{Kind: KindInvalidInput, Op: op, Host: c.site.APIHost, Message: err.Error(), Err: err}
}

// Field sets for partial answers: what the app's screens and the sync read. Each call
// returns a fresh slice.

// CompanyPickerFields are what the company picker shows.
func CompanyPickerFields() []string {
	return []string{"id", "identifier", "name", "status/name", "deletedFlag"}
}

// AgreementListFields are what the agreement picker and the blocked checks need
// (the documented agreement query, plus the company's name and the dates).
func AgreementListFields() []string {
	return []string{"id", "name", "type/name", "company/id", "company/identifier", "company/name",
		"agreementStatus", "cancelledFlag", "dateCancelled", "noEndingDateFlag", "startDate",
		"endDate", "parentAgreement/id"}
}

// AdditionSyncFields are what a sync reads of each addition (the documented addition query).
func AdditionSyncFields() []string {
	return []string{"id", "product/id", "product/identifier", "quantity", "lessIncluded",
		"billedQuantity", "billCustomer", "effectiveDate", "cancelledDate", "agreementId",
		"agreementStatus", "description"}
}

// CatalogPickerFields are what the product picker shows.
func CatalogPickerFields() []string {
	return []string{"id", "identifier", "description", "inactiveFlag", "price", "cost",
		"recurringFlag", "productClass"}
}
