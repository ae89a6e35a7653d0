// Package apperr carries errors that the user interface shows next to a form field or as a
// message, through Wails' ErrorFormatter, instead of a bare string.
package apperr

import (
	"errors"
	"strings"
)

// FieldError is a problem with one input field, named by the label the user sees.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Validation collects every field problem of one form, so the user sees them all at once.
type Validation struct {
	Fields []FieldError
}

// Add records a problem with a field.
func (v *Validation) Add(field, message string) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: message})
}

// Err returns nil when nothing was added, else the Validation itself.
func (v *Validation) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return v
}

func (v *Validation) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Error()
	}
	return strings.Join(parts, "; ")
}

// Payload is what the frontend receives for a failed call.
type Payload struct {
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// Fielder is implemented by domain errors that know which form fields they concern.
type Fielder interface {
	FieldErrors() []FieldError
}

// Format turns any error into the payload the frontend shows.
func Format(err error) any {
	var fe Fielder
	if errors.As(err, &fe) {
		return Payload{Message: err.Error(), Fields: fe.FieldErrors()}
	}
	var v *Validation
	if errors.As(err, &v) {
		return Payload{Message: "Please correct the highlighted fields.", Fields: v.Fields}
	}
	var f FieldError
	if errors.As(err, &f) {
		return Payload{Message: f.Error(), Fields: []FieldError{f}}
	}
	return Payload{Message: err.Error()}
}
