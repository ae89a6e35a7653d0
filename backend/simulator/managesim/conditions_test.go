package managesim

import (
	"strings"
	"testing"
)

func TestConditionsMatch(t *testing.T) {
	d := doc{
		"id": 871, "name": `O"Brien \ Sons`, "note": "it's here", "cancelledFlag": false,
		"agreementStatus": "Active", "cancelledDate": nil, "quantity": 42.0,
		"company":   doc{"id": 5, "identifier": "AcmeCorp", "name": "Acme Corporation"},
		"startDate": "2024-03-01T00:00:00Z",
	}
	cases := []struct {
		cond string
		want bool
	}{
		{`id=871`, true},
		{`id = 872`, false},
		{`id!=872`, true},
		{`id<>871`, false},
		{`id<900 and id>800`, true},
		{`id<=871 AND id>=871`, true},
		{`quantity>41.5`, true},
		{`company/id=5`, true},
		{`company/name like "acme*"`, true},
		{`company/name like "%corp%"`, true},
		{`company/name like "acme"`, false},
		{`company/name contains "CORP"`, true},
		{`company/identifier="acmecorp"`, true}, // case-insensitive collation
		{`name="O\"Brien \\ Sons"`, true},
		{`name='O"Brien \\ Sons'`, true},
		{`note='it\'s here'`, true},
		{`cancelledFlag=false`, true},
		{`cancelledFlag=False`, true},
		{`cancelledFlag=TRUE`, false},
		{`cancelledDate=null`, true},
		{`cancelledDate!=null`, false},
		{`cancelledDate>[2025-01-01T00:00:00Z]`, false}, // null compares false
		{`parentAgreement/id=null`, true},               // an absent reference is null
		{`startDate>[2024-01-01T00:00:00Z]`, true},
		{`startDate<[2024-01-01T00:00:00Z]`, false},
		{`id in (1, 871, 3)`, true},
		{`id in (1,2)`, false},
		{`agreementStatus in ("Expired", "active")`, true},
		{`id not in (1,2)`, true},
		{`name not like "x*"`, true},
		{`not id=871`, false},
		{`id=1 or id=871 and cancelledFlag=true`, false}, // and binds tighter
		{`(id=1 or id=871) and cancelledFlag=false`, true},
		{`id=1 OR (company/id=5 And agreementStatus="Active")`, true},
	}
	for _, tc := range cases {
		c, err := parseConditions(tc.cond, nil)
		if err != nil {
			t.Errorf("%s: parse error %v", tc.cond, err)
			continue
		}
		if got := c.match(d); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.cond, got, tc.want)
		}
	}
}

func TestConditionsErrors(t *testing.T) {
	known := fieldSet("id", "name", "company")
	cases := map[string]string{
		`name="open`:          "not closed",
		`name=`:               "expected a value",
		`id 5`:                "expected an operator",
		`id=5 id=6`:           "unexpected",
		`(id=5`:               "expected ')'",
		`bogus=1`:             "unknown field",
		`id in 5`:             "expected '('",
		`date>[2024-99-99]`:   "unknown field",
		`id>[not a date]`:     "not a date-time",
		`name="x\`:            "lone backslash",
		`id ! 5`:              "unexpected '!'",
		`id=5 and`:            "expected a field name",
		`name="a" # comment`:  "unexpected character",
		`company/id in (1,2`:  "expected ',' or ')'",
		`id=--1`:              "not a number",
		`and=1`:               "expected a field name",
		`id=5 or (name="a"))`: "unexpected",
	}
	for src, want := range cases {
		_, err := parseConditions(src, known)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got error %v, want one containing %q", src, err, want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"webroot*", "webroot-ep", true},
		{"*ep", "webroot-ep", true},
		{"w*t*p", "webroot-ep", true},
		{"w*x", "webroot-ep", false},
		{"%", "", true},
		{"a%c", "abbbc", true},
		{"abc", "abc", true},
		{"ab", "abc", false},
	}
	for _, tc := range cases {
		if got := globMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}
