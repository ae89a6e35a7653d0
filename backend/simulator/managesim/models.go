package managesim

import "time"

// Company is a customer company on the Manage site (GET /company/companies).
type Company struct {
	ID         int
	Identifier string
	Name       string
	Status     string   // "Active" when empty
	Types      []string // e.g. "Client"; {"Client"} when empty
	Deleted    bool     // deletedFlag: companies in the recycle bin
}

// Agreement is a company agreement (GET /finance/agreements).
type Agreement struct {
	ID                       int
	Name                     string
	Type                     string // agreement type name, e.g. "Managed Services"
	CompanyID                int
	ParentID                 int // 0 when it is not a child agreement
	StartDate                time.Time
	EndDate                  time.Time // zero means no end date is set
	NoEndingDate             bool
	Cancelled                bool
	DateCancelled            time.Time
	ReasonCancelled          string
	Status                   string // Active, Cancelled, Expired, Inactive; "" is sent as null
	BillingCycle             string // "Monthly" when empty
	BillAmount               float64
	Prorate                  bool
	InvoiceProratedAdditions bool
}

// Addition is an agreement addition (GET /finance/agreements/{id}/additions).
type Addition struct {
	ID                 int
	AgreementID        int
	ProductID          int // a catalog item id
	Quantity           float64
	LessIncluded       *float64 // nil is sent as null
	UnitPrice          float64
	UnitCost           float64
	BillCustomer       string // Billable, DoNotBill, NoCharge; "Billable" when empty
	EffectiveDate      time.Time
	CancelledDate      time.Time // zero is sent as null
	BilledQuantity     float64
	Description        string
	InvoiceDescription string
	SerialNumber       string
	Taxable            bool
	LastUpdated        time.Time
	UpdatedBy          string
}

// CatalogItem is a product in the catalog (GET /procurement/catalog).
type CatalogItem struct {
	ID                  int
	Identifier          string
	Description         string
	CustomerDescription string
	Inactive            bool
	Category            string
	Subcategory         string
	Type                string
	ProductClass        string // Agreement, Service, NonInventory, Inventory
	Manufacturer        string
	Vendor              string
	Price               float64
	Cost                float64
	Recurring           bool
	RecurringRevenue    float64
	RecurringCost       float64
	RecurringBillCycle  string
}

// Float returns a pointer to v, for the optional numbers of the seed types.
func Float(v float64) *float64 { return &v }
