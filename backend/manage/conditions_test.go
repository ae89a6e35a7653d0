package manage

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCondBuilder(t *testing.T) {
	cases := []struct {
		c    Cond
		want string
	}{
		{Eq("name", `O"Brien \ Sons`), `name="O\"Brien \\ Sons"`},
		{Eq("company/id", 123), `company/id=123`},
		{Ne("agreementStatus", "Cancelled"), `agreementStatus!="Cancelled"`},
		{Eq("cancelledFlag", false), `cancelledFlag=false`},
		{IsNull("cancelledDate"), `cancelledDate=null`},
		{NotNull("cancelledDate"), `cancelledDate!=null`},
		{Gt("cancelledDate", time.Date(2025, 6, 1, 2, 0, 0, 0, time.FixedZone("x", 7200))), `cancelledDate>[2025-06-01T00:00:00Z]`},
		{Lt("quantity", 2.5), `quantity<2.5`},
		{Le("id", int64(9)), `id<=9`},
		{Ge("id", uint(9)), `id>=9`},
		{Like("name", "acme*"), `name like "acme*"`},
		{StartsWith("identifier", "WEBROOT"), `identifier like "WEBROOT*"`},
		{Contains("name", "it's"), `name contains "it's"`},
		{In("id", 3, 2, 4), `id in (3, 2, 4)`},
		{In("agreementStatus", "Active", `Ex"pired`), `agreementStatus in ("Active", "Ex\"pired")`},
		{And(Eq("a", 1), Cond{}, Eq("b", 2)), `a=1 and b=2`},
		{And(Eq("a", 1)), `a=1`},
		{And(), ``},
		{And(Eq("a", 1), Or(Eq("b", 2), Eq("c", 3))), `a=1 and (b=2 or c=3)`},
		{Or(And(Eq("a", 1), Eq("b", 2)), Eq("c", 3)), `(a=1 and b=2) or c=3`},
		{And(Raw(`x like "y"`), Eq("a", 1)), `(x like "y") and a=1`},
		{ActiveAgreements(), `cancelledFlag=false and agreementStatus="Active"`},
		{CurrentAdditions(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)), `cancelledDate=null or cancelledDate>[2025-06-01T00:00:00Z]`},
	}
	for _, tc := range cases {
		if tc.c.Err() != nil {
			t.Errorf("%q: unexpected error %v", tc.want, tc.c.Err())
		}
		if got := tc.c.String(); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
	for name, c := range map[string]Cond{
		"bad field":   Eq("name; drop", 1),
		"bad value":   Eq("name", struct{}{}),
		"NaN":         Eq("quantity", math.NaN()),
		"empty in":    In[int]("id"),
		"bad in":      In[any]("id", 1, struct{}{}),
		"nested bad":  And(Eq("a", 1), Or(Eq("b", 2), Eq("", 3))),
		"slash start": Eq("/company/id", 1),
	} {
		if c.Err() == nil {
			t.Errorf("%s: no error (%s)", name, c)
		}
	}
	if !(Cond{}).IsZero() || Eq("a", 1).IsZero() {
		t.Error("IsZero")
	}
}

// The builder's output must be parsed back by the simulator into the same value; escaping is
// the part most likely to go wrong.
func TestCondEscapingRoundTrip(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	for _, name := range []string{`O"Brien \ Sons`, "Pat's Bakery"} {
		got, err := e.c.ListCompanies(ctx(t), Query{Conditions: Eq("name", name)})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Name != name {
			t.Errorf("%s: got %+v", name, got)
		}
	}
	got, err := e.c.ListCompanies(ctx(t), Query{Conditions: And(StartsWith("name", "acme"), Eq("deletedFlag", false))})
	if err != nil || len(got) != 1 || got[0].ID != 5 {
		t.Errorf("acme* not deleted: %+v %v", got, err)
	}
	reqs := e.sim.RequestsTo("GET", "/company/companies")
	raw := reqs[0].RawQuery
	// url.Values.Encode: space as +, quotes and backslashes percent-encoded.
	if !strings.Contains(raw, "conditions=name%3D%22O%5C%22Brien+%5C%5C+Sons%22") {
		t.Errorf("encoded query %s", raw)
	}
}
