package manage

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

func additionsPath(agreementID int) string {
	return "/finance/agreements/" + strconv.Itoa(agreementID) + "/additions"
}

// ListAdditions reads every addition of one agreement matching the query, e.g.
// Query{Conditions: CurrentAdditions(now), Fields: AdditionSyncFields()}.
func (c *Client) ListAdditions(ctx context.Context, agreementID int, q Query) ([]Addition, error) {
	op := "list additions of agreement " + strconv.Itoa(agreementID)
	if err := checkID(op, "agreement", agreementID); err != nil {
		return nil, err
	}
	return listAll[Addition](ctx, c, op, additionsPath(agreementID), q)
}

// AgreementAdditions is the outcome of reading one agreement's additions.
type AgreementAdditions struct {
	AgreementID int
	Additions   []Addition
	Err         error // e.g. KindNotFound for a deleted agreement; the others are unaffected
}

// ListAdditionsForAgreements reads the additions of many agreements with the fewest requests
// the API documents: one list call (plus pages) per distinct agreement, never one per
// addition (manage-api.md §5.1). There is no documented cross-agreement query; the
// unverified bulk leads of §8a are not used. Calls run concurrently up to MaxInFlight, and
// one agreement's failure never stops the others. Results follow the order of the first
// occurrence of each id.
func (c *Client) ListAdditionsForAgreements(ctx context.Context, agreementIDs []int, q Query) []AgreementAdditions {
	seen := map[int]bool{}
	var ids []int
	for _, id := range agreementIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	out := make([]AgreementAdditions, len(ids))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(c.cfg.MaxInFlight, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				adds, err := c.ListAdditions(ctx, ids[i], q)
				out[i] = AgreementAdditions{AgreementID: ids[i], Additions: adds, Err: err}
			}
		}()
	}
	for i := range ids {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// GetAddition reads one addition.
func (c *Client) GetAddition(ctx context.Context, agreementID, additionID int) (Addition, error) {
	op := fmt.Sprintf("read addition %d of agreement %d", additionID, agreementID)
	if err := checkID(op, "agreement", agreementID); err != nil {
		return Addition{}, err
	}
	if err := checkID(op, "addition", additionID); err != nil {
		return Addition{}, err
	}
	return getOne[Addition](ctx, c, op, additionsPath(agreementID)+"/"+strconv.Itoa(additionID), nil)
}

// CountAdditions counts one agreement's additions matching cond.
func (c *Client) CountAdditions(ctx context.Context, agreementID int, cond Cond) (int, error) {
	op := "count additions of agreement " + strconv.Itoa(agreementID)
	if err := checkID(op, "agreement", agreementID); err != nil {
		return 0, err
	}
	return c.count(ctx, op, additionsPath(agreementID), cond)
}

// PatchOp is one JSON-patch operation. Value has no omitempty: a quantity of 0 must be sent
// as "value":0, not dropped (manage-api.md §6).
type PatchOp struct {
	Op    string `json:"op"`   // add, replace or remove
	Path  string `json:"path"` // the field name, case-sensitive, without a leading slash
	Value any    `json:"value"`
}

// PatchAddition sends operations to one addition and returns the record Manage answers
// with. Replacing absolute values is idempotent, so it is retried like a GET.
func (c *Client) PatchAddition(ctx context.Context, agreementID, additionID int, ops []PatchOp) (Addition, error) {
	op := fmt.Sprintf("update addition %d of agreement %d", additionID, agreementID)
	if err := checkID(op, "agreement", agreementID); err != nil {
		return Addition{}, err
	}
	if err := checkID(op, "addition", additionID); err != nil {
		return Addition{}, err
	}
	if len(ops) == 0 {
		return Addition{}, c.invalidInput(op, fmt.Errorf("no changes to send"))
	}
	body, err := json.Marshal(ops)
	if err != nil {
		return Addition{}, c.invalidInput(op, err)
	}
	cl := &call{op: op, method: http.MethodPatch,
		path: additionsPath(agreementID) + "/" + strconv.Itoa(additionID), body: body, idempotent: true}
	r, err := c.do(ctx, cl)
	if err != nil {
		return Addition{}, err
	}
	var a Addition
	return a, c.decode(cl, r, &a)
}

// UpdateAdditionQuantity sets an addition's quantity, and its lessIncluded when given, then
// checks the answer: Manage can answer 200 without applying a change (the DG's "false 200"),
// so a returned value that differs from the one sent is a KindNotApplied error.
func (c *Client) UpdateAdditionQuantity(ctx context.Context, agreementID, additionID, quantity int, lessIncluded *int) (Addition, error) {
	op := fmt.Sprintf("update addition %d of agreement %d", additionID, agreementID)
	if quantity < 0 {
		return Addition{}, c.invalidInput(op, fmt.Errorf("quantity %d is negative", quantity))
	}
	ops := []PatchOp{{Op: "replace", Path: "quantity", Value: quantity}}
	if lessIncluded != nil {
		if *lessIncluded < 0 {
			return Addition{}, c.invalidInput(op, fmt.Errorf("lessIncluded %d is negative", *lessIncluded))
		}
		ops = append(ops, PatchOp{Op: "replace", Path: "lessIncluded", Value: *lessIncluded})
	}
	a, err := c.PatchAddition(ctx, agreementID, additionID, ops)
	if err != nil {
		return a, err
	}
	if e := c.verify(op, "quantity", float64(quantity), a.Quantity); e != nil {
		return a, e
	}
	if lessIncluded != nil {
		if e := c.verify(op, "lessIncluded", float64(*lessIncluded), a.LessIncluded); e != nil {
			return a, e
		}
	}
	return a, nil
}

func (c *Client) verify(op, field string, sent float64, kept *float64) error {
	if kept != nil && math.Abs(*kept-sent) < 1e-9 {
		return nil
	}
	e := &Error{Kind: KindNotApplied, Op: op, Host: c.site.APIHost, Field: field, Sent: sent, Kept: kept}
	c.cfg.Logger.Warn("manage: change not applied", "op", op, "field", field, "sent", sent,
		"kept", numPtr(kept))
	return e
}

// NewAddition is what CreateAddition sends. ProductID and Quantity are required.
type NewAddition struct {
	ProductID     int
	Quantity      int
	LessIncluded  *int      // sent only when set
	BillCustomer  string    // Billable (default), DoNotBill or NoCharge
	EffectiveDate time.Time // zero: Manage's default
	UnitPrice     *float64  // nil: the catalog price
	UnitCost      *float64  // nil: the catalog cost
	Description   string    // "": the catalog description
}

// CreateAddition adds an addition to an agreement (opt-in: the app adopts existing ones).
// A POST is not idempotent, so it is only re-sent when it cannot have reached Manage (a 429
// or a failure to connect), never after a timeout or a 5xx.
func (c *Client) CreateAddition(ctx context.Context, agreementID int, in NewAddition) (Addition, error) {
	op := "create an addition on agreement " + strconv.Itoa(agreementID)
	if err := checkID(op, "agreement", agreementID); err != nil {
		return Addition{}, err
	}
	if err := checkID(op, "product", in.ProductID); err != nil {
		return Addition{}, err
	}
	if in.Quantity < 0 || (in.LessIncluded != nil && *in.LessIncluded < 0) {
		return Addition{}, c.invalidInput(op, fmt.Errorf("quantities cannot be negative"))
	}
	bill := in.BillCustomer
	switch bill {
	case "":
		bill = "Billable"
	case "Billable", "DoNotBill", "NoCharge":
	default:
		return Addition{}, c.invalidInput(op, fmt.Errorf("billCustomer %q: use Billable, DoNotBill or NoCharge", bill))
	}
	body := map[string]any{
		"product":      map[string]int{"id": in.ProductID},
		"billCustomer": bill,
		"quantity":     in.Quantity,
	}
	if in.LessIncluded != nil {
		body["lessIncluded"] = *in.LessIncluded
	}
	if !in.EffectiveDate.IsZero() {
		body["effectiveDate"] = in.EffectiveDate.UTC().Format(time.RFC3339)
	}
	if in.UnitPrice != nil {
		body["unitPrice"] = *in.UnitPrice
	}
	if in.UnitCost != nil {
		body["unitCost"] = *in.UnitCost
	}
	if in.Description != "" {
		body["description"] = in.Description
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return Addition{}, c.invalidInput(op, err)
	}
	cl := &call{op: op, method: http.MethodPost, path: additionsPath(agreementID), body: raw}
	r, err := c.do(ctx, cl)
	if err != nil {
		return Addition{}, err
	}
	var a Addition
	if err := c.decode(cl, r, &a); err != nil {
		return a, err
	}
	if e := c.verify(op, "quantity", float64(in.Quantity), a.Quantity); e != nil {
		return a, e
	}
	return a, nil
}
