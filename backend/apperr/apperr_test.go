package apperr

import (
	"errors"
	"fmt"
	"testing"
)

type ruleErr struct{}

func (ruleErr) Error() string { return "addition belongs to another agreement" }
func (ruleErr) FieldErrors() []FieldError {
	return []FieldError{{Field: "Addition", Message: "belongs to another agreement"}}
}

func TestFormat(t *testing.T) {
	var v Validation
	v.Add("Company Name", "Enter your company's name.")
	p := Format(fmt.Errorf("sign-up: %w", v.Err())).(Payload)
	if len(p.Fields) != 1 || p.Fields[0].Field != "Company Name" {
		t.Fatalf("validation payload %+v", p)
	}
	p = Format(fmt.Errorf("saving: %w", ruleErr{})).(Payload)
	if len(p.Fields) != 1 || p.Fields[0].Field != "Addition" || p.Message == "" {
		t.Fatalf("fielder payload %+v", p)
	}
	p = Format(FieldError{Field: "Theme", Message: "bad"}).(Payload)
	if p.Fields[0].Field != "Theme" {
		t.Fatalf("field payload %+v", p)
	}
	p = Format(errors.New("plain")).(Payload)
	if p.Message != "plain" || p.Fields != nil {
		t.Fatalf("plain payload %+v", p)
	}
	if (&Validation{}).Err() != nil {
		t.Fatal("empty validation is an error")
	}
}
