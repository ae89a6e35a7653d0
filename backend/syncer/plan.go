package syncer

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/webroot"
)

// agreementRead is what Manage answered for one agreement's additions.
type agreementRead struct {
	additions map[int64]manage.Addition
	err       error
}

// displayNames are the names history shows next to Manage and Webroot ids; they come from
// the caches and are informative only.
type displayNames struct {
	sites      map[string]string
	companies  map[int64]string
	agreements map[int64]string
}

// planMode says where changes go once planned.
type planMode struct {
	dryRun      bool
	autoApply   bool // changes that need no review are applied
	includeHeld bool // changes that need review are applied too
}

// planInput is everything the plan is made from; buildPlan makes no call.
type planInput struct {
	mappings    []mapping.Mapping
	sites       map[string]webroot.SiteCounts
	reads       map[int64]agreementRead
	names       displayNames
	reviewShare int
	mode        planMode
	now         time.Time
}

// buildPlan makes one change per mapped addition, ordered by company, agreement and
// addition.
func buildPlan(in planInput) []Change {
	groups := map[int64][]mapping.Mapping{}
	var order []int64
	for _, m := range in.mappings {
		if _, ok := groups[m.AdditionID]; !ok {
			order = append(order, m.AdditionID)
		}
		groups[m.AdditionID] = append(groups[m.AdditionID], m)
	}
	out := make([]Change, 0, len(order))
	for _, id := range order {
		out = append(out, planAddition(in, groups[id]))
	}
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.CompanyName), strings.ToLower(b.CompanyName)),
			cmp.Compare(a.CompanyID, b.CompanyID), cmp.Compare(a.AgreementID, b.AgreementID),
			cmp.Compare(a.AdditionID, b.AdditionID))
	})
	return out
}

// verdict collects what is wrong with an addition; the most serious kind wins.
type verdict struct {
	configErr []string // the mappings contradict each other
	blocked   []string
	errs      []string
	notes     []string // shown with the reason of a held change
}

func planAddition(in planInput, ms []mapping.Mapping) Change {
	first := ms[0]
	c := Change{AdditionID: first.AdditionID, AgreementID: first.AgreementID, CompanyID: first.CompanyID,
		CompanyName: in.names.companies[first.CompanyID], AgreementName: in.names.agreements[first.AgreementID]}
	var v verdict
	c.Product, c.Basis = productAndBasis(ms)
	for _, m := range ms[1:] {
		if m.AgreementID != first.AgreementID || m.CompanyID != first.CompanyID {
			v.configErr = append(v.configErr, fmt.Sprintf("its mappings point at different agreements (%d and %d): fix them on the Mappings page",
				first.AgreementID, m.AgreementID))
			break
		}
	}
	var err string
	if c.LessIncluded, err = agreedValue(ms, func(m mapping.Mapping) *int { return m.LessIncluded }, "Less Included"); err != "" {
		v.configErr = append(v.configErr, err)
	}
	if c.Minimum, err = agreedValue(ms, func(m mapping.Mapping) *int { return m.Minimum }, "minimum"); err != "" {
		v.configErr = append(v.configErr, err)
	}
	sum := 0
	for _, m := range ms {
		sc := countSite(in, m, &v)
		sum += sc.Count
		c.Sites = append(c.Sites, sc)
	}
	c.Proposed = sum
	if c.Minimum != nil && sum < *c.Minimum {
		c.Proposed = *c.Minimum
		v.notes = append(v.notes, fmt.Sprintf("raised from %d to the minimum of %d", sum, *c.Minimum))
	}
	c.After = c.Proposed
	readManage(in, &c, &v)
	decide(in, &c, v)
	return c
}

// productAndBasis names the product line and the basis of an addition's mappings.
func productAndBasis(ms []mapping.Mapping) (product, basis string) {
	var products []string
	basis = ms[0].CountBasis
	for _, m := range ms {
		if !slices.Contains(products, m.Product) {
			products = append(products, m.Product)
		}
		if m.CountBasis != basis {
			basis = "mixed"
		}
	}
	slices.Sort(products)
	return strings.Join(products, "+"), basis
}

// agreedValue is the one value the mappings set for a per-addition option; different
// values are a configuration problem the user must settle, never a guess.
func agreedValue(ms []mapping.Mapping, get func(mapping.Mapping) *int, label string) (*int, string) {
	var val *int
	var seen []string
	for _, m := range ms {
		p := get(m)
		if p == nil {
			continue
		}
		if val == nil {
			v := *p
			val = &v
		}
		if s := strconv.Itoa(*p); !slices.Contains(seen, s) {
			seen = append(seen, s)
		}
	}
	if len(seen) > 1 {
		return val, fmt.Sprintf("its mappings set different %s values (%s): set one value on the Mappings page", label, strings.Join(seen, ", "))
	}
	return val, ""
}

// countSite reads one mapped site's count on its basis.
func countSite(in planInput, m mapping.Mapping, v *verdict) SiteCount {
	sc := SiteCount{SiteID: m.SiteID, Basis: m.CountBasis, SiteName: in.names.sites[m.SiteID]}
	site, ok := in.sites[m.SiteID]
	if !ok {
		sc.Note = "no longer in Webroot"
		v.blocked = append(v.blocked, fmt.Sprintf("GSM site %s is no longer in Webroot: remove or change its mapping", siteLabel(sc)))
		return sc
	}
	if site.Name != "" {
		sc.SiteName = site.Name
	}
	basis := webroot.Basis(m.CountBasis)
	n, ok := site.Count(basis)
	sc.Count = n
	if ok {
		return sc
	}
	switch {
	case site.Errors[basis] != "":
		sc.Count = 0
		sc.Note = "count failed"
		v.errs = append(v.errs, fmt.Sprintf("site %s could not be counted: %s", siteLabel(sc), site.Errors[basis]))
	case slices.Contains(site.Missing, basis):
		sc.Count = 0
		sc.Note = "missing from the " + basis.Label() + " report: counted as 0"
		v.notes = append(v.notes, fmt.Sprintf("site %s is %s", siteLabel(sc), sc.Note))
	case site.Deactivated:
		sc.Count = 0
		sc.Note = "site deactivated: counted as 0"
	default:
		v.errs = append(v.errs, fmt.Sprintf("Webroot gave no %s count for site %s", basis.Label(), siteLabel(sc)))
	}
	return sc
}

func siteLabel(sc SiteCount) string {
	if sc.SiteName == "" {
		return sc.SiteID
	}
	return fmt.Sprintf("%q", sc.SiteName)
}

// readManage fills in what Manage holds for the addition, or why it cannot be written.
func readManage(in planInput, c *Change, v *verdict) {
	read, ok := in.reads[c.AgreementID]
	switch {
	case !ok:
		v.errs = append(v.errs, fmt.Sprintf("agreement %d was not read", c.AgreementID))
		return
	case read.err != nil && manage.IsKind(read.err, manage.KindNotFound):
		v.blocked = append(v.blocked, fmt.Sprintf("agreement %d is missing in ConnectWise (deleted?): map the addition of a current agreement", c.AgreementID))
		return
	case read.err != nil:
		v.errs = append(v.errs, fmt.Sprintf("agreement %d could not be read: %s", c.AgreementID, userMessage(read.err)))
		return
	}
	a, ok := read.additions[c.AdditionID]
	if !ok {
		v.blocked = append(v.blocked, fmt.Sprintf("addition %d is no longer on agreement %d (deleted in ConnectWise?): map another addition", c.AdditionID, c.AgreementID))
		return
	}
	before := a.QuantityValue()
	c.Before = &before
	c.LessIncludedBefore = a.LessIncluded
	c.UnitPrice = a.UnitPrice
	if a.Product != nil {
		c.ProductIdentifier = a.Product.Identifier
	}
	if a.CancelledAt(in.now) {
		v.blocked = append(v.blocked, fmt.Sprintf("addition %d was cancelled on %s: map a current addition", c.AdditionID, a.CancelledDate.UTC().Format("2006-01-02")))
	}
	switch s := strings.ToLower(a.AgreementStatus); s {
	case "cancelled", "expired", "inactive":
		v.blocked = append(v.blocked, fmt.Sprintf("agreement %d is %s: map the addition of an active agreement", c.AgreementID, s))
	}
}

// decide turns the verdict into the change's plan, state and reason.
func decide(in planInput, c *Change, v verdict) {
	switch {
	case len(v.configErr) > 0:
		c.Plan, c.State, c.Reason = PlanError, StateError, sentence(v.configErr)
		return
	case len(v.blocked) > 0:
		c.Plan, c.State, c.Reason = PlanBlocked, StateBlocked, sentence(v.blocked)
		return
	case len(v.errs) > 0:
		c.Plan, c.State, c.Reason = PlanError, StateError, sentence(v.errs)
		return
	}
	before := *c.Before
	lessSame := c.LessIncluded == nil || (c.LessIncludedBefore != nil && sameQty(*c.LessIncludedBefore, float64(*c.LessIncluded)))
	if sameQty(before, float64(c.After)) && lessSame {
		c.Plan, c.State = PlanUnchanged, StateUnchanged
		return
	}
	if why := reviewReason(before, c.After, in.reviewShare); why != "" {
		c.Plan, c.Reason = PlanNeedsReview, sentence(append([]string{why}, v.notes...))
		c.State = stateFor(in.mode, true)
		return
	}
	c.Plan = PlanChange
	c.State = stateFor(in.mode, false)
	notes := v.notes
	if c.State == StateHeld {
		notes = append([]string{"\"Apply automatically\" is off: approve it to apply"}, notes...)
	}
	c.Reason = sentence(notes)
}

// reviewReason says why a move from before to after needs review, "" when it does not:
// a drop to 0, or a move larger than share % of the current quantity (PRODUCT.md §2.4).
func reviewReason(before float64, after, share int) string {
	delta := float64(after) - before
	if sameQty(delta, 0) {
		return ""
	}
	if after == 0 {
		return fmt.Sprintf("drops from %s to 0", fmtQty(before))
	}
	limit := before * float64(share) / 100
	if math.Abs(delta) <= limit+1e-9 {
		return ""
	}
	if sameQty(before, 0) {
		return fmt.Sprintf("goes from 0 to %d, more than the %d %% review threshold allows", after, share)
	}
	sign := ""
	if delta > 0 {
		sign = "+"
	}
	return fmt.Sprintf("moves by %s%s (%s%.0f %%) from %s to %d, more than the %d %% review threshold",
		sign, fmtQty(delta), sign, delta/before*100, fmtQty(before), after, share)
}

// stateFor is where a planned change goes in this run.
func stateFor(m planMode, needsReview bool) string {
	apply := m.includeHeld || (!needsReview && m.autoApply)
	switch {
	case !apply:
		return StateHeld
	case m.dryRun:
		return StatePlanned
	}
	return StatePending
}

func sameQty(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// fmtQty writes a quantity without decimals when it is whole (Manage stores doubles).
func fmtQty(q float64) string {
	return strconv.FormatFloat(q, 'f', -1, 64)
}

// sentence joins reasons into one sentence starting with a capital letter.
func sentence(parts []string) string {
	s := strings.Join(parts, "; ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
