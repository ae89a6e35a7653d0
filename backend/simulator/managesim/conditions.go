package managesim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The conditions language (manage-api.md §5.1): comparisons `= != < <= > >=`, `like` with
// `*` wildcards (`%` is accepted too), `contains`, `in (…)`, `not`, `and`/`or` in any case,
// parentheses, strings in double or single quotes with backslash escapes, bare numbers,
// true/false in any case, null, [datetimes] and a/b reference paths.

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokDate
	tokOp
	tokLParen
	tokRParen
	tokComma
)

type token struct {
	kind tokKind
	text string // identifiers keep their case; keywords are compared case-insensitively
	pos  int
}

func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
		case c == ',':
			toks = append(toks, token{tokComma, ",", i})
			i++
		case c == '"' || c == '\'':
			s, n, err := lexString(src[i:])
			if err != nil {
				return nil, fmt.Errorf("at position %d: %w", i+1, err)
			}
			toks = append(toks, token{tokString, s, i})
			i += n
		case c == '[':
			end := strings.IndexByte(src[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("at position %d: a date opened with [ is not closed", i+1)
			}
			toks = append(toks, token{tokDate, strings.TrimSpace(src[i+1 : i+end]), i})
			i += end + 1
		case c == '=' || c == '!' || c == '<' || c == '>':
			op := string(c)
			if i+1 < len(src) && (src[i+1] == '=' || (c == '<' && src[i+1] == '>')) {
				op += string(src[i+1])
			}
			if op == "!" {
				return nil, fmt.Errorf("at position %d: unexpected '!'", i+1)
			}
			toks = append(toks, token{tokOp, op, i})
			i += len(op)
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if _, err := strconv.ParseFloat(src[i:j], 64); err != nil {
				return nil, fmt.Errorf("at position %d: %q is not a number", i+1, src[i:j])
			}
			toks = append(toks, token{tokNumber, src[i:j], i})
			i = j
		case isIdentByte(c):
			j := i
			for j < len(src) && (isIdentByte(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '/') {
				j++
			}
			toks = append(toks, token{tokIdent, src[i:j], i})
			i = j
		default:
			return nil, fmt.Errorf("at position %d: unexpected character %q", i+1, rune(c))
		}
	}
	return append(toks, token{tokEOF, "", len(src)}), nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// lexString reads a quoted string; a backslash makes the next character literal.
func lexString(src string) (string, int, error) {
	quote := src[0]
	var b strings.Builder
	for i := 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			if i+1 >= len(src) {
				return "", 0, fmt.Errorf("a string ends with a lone backslash")
			}
			i++
			b.WriteByte(src[i])
		case quote:
			return b.String(), i + 1, nil
		default:
			b.WriteByte(src[i])
		}
	}
	return "", 0, fmt.Errorf("a string opened with %c is not closed", quote)
}

type litKind int

const (
	litString litKind = iota
	litNumber
	litBool
	litNull
	litDate
)

type literal struct {
	kind litKind
	s    string
	n    float64
	b    bool
	t    time.Time
}

// cond is a parsed condition tree.
type cond interface {
	match(d doc) bool
}

type andCond struct{ l, r cond }
type orCond struct{ l, r cond }
type notCond struct{ c cond }
type cmpCond struct {
	path []string
	op   string // = != < <= > >= like contains in
	vals []literal
}

func (c andCond) match(d doc) bool { return c.l.match(d) && c.r.match(d) }
func (c orCond) match(d doc) bool  { return c.l.match(d) || c.r.match(d) }
func (c notCond) match(d doc) bool { return !c.c.match(d) }

type parser struct {
	toks   []token
	i      int
	fields map[string]bool
}

// parseConditions parses a conditions string; fields lists the resource's known top-level
// fields (nil accepts any).
func parseConditions(src string, fields map[string]bool) (cond, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, fields: fields}
	c, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, fmt.Errorf("at position %d: unexpected %q", t.pos+1, t.text)
	}
	return c, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) keyword(word string) bool {
	t := p.peek()
	if t.kind == tokIdent && strings.EqualFold(t.text, word) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expr() (cond, error) {
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = orCond{l, r}
	}
	return l, nil
}

func (p *parser) andExpr() (cond, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = andCond{l, r}
	}
	return l, nil
}

func (p *parser) unary() (cond, error) {
	if p.keyword("not") {
		c, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notCond{c}, nil
	}
	if p.peek().kind == tokLParen {
		p.next()
		c, err := p.expr()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tokRParen {
			return nil, fmt.Errorf("at position %d: expected ')'", t.pos+1)
		}
		return c, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (cond, error) {
	t := p.next()
	if t.kind != tokIdent || isKeyword(t.text) {
		return nil, fmt.Errorf("at position %d: expected a field name, found %q", t.pos+1, t.text)
	}
	path := strings.Split(t.text, "/")
	if p.fields != nil && !p.fields[path[0]] {
		return nil, fmt.Errorf("unknown field %q", t.text)
	}
	negate := p.keyword("not")
	var c cmpCond
	c.path = path
	op := p.peek()
	switch {
	case op.kind == tokOp:
		p.next()
		c.op = op.text
		if c.op == "<>" {
			c.op = "!="
		}
	case p.keyword("like"):
		c.op = "like"
	case p.keyword("contains"):
		c.op = "contains"
	case p.keyword("in"):
		c.op = "in"
	default:
		return nil, fmt.Errorf("at position %d: expected an operator after %q", op.pos+1, t.text)
	}
	if c.op == "in" {
		if t := p.next(); t.kind != tokLParen {
			return nil, fmt.Errorf("at position %d: expected '(' after in", t.pos+1)
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.vals = append(c.vals, v)
			t := p.next()
			if t.kind == tokRParen {
				break
			}
			if t.kind != tokComma {
				return nil, fmt.Errorf("at position %d: expected ',' or ')' in a list", t.pos+1)
			}
		}
	} else {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.vals = []literal{v}
	}
	if negate {
		return notCond{c}, nil
	}
	return c, nil
}

func isKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "and", "or", "not", "like", "contains", "in", "null", "true", "false":
		return true
	}
	return false
}

func (p *parser) value() (literal, error) {
	t := p.next()
	switch t.kind {
	case tokString:
		return literal{kind: litString, s: t.text}, nil
	case tokNumber:
		n, _ := strconv.ParseFloat(t.text, 64)
		return literal{kind: litNumber, n: n}, nil
	case tokDate:
		tm, err := parseTime(t.text)
		if err != nil {
			return literal{}, fmt.Errorf("at position %d: [%s] is not a date-time", t.pos+1, t.text)
		}
		return literal{kind: litDate, t: tm}, nil
	case tokIdent:
		switch strings.ToLower(t.text) {
		case "null":
			return literal{kind: litNull}, nil
		case "true":
			return literal{kind: litBool, b: true}, nil
		case "false":
			return literal{kind: litBool, b: false}, nil
		}
	}
	return literal{}, fmt.Errorf("at position %d: expected a value, found %q", t.pos+1, t.text)
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date-time: %q", s)
}

// lookup walks a reference path such as company/id through a document.
func lookup(d doc, path []string) any {
	var cur any = d
	for _, p := range path {
		m, ok := cur.(doc)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (c cmpCond) match(d doc) bool {
	v := lookup(d, c.path)
	if c.op == "in" {
		for _, lit := range c.vals {
			if compare(v, "=", lit) {
				return true
			}
		}
		return false
	}
	return compare(v, c.op, c.vals[0])
}

// compare follows SQL: a missing (null) field only matches `= null`; `!= null` matches set
// fields; every other comparison with null is false.
func compare(v any, op string, lit literal) bool {
	if lit.kind == litNull {
		switch op {
		case "=":
			return v == nil
		case "!=":
			return v != nil
		}
		return false
	}
	if v == nil {
		return false
	}
	switch lit.kind {
	case litString:
		if s, ok := v.(string); ok {
			return compareStrings(s, op, lit.s)
		}
		if n, ok := toNumber(v); ok {
			if f, err := strconv.ParseFloat(lit.s, 64); err == nil {
				return ordered(cmpFloat(n, f), op)
			}
		}
		if b, ok := v.(bool); ok {
			if lb, err := strconv.ParseBool(lit.s); err == nil {
				return equality(b == lb, op)
			}
		}
		return false
	case litNumber:
		n, ok := toNumber(v)
		if !ok {
			return false
		}
		return ordered(cmpFloat(n, lit.n), op)
	case litBool:
		b, ok := v.(bool)
		if !ok {
			return false
		}
		return equality(b == lit.b, op)
	case litDate:
		s, ok := v.(string)
		if !ok {
			return false
		}
		t, err := parseTime(s)
		if err != nil {
			return false
		}
		return ordered(t.Compare(lit.t), op)
	}
	return false
}

func compareStrings(s, op, lit string) bool {
	switch op {
	case "like":
		return globMatch(strings.ToLower(lit), strings.ToLower(s))
	case "contains":
		return strings.Contains(strings.ToLower(s), strings.ToLower(lit))
	}
	// Manage runs on SQL Server with a case-insensitive collation.
	return ordered(strings.Compare(strings.ToLower(s), strings.ToLower(lit)), op)
}

func ordered(c int, op string) bool {
	switch op {
	case "=", "like":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func equality(eq bool, op string) bool {
	switch op {
	case "=", "like":
		return eq
	case "!=":
		return !eq
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func toNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// globMatch matches s against a pattern where `*` and `%` stand for any run of characters.
func globMatch(pattern, s string) bool {
	if !strings.ContainsAny(pattern, "*%") {
		return pattern == s
	}
	// Iterative wildcard matching with backtracking to the last star.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '*' || pattern[p] == '%'):
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && (pattern[p] == '*' || pattern[p] == '%') {
		p++
	}
	return p == len(pattern)
}
