package managesim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// fieldKind says how a writable addition field's value is checked.
type fieldKind int

const (
	kindQuantity fieldKind = iota // a number ≥ 0; also accepted as a numeric string
	kindNumber                    // any number (prices)
	kindString
	kindBillCustomer
	kindDate
	kindBool
	kindProduct
)

var writableAdditionFields = map[string]fieldKind{
	"quantity": kindQuantity, "lessIncluded": kindQuantity,
	"unitPrice": kindNumber, "unitCost": kindNumber,
	"billCustomer": kindBillCustomer, "description": kindString,
	"invoiceDescription": kindString, "serialNumber": kindString,
	"effectiveDate": kindDate, "cancelledDate": kindDate,
	"taxableFlag": kindBool, "product": kindProduct,
}

// change is one validated assignment, applied only once every operation is valid.
type change func(a *Addition)

func requireJSON(r *http.Request) *apiError {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &apiError{status: http.StatusUnsupportedMediaType, code: "UnsupportedMediaType",
			message: "The request body must be sent as application/json"}
	}
	return nil
}

// patchAddition applies a JSON-patch array (manage-api.md §6). Paths may carry a leading
// slash and numbers may come as numeric strings, as public scripts send them. A path inside a
// reference (product/id) is ignored with a 200, the "false 200" the DG warns about.
func (s *Server) patchAddition(w http.ResponseWriter, r *http.Request, agreementID, id int, body []byte, falseOK bool) *apiError {
	if e := requireJSON(r); e != nil {
		return e
	}
	var ops []map[string]json.RawMessage
	if err := json.Unmarshal(body, &ops); err != nil {
		return badRequest("The request body must be an array of patch operations: " + err.Error())
	}
	var changes []change
	var errs []validationError
	for i, op := range ops {
		c, verr := s.patchOp(op)
		if verr != nil {
			verr.Message = fmt.Sprintf("operation %d: %s", i+1, verr.Message)
			errs = append(errs, *verr)
		} else if c != nil {
			changes = append(changes, c)
		}
	}
	if len(errs) > 0 {
		return invalidObject("Addition", errs...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.data.additions[id]
	if !ok || a.AgreementID != agreementID {
		return notFound("Addition " + strconv.Itoa(id))
	}
	if !falseOK {
		for _, c := range changes {
			c(a)
		}
		a.LastUpdated = s.now().UTC()
		a.UpdatedBy = s.opts.PublicKey
	}
	writeJSON(w, http.StatusOK, s.data.additionDoc(a))
	return nil
}

func (s *Server) patchOp(op map[string]json.RawMessage) (change, *validationError) {
	var name, path string
	_ = json.Unmarshal(op["op"], &name)
	_ = json.Unmarshal(op["path"], &path)
	path = strings.TrimPrefix(path, "/")
	verr := func(code, msg string) *validationError {
		return &validationError{Code: code, Message: msg, Field: path}
	}
	name = strings.ToLower(name)
	if name != "add" && name != "replace" && name != "remove" {
		return nil, verr("InvalidOperation", fmt.Sprintf("op %q must be add, replace or remove", name))
	}
	if path == "" {
		return nil, verr("MissingRequiredField", "path is required")
	}
	top, _, nested := strings.Cut(path, "/")
	kind, writable := writableAdditionFields[top]
	switch {
	case !additionFields[top]:
		return nil, verr("InvalidField", fmt.Sprintf("%q is not a field of Addition", top))
	case nested || !writable:
		return nil, nil // accepted and ignored: the false 200
	}
	if name == "remove" {
		return removeField(path)
	}
	raw, has := op["value"]
	if !has {
		return nil, verr("MissingRequiredField", "value is required for "+name)
	}
	return s.setField(path, kind, raw)
}

func removeField(path string) (change, *validationError) {
	switch path {
	case "lessIncluded":
		return func(a *Addition) { a.LessIncluded = nil }, nil
	case "cancelledDate":
		return func(a *Addition) { a.CancelledDate = time.Time{} }, nil
	case "description", "invoiceDescription", "serialNumber":
		return func(a *Addition) { setString(a, path, "") }, nil
	}
	return nil, &validationError{Code: "InvalidOperation", Message: path + " cannot be removed", Field: path}
}

func (s *Server) setField(path string, kind fieldKind, raw json.RawMessage) (change, *validationError) {
	verr := func(msg string) *validationError {
		return &validationError{Code: "InvalidField", Message: msg, Field: path}
	}
	isNull := bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	switch kind {
	case kindQuantity, kindNumber:
		if isNull && path == "lessIncluded" {
			return func(a *Addition) { a.LessIncluded = nil }, nil
		}
		v, ok := number(raw)
		if !ok {
			return nil, verr(fmt.Sprintf("%s must be a number, not %s", path, raw))
		}
		if kind == kindQuantity && v < 0 {
			return nil, verr(fmt.Sprintf("%s must be zero or more, not %v", path, v))
		}
		return func(a *Addition) { setNumber(a, path, v) }, nil
	case kindString, kindBillCustomer:
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, verr(path + " must be a string")
		}
		if kind == kindBillCustomer && !validBillCustomer(v) {
			return nil, verr("billCustomer must be Billable, DoNotBill or NoCharge")
		}
		return func(a *Addition) { setString(a, path, v) }, nil
	case kindDate:
		if isNull && path == "cancelledDate" {
			return func(a *Addition) { a.CancelledDate = time.Time{} }, nil
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, verr(path + " must be a date-time string")
		}
		t, err := parseTime(v)
		if err != nil {
			return nil, verr(path + " must be a date-time such as 2025-01-01T00:00:00Z")
		}
		return func(a *Addition) {
			if path == "effectiveDate" {
				a.EffectiveDate = t
			} else {
				a.CancelledDate = t
			}
		}, nil
	case kindBool:
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, verr(path + " must be true or false")
		}
		return func(a *Addition) { a.Taxable = v }, nil
	case kindProduct:
		id, verr2 := s.productID(raw)
		if verr2 != nil {
			return nil, verr2
		}
		return func(a *Addition) { a.ProductID = id }, nil
	}
	return nil, verr(path + " cannot be changed")
}

// number accepts a JSON number or a numeric string ("42"), as django-connectwise sends.
func number(raw json.RawMessage) (float64, bool) {
	var f float64
	if err := json.Unmarshal(raw, &f); err == nil {
		return f, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f, true
		}
	}
	return 0, false
}

func setNumber(a *Addition, path string, v float64) {
	switch path {
	case "quantity":
		a.Quantity = v
	case "lessIncluded":
		a.LessIncluded = &v
	case "unitPrice":
		a.UnitPrice = v
	case "unitCost":
		a.UnitCost = v
	}
}

func setString(a *Addition, path, v string) {
	switch path {
	case "billCustomer":
		a.BillCustomer = v
	case "description":
		a.Description = v
	case "invoiceDescription":
		a.InvoiceDescription = v
	case "serialNumber":
		a.SerialNumber = v
	}
}

func validBillCustomer(v string) bool {
	return v == "Billable" || v == "DoNotBill" || v == "NoCharge"
}

// productID reads a product reference {"id":N} and checks the catalog has it.
func (s *Server) productID(raw json.RawMessage) (int, *validationError) {
	var ref struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil || ref.ID == 0 {
		return 0, &validationError{Code: "MissingRequiredField", Message: "product.id is required", Field: "product"}
	}
	s.mu.Lock()
	_, ok := s.data.catalog[ref.ID]
	s.mu.Unlock()
	if !ok {
		return 0, &validationError{Code: "InvalidField",
			Message: fmt.Sprintf("product %d is not in the catalog", ref.ID), Field: "product"}
	}
	return ref.ID, nil
}

// createAddition serves POST …/additions: product and billCustomer are required; prices and
// the description default from the catalog item, as Manage fills them in.
func (s *Server) createAddition(w http.ResponseWriter, r *http.Request, agreementID int, body []byte) *apiError {
	if e := requireJSON(r); e != nil {
		return e
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal(body, &in); err != nil || in == nil {
		return badRequest("The request body must be an Addition object")
	}
	var errs []validationError
	var a Addition
	if raw, ok := in["product"]; ok {
		id, verr := s.productID(raw)
		if verr != nil {
			errs = append(errs, *verr)
		}
		a.ProductID = id
	} else {
		errs = append(errs, validationError{Code: "MissingRequiredField", Message: "product is required", Field: "product"})
	}
	if err := json.Unmarshal(in["billCustomer"], &a.BillCustomer); err != nil || !validBillCustomer(a.BillCustomer) {
		errs = append(errs, validationError{Code: "MissingRequiredField",
			Message: "billCustomer is required: Billable, DoNotBill or NoCharge", Field: "billCustomer"})
	}
	for _, f := range []string{"quantity", "lessIncluded", "unitPrice", "unitCost", "effectiveDate", "description"} {
		raw, ok := in[f]
		if !ok {
			continue
		}
		c, verr := s.setField(f, writableAdditionFields[f], raw)
		if verr != nil {
			errs = append(errs, *verr)
			continue
		}
		c(&a)
	}
	if len(errs) > 0 {
		return invalidObject("Addition", errs...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.data.catalog[a.ProductID]
	if _, ok := in["unitPrice"]; !ok {
		a.UnitPrice = p.Price
	}
	if _, ok := in["unitCost"]; !ok {
		a.UnitCost = p.Cost
	}
	if a.Description == "" {
		a.Description = p.Description
	}
	now := s.now().UTC()
	if a.EffectiveDate.IsZero() {
		a.EffectiveDate = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	a.AgreementID = agreementID
	a.ID = s.data.nextID("addition", 0)
	a.LastUpdated, a.UpdatedBy = now, s.opts.PublicKey
	s.data.additions[a.ID] = &a
	writeJSON(w, http.StatusCreated, s.data.additionDoc(&a))
	return nil
}
