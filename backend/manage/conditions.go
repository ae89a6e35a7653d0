package manage

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Cond is a conditions expression (manage-api.md §5.1). Build it with Eq, Like, And… so
// values are always quoted and escaped; the zero Cond means "no condition". A Cond built from
// a bad field name or value carries the error, which the call that uses it returns.
type Cond struct {
	expr     string
	compound bool // an and/or chain: parenthesised when nested in another
	err      error
}

// String is the expression as sent in the conditions parameter.
func (c Cond) String() string { return c.expr }

// Err is the construction error, if any.
func (c Cond) Err() error { return c.err }

// IsZero reports an empty condition.
func (c Cond) IsZero() bool { return c.expr == "" && c.err == nil }

var fieldPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$`)

// Quote makes a conditions string literal: double quotes, with backslash escaping for the
// backslash and the double quote, so a company named O"Brien \ Sons stays one value.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// Literal formats a Go value as a conditions value: strings quoted, numbers bare,
// booleans true/false, nil as null and times as [2025-06-01T00:00:00Z] in UTC.
func Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case string:
		return Quote(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float32:
		return formatFloat(float64(x))
	case float64:
		return formatFloat(x)
	case time.Time:
		return "[" + x.UTC().Format("2006-01-02T15:04:05Z") + "]", nil
	}
	return "", fmt.Errorf("conditions cannot hold a %T value", v)
}

func formatFloat(f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("conditions cannot hold %v", f)
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

func compare(field, op string, value any) Cond {
	if !fieldPattern.MatchString(field) {
		return Cond{err: fmt.Errorf("%q is not a field name", field)}
	}
	lit, err := Literal(value)
	if err != nil {
		return Cond{err: fmt.Errorf("%s: %w", field, err)}
	}
	return Cond{expr: field + op + lit}
}

// Eq is field = value; Eq("cancelledDate", nil) is cancelledDate=null.
func Eq(field string, value any) Cond { return compare(field, "=", value) }

// Ne is field != value.
func Ne(field string, value any) Cond { return compare(field, "!=", value) }

// Lt is field < value.
func Lt(field string, value any) Cond { return compare(field, "<", value) }

// Le is field <= value.
func Le(field string, value any) Cond { return compare(field, "<=", value) }

// Gt is field > value.
func Gt(field string, value any) Cond { return compare(field, ">", value) }

// Ge is field >= value.
func Ge(field string, value any) Cond { return compare(field, ">=", value) }

// IsNull is field = null.
func IsNull(field string) Cond { return Eq(field, nil) }

// NotNull is field != null.
func NotNull(field string) Cond { return Ne(field, nil) }

// Like is field like "pattern", where * matches any run of characters (the pattern is
// quoted and escaped, its * kept as wildcards).
func Like(field, pattern string) Cond { return compare(field, " like ", pattern) }

// StartsWith is field like "prefix*".
func StartsWith(field, prefix string) Cond { return Like(field, prefix+"*") }

// Contains is field contains "text".
func Contains(field, text string) Cond { return compare(field, " contains ", text) }

// In is field in (v1, v2, …). With no values it matches nothing, as SQL's in () would.
func In[T any](field string, values ...T) Cond {
	if !fieldPattern.MatchString(field) {
		return Cond{err: fmt.Errorf("%q is not a field name", field)}
	}
	if len(values) == 0 {
		return Cond{err: fmt.Errorf("%s in (): the list is empty", field)}
	}
	lits := make([]string, len(values))
	for i, v := range values {
		lit, err := Literal(v)
		if err != nil {
			return Cond{err: fmt.Errorf("%s: %w", field, err)}
		}
		lits[i] = lit
	}
	return Cond{expr: field + " in (" + strings.Join(lits, ", ") + ")"}
}

// And joins conditions with and; zero conditions are skipped.
func And(conds ...Cond) Cond { return join(" and ", conds) }

// Or joins conditions with or; zero conditions are skipped.
func Or(conds ...Cond) Cond { return join(" or ", conds) }

func join(op string, conds []Cond) Cond {
	var kept []Cond
	for _, c := range conds {
		if c.err != nil {
			return c
		}
		if c.expr != "" {
			kept = append(kept, c)
		}
	}
	switch len(kept) {
	case 0:
		return Cond{}
	case 1:
		return kept[0]
	}
	parts := make([]string, len(kept))
	for i, c := range kept {
		parts[i] = c.expr
		if c.compound {
			// Nested chains keep their own grouping; and/or precedence is never relied on.
			parts[i] = "(" + c.expr + ")"
		}
	}
	return Cond{expr: strings.Join(parts, op), compound: true}
}

// Raw wraps an expression written by hand; it is sent as is, so never build one from input.
func Raw(expr string) Cond {
	expr = strings.TrimSpace(expr)
	return Cond{expr: expr, compound: strings.ContainsAny(expr, " ")}
}

// ActiveAgreements matches agreements the app may write to: not cancelled and Active, as in
// the documented agreement query.
func ActiveAgreements() Cond {
	return And(Eq("cancelledFlag", false), Eq("agreementStatus", "Active"))
}

// CurrentAdditions matches additions not cancelled at now: no cancelledDate, or one still in
// the future.
func CurrentAdditions(now time.Time) Cond {
	return Or(IsNull("cancelledDate"), Gt("cancelledDate", now))
}
