package syncer

import "testing"

func TestBillChangePricesTheBilledQuantity(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		name string
		c    Change
		want float64
		ok   bool
	}{
		{"seats up", Change{Before: f(10), After: 14, UnitPrice: f(3.5)}, 14, true},
		{"seats down", Change{Before: f(20), After: 18, UnitPrice: f(3.5)}, -7, true},
		{"Less Included mapped: billed 5 → 6", Change{Before: f(10), After: 14, LessIncludedBefore: f(5), LessIncluded: n(8), UnitPrice: f(3.5)}, 3.5, true},
		{"Less Included not mapped stays: billed 0 → 2", Change{Before: f(10), After: 14, LessIncludedBefore: f(12), UnitPrice: f(3.5)}, 7, true},
		{"cents rounded", Change{Before: f(1), After: 4, UnitPrice: f(0.333)}, 1, true},
		{"no price", Change{Before: f(10), After: 14}, 0, false},
		{"no current quantity", Change{After: 14, UnitPrice: f(3.5)}, 0, false},
	} {
		got, ok := tc.c.BillChange()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %v %v, want %v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
