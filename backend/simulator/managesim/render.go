package managesim

import (
	"fmt"
	"time"
)

// The simulator answers with generic JSON documents built from the typed records, so the
// conditions, fields and orderBy logic work the same way on every resource.
type doc = map[string]any

const timeLayout = "2006-01-02T15:04:05Z"

func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// Every top-level field a resource can have. A condition or orderBy on any other field is
// answered with 400, as the real service refuses unknown fields.
var (
	companyFields   = fieldSet("id", "identifier", "name", "status", "types", "deletedFlag", "_info")
	agreementFields = fieldSet("id", "name", "type", "company", "parentAgreement", "startDate",
		"endDate", "noEndingDateFlag", "cancelledFlag", "dateCancelled", "reasonCancelled",
		"agreementStatus", "billingCycle", "billAmount", "prorateFlag",
		"invoiceProratedAdditionsFlag", "_info")
	additionFields = fieldSet("id", "product", "quantity", "lessIncluded", "unitPrice",
		"unitCost", "extPrice", "extCost", "margin", "billCustomer", "effectiveDate",
		"cancelledDate", "billedQuantity", "agreementId", "agreementStatus", "description",
		"invoiceDescription", "serialNumber", "taxableFlag", "purchaseItemFlag",
		"specialOrderFlag", "prorateCost", "proratePrice", "extendedProrateCost",
		"extendedProratePrice", "prorateCurrentPeriodFlag", "uom", "sequenceNumber",
		"opportunity", "invoiceGrouping", "customFields", "_info")
	catalogFields = fieldSet("id", "identifier", "description", "customerDescription",
		"inactiveFlag", "subcategory", "type", "productClass", "price", "cost", "recurringFlag",
		"recurringRevenue", "recurringCost", "recurringBillCycle", "category", "manufacturer",
		"vendor", "_info")
)

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// ref builds a small reference object {id, name}; refs to named lookups get stable ids.
func (st *store) ref(kind, name string) any {
	if name == "" {
		return nil
	}
	key := kind + "\x00" + name
	id, ok := st.refIDs[key]
	if !ok {
		st.refSeq++
		id = st.refSeq
		st.refIDs[key] = id
	}
	return doc{"id": id, "name": name}
}

func info(updated time.Time, by string) doc {
	d := doc{}
	if !updated.IsZero() {
		d["lastUpdated"] = updated.UTC().Format(timeLayout)
	}
	if by != "" {
		d["updatedBy"] = by
	}
	return d
}

func (st *store) companyDoc(c *Company) doc {
	status := c.Status
	if status == "" {
		status = "Active"
	}
	types := []any{}
	names := c.Types
	if len(names) == 0 {
		names = []string{"Client"}
	}
	for _, t := range names {
		types = append(types, st.ref("companyType", t))
	}
	return doc{
		"id": c.ID, "identifier": c.Identifier, "name": c.Name,
		"status": st.ref("companyStatus", status), "types": types,
		"deletedFlag": c.Deleted,
		"_info":       doc{"lastUpdated": "2024-01-01T00:00:00Z", "updatedBy": "simulator"},
	}
}

func (st *store) companyRef(id int) any {
	c, ok := st.companies[id]
	if !ok {
		return doc{"id": id}
	}
	return doc{"id": c.ID, "identifier": c.Identifier, "name": c.Name,
		"_info": doc{"company_href": fmt.Sprintf("company/companies/%d", c.ID)}}
}

func (st *store) agreementDoc(a *Agreement) doc {
	d := doc{
		"id": a.ID, "name": a.Name, "type": st.ref("agreementType", a.Type),
		"company":                      st.companyRef(a.CompanyID),
		"startDate":                    fmtTime(a.StartDate),
		"endDate":                      fmtTime(a.EndDate),
		"noEndingDateFlag":             a.NoEndingDate,
		"cancelledFlag":                a.Cancelled,
		"dateCancelled":                fmtTime(a.DateCancelled),
		"agreementStatus":              nil,
		"billingCycle":                 st.ref("billingCycle", orDefault(a.BillingCycle, "Monthly")),
		"billAmount":                   a.BillAmount,
		"prorateFlag":                  a.Prorate,
		"invoiceProratedAdditionsFlag": a.InvoiceProratedAdditions,
		"_info":                        doc{"lastUpdated": "2024-01-01T00:00:00Z", "updatedBy": "simulator"},
	}
	if a.Status != "" {
		d["agreementStatus"] = a.Status
	}
	if a.ReasonCancelled != "" {
		d["reasonCancelled"] = a.ReasonCancelled
	}
	// A missing parent is absent, not null, as in the captured sample.
	if a.ParentID != 0 {
		name := ""
		if p, ok := st.agreements[a.ParentID]; ok {
			name = p.Name
		}
		d["parentAgreement"] = doc{"id": a.ParentID, "name": name}
	}
	return d
}

func (st *store) additionDoc(a *Addition) doc {
	product := doc{"id": a.ProductID, "serializedFlag": false,
		"_info": doc{"product_href": fmt.Sprintf("procurement/catalog/%d", a.ProductID)}}
	if p, ok := st.catalog[a.ProductID]; ok {
		product["identifier"] = p.Identifier
		product["description"] = p.Description
	}
	var less any
	billable := a.Quantity
	if a.LessIncluded != nil {
		less = *a.LessIncluded
		billable -= *a.LessIncluded
	}
	agreementStatus := any(nil)
	if ag, ok := st.agreements[a.AgreementID]; ok && ag.Status != "" {
		agreementStatus = ag.Status
	}
	extPrice := round2(billable * a.UnitPrice)
	extCost := round2(billable * a.UnitCost)
	return doc{
		"id": a.ID, "product": product,
		"quantity": a.Quantity, "lessIncluded": less,
		"unitPrice": a.UnitPrice, "unitCost": a.UnitCost,
		"extPrice": extPrice, "extCost": extCost, "margin": round2(extPrice - extCost),
		"billCustomer":       orDefault(a.BillCustomer, "Billable"),
		"effectiveDate":      fmtTime(a.EffectiveDate),
		"cancelledDate":      fmtTime(a.CancelledDate),
		"billedQuantity":     a.BilledQuantity,
		"agreementId":        a.AgreementID,
		"agreementStatus":    agreementStatus,
		"description":        a.Description,
		"invoiceDescription": a.InvoiceDescription,
		"serialNumber":       a.SerialNumber,
		"taxableFlag":        a.Taxable,
		"purchaseItemFlag":   false,
		"specialOrderFlag":   false,
		"uom":                "Each",
		"sequenceNumber":     float64(a.ID),
		"customFields":       []any{},
		"_info":              info(a.LastUpdated, a.UpdatedBy),
	}
}

func (st *store) catalogDoc(c *CatalogItem) doc {
	return doc{
		"id": c.ID, "identifier": c.Identifier, "description": c.Description,
		"customerDescription": c.CustomerDescription, "inactiveFlag": c.Inactive,
		"category":     st.ref("category", c.Category),
		"subcategory":  st.ref("subcategory", c.Subcategory),
		"type":         st.ref("productType", c.Type),
		"productClass": c.ProductClass,
		"manufacturer": st.ref("manufacturer", c.Manufacturer),
		"vendor":       st.ref("vendor", c.Vendor),
		"price":        c.Price, "cost": c.Cost,
		"recurringFlag": c.Recurring, "recurringRevenue": c.RecurringRevenue,
		"recurringCost":      c.RecurringCost,
		"recurringBillCycle": st.ref("billingCycle", c.RecurringBillCycle),
		"_info":              doc{"lastUpdated": "2024-01-01T00:00:00Z", "updatedBy": "simulator"},
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func round2(v float64) float64 {
	if v < 0 {
		return -round2(-v)
	}
	return float64(int64(v*100+0.5)) / 100
}
