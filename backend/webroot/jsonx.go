package webroot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Tolerant decoders for the data-format quirks of webroot-api.md §7.

// parseTime accepts .NET round-trip times (0–7 fractional digits), with or without a zone;
// a time without a zone is UTC.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time", s)
}

// wTime is a time on the wire.
type wTime struct{ time.Time }

func (t *wTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string: %w", err)
	}
	v, err := parseTime(s)
	t.Time = v
	return err
}

// wInt is an integer on the wire that may be missing, null, a float with no fraction or a
// numeric string. Set tells a missing count from a zero one (§7: flag missing counts).
type wInt struct {
	Value int
	Set   bool
}

func (n *wInt) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*n = wInt{}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return fmt.Errorf("%s is not a number", b)
		}
		if f, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
	}
	if f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return fmt.Errorf("%v is not a whole number", f)
	}
	*n = wInt{Value: int(f), Set: true}
	return nil
}

// wBool accepts true/false, null and "true"/"false" strings.
type wBool bool

func (v *wBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.ToLower(string(b)), `"`)
	switch s {
	case "true", "1":
		*v = true
	case "false", "0", "null", "":
		*v = false
	default:
		return fmt.Errorf("%s is not true or false", b)
	}
	return nil
}

// wString accepts a string, null, or anything else as its JSON text; used for fields a
// public C# model types as object (§3.2: Emails). Arrays of strings are joined.
type wString string

func (v *wString) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*v = wString(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*v = ""
		return nil
	}
	var list []string
	if json.Unmarshal(b, &list) == nil {
		*v = wString(strings.Join(list, ", "))
		return nil
	}
	*v = wString(b)
	return nil
}

// Module is one product-line entitlement on a console or site (DNSP, WSAT). It carries no
// usage counts (§8).
type Module struct {
	Type        string    `json:"Type"`
	LicenseType string    `json:"LicenseType"`
	Seats       int       `json:"Seats,omitempty"`
	EndDate     time.Time `json:"EndDate"`
}

// decodeModules accepts an array, a single object, or null; anything else is ignored
// because Modules is typed object in a public model (§3.2) and is informational only.
func decodeModules(raw json.RawMessage) []Module {
	var wire []struct {
		Type        string `json:"Type"`
		LicenseType string `json:"LicenseType"`
		Seats       wInt   `json:"Seats"`
		EndDate     wTime  `json:"EndDate"`
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		trimmed = append(append([]byte{'['}, trimmed...), ']')
	}
	if len(trimmed) == 0 || json.Unmarshal(trimmed, &wire) != nil {
		return nil
	}
	out := make([]Module, 0, len(wire))
	for _, w := range wire {
		out = append(out, Module{Type: w.Type, LicenseType: w.LicenseType, Seats: w.Seats.Value, EndDate: w.EndDate.Time})
	}
	return out
}
