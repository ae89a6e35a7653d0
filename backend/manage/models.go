package manage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Time is a Manage date-time. It reads "2018-05-17T00:00:00Z" and tolerates a missing zone
// (taken as UTC) or a bare date; null or "" is the zero Time.
type Time struct{ time.Time }

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date-time must be a string, not %s", clip(string(b), 40))
	}
	if s = strings.TrimSpace(s); s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("%q is not a date-time", clip(s, 40))
}

// MarshalJSON writes null for the zero Time, else RFC 3339 in UTC.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339))
}

// Ref is a reference to another record: {id, identifier?, name?}.
type Ref struct {
	ID         int    `json:"id"`
	Identifier string `json:"identifier,omitempty"`
	Name       string `json:"name,omitempty"`
}

// Company is a customer company (/company/companies).
type Company struct {
	ID          int            `json:"id"`
	Identifier  string         `json:"identifier"`
	Name        string         `json:"name"`
	Status      *Ref           `json:"status,omitempty"`
	Types       []Ref          `json:"types,omitempty"`
	DeletedFlag bool           `json:"deletedFlag"`
	Info        map[string]any `json:"_info,omitempty"`
}

// Agreement is a company agreement (/finance/agreements).
type Agreement struct {
	ID                           int            `json:"id"`
	Name                         string         `json:"name"`
	Type                         *Ref           `json:"type,omitempty"`
	Company                      *Ref           `json:"company,omitempty"`
	ParentAgreement              *Ref           `json:"parentAgreement,omitempty"`
	StartDate                    Time           `json:"startDate"`
	EndDate                      Time           `json:"endDate"`
	NoEndingDateFlag             bool           `json:"noEndingDateFlag"`
	CancelledFlag                bool           `json:"cancelledFlag"`
	DateCancelled                Time           `json:"dateCancelled"`
	ReasonCancelled              string         `json:"reasonCancelled,omitempty"`
	AgreementStatus              string         `json:"agreementStatus,omitempty"` // Active, Cancelled, Expired, Inactive; may be empty
	BillingCycle                 *Ref           `json:"billingCycle,omitempty"`
	BillAmount                   *float64       `json:"billAmount,omitempty"`
	ProrateFlag                  bool           `json:"prorateFlag"`
	InvoiceProratedAdditionsFlag bool           `json:"invoiceProratedAdditionsFlag"`
	Info                         map[string]any `json:"_info,omitempty"`
}

// BlockedReason says why the app must not write to the agreement's additions at now:
// "cancelled", "expired", "inactive" or "ended"; "" when it may. Child agreements are not
// blocked here; IsChild tells them apart.
func (a Agreement) BlockedReason(now time.Time) string {
	switch {
	case a.CancelledFlag || strings.EqualFold(a.AgreementStatus, "Cancelled"):
		return "cancelled"
	case strings.EqualFold(a.AgreementStatus, "Expired"):
		return "expired"
	case strings.EqualFold(a.AgreementStatus, "Inactive"):
		return "inactive"
	case !a.NoEndingDateFlag && !a.EndDate.IsZero() && a.EndDate.Before(now):
		return "ended"
	}
	return ""
}

// IsChild reports a child agreement.
func (a Agreement) IsChild() bool { return a.ParentAgreement != nil && a.ParentAgreement.ID != 0 }

// ProductRef is the catalog item an addition bills (IvItemReference).
type ProductRef struct {
	ID             int    `json:"id"`
	Identifier     string `json:"identifier,omitempty"`
	Description    string `json:"description,omitempty"`
	SerializedFlag bool   `json:"serializedFlag,omitempty"`
}

// Addition is an agreement addition (/finance/agreements/{id}/additions). Quantities are
// doubles in the API, and nullable.
type Addition struct {
	ID                       int            `json:"id"`
	Product                  *ProductRef    `json:"product,omitempty"`
	Quantity                 *float64       `json:"quantity"`
	LessIncluded             *float64       `json:"lessIncluded"`
	UnitPrice                *float64       `json:"unitPrice,omitempty"`
	UnitCost                 *float64       `json:"unitCost,omitempty"`
	ExtPrice                 *float64       `json:"extPrice,omitempty"`
	ExtCost                  *float64       `json:"extCost,omitempty"`
	Margin                   *float64       `json:"margin,omitempty"`
	BillCustomer             string         `json:"billCustomer,omitempty"` // Billable, DoNotBill, NoCharge
	EffectiveDate            Time           `json:"effectiveDate"`
	CancelledDate            Time           `json:"cancelledDate"`
	BilledQuantity           *float64       `json:"billedQuantity,omitempty"`
	AgreementID              int            `json:"agreementId,omitempty"`
	AgreementStatus          string         `json:"agreementStatus,omitempty"`
	Description              string         `json:"description,omitempty"`
	InvoiceDescription       string         `json:"invoiceDescription,omitempty"`
	SerialNumber             string         `json:"serialNumber,omitempty"`
	TaxableFlag              bool           `json:"taxableFlag"`
	PurchaseItemFlag         bool           `json:"purchaseItemFlag"`
	SpecialOrderFlag         bool           `json:"specialOrderFlag"`
	ProrateCost              *float64       `json:"prorateCost,omitempty"`
	ProratePrice             *float64       `json:"proratePrice,omitempty"`
	ExtendedProrateCost      *float64       `json:"extendedProrateCost,omitempty"`
	ExtendedProratePrice     *float64       `json:"extendedProratePrice,omitempty"`
	ProrateCurrentPeriodFlag bool           `json:"prorateCurrentPeriodFlag"`
	UOM                      string         `json:"uom,omitempty"`
	SequenceNumber           *float64       `json:"sequenceNumber,omitempty"`
	Info                     map[string]any `json:"_info,omitempty"`
}

// CancelledAt reports an addition cancelled at now: a cancelledDate set and not after now.
// A future cancelledDate is still active (manage-api.md §4.3).
func (a Addition) CancelledAt(now time.Time) bool {
	return !a.CancelledDate.IsZero() && !a.CancelledDate.After(now)
}

// QuantityValue is the quantity, 0 when null.
func (a Addition) QuantityValue() float64 {
	if a.Quantity == nil {
		return 0
	}
	return *a.Quantity
}

// CatalogItem is a product (/procurement/catalog).
type CatalogItem struct {
	ID                  int            `json:"id"`
	Identifier          string         `json:"identifier"`
	Description         string         `json:"description"`
	CustomerDescription string         `json:"customerDescription,omitempty"`
	InactiveFlag        bool           `json:"inactiveFlag"`
	Category            *Ref           `json:"category,omitempty"`
	Subcategory         *Ref           `json:"subcategory,omitempty"`
	Type                *Ref           `json:"type,omitempty"`
	ProductClass        string         `json:"productClass,omitempty"`
	Manufacturer        *Ref           `json:"manufacturer,omitempty"`
	Vendor              *Ref           `json:"vendor,omitempty"`
	Price               *float64       `json:"price,omitempty"`
	Cost                *float64       `json:"cost,omitempty"`
	RecurringFlag       bool           `json:"recurringFlag"`
	RecurringRevenue    *float64       `json:"recurringRevenue,omitempty"`
	RecurringCost       *float64       `json:"recurringCost,omitempty"`
	RecurringBillCycle  *Ref           `json:"recurringBillCycle,omitempty"`
	Info                map[string]any `json:"_info,omitempty"`
}

// SystemInfo is /system/info, the cheap call that proves the keys work.
type SystemInfo struct {
	Version                   string          `json:"version"`
	IsCloud                   bool            `json:"isCloud"`
	ServerTimeZone            string          `json:"serverTimeZone"`
	LicenseBits               json.RawMessage `json:"licenseBits,omitempty"`
	CloudRegion               string          `json:"cloudRegion"`
	MaxWorkFlowRecordsAllowed int             `json:"maxWorkFlowRecordsAllowed"`
}
