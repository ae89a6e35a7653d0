package syncer

import (
	"math"
	"time"
)

// Trigger says what started a run.
type Trigger string

// Triggers, as history and its CSV name them.
const (
	TriggerSchedule Trigger = "schedule"
	TriggerUser     Trigger = "user"
	TriggerCLI      Trigger = "cli"
)

// Valid reports a known trigger.
func (t Trigger) Valid() bool {
	return t == TriggerSchedule || t == TriggerUser || t == TriggerCLI
}

// Run statuses. Planning and applying are transient; the others are final.
const (
	StatusPlanning  = "planning"
	StatusApplying  = "applying"
	StatusSucceeded = "succeeded"
	StatusPartial   = "partial"
	StatusFailed    = "failed"
	StatusNoChanges = "no_changes"
)

// Plan verdicts (PRODUCT.md §2.4): what the plan concluded for one addition.
const (
	PlanUnchanged   = "unchanged"
	PlanChange      = "change"
	PlanNeedsReview = "needs_review"
	PlanBlocked     = "blocked"
	PlanError       = "error"
)

// Change states: where one addition's change stands.
const (
	StateUnchanged   = "unchanged" // Manage already holds the new quantity
	StateBlocked     = "blocked"   // the addition, agreement or a site is missing, cancelled or expired
	StateError       = "error"     // the plan could not be made for it (a read failed, mappings disagree)
	StateHeld        = "held"      // waits for Approve, Adjust or Skip
	StatePlanned     = "planned"   // a dry run: would be applied
	StatePending     = "pending"   // to be applied by this run, not sent yet
	StateApproved    = "approved"  // approved (or adjusted), waiting for ApplyApproved
	StateSkipped     = "skipped"   // the user chose not to apply it
	StateApplying    = "applying"  // the PATCH may be on its way: settled by the next run if the app stops
	StateApplied     = "applied"
	StateFailed      = "failed"
	StateInterrupted = "interrupted" // the app stopped before this change was confirmed
)

// Run is one sync as history lists it.
type Run struct {
	ID                int64      `json:"id"`
	Trigger           Trigger    `json:"trigger"`
	Actor             string     `json:"actor"`
	DryRun            bool       `json:"dryRun"`
	IncludeHeld       bool       `json:"includeHeld"`
	AutoApply         bool       `json:"autoApply"`
	Status            string     `json:"status"`
	Message           string     `json:"message"`
	StartedAt         time.Time  `json:"startedAt" ts_type:"string"`
	PlannedAt         *time.Time `json:"plannedAt,omitempty" ts_type:"string"`
	FinishedAt        *time.Time `json:"finishedAt,omitempty" ts_type:"string"`
	ReviewShare       int        `json:"reviewShare"`
	RequestsPerMinute int        `json:"requestsPerMinute"`
	Requests          int64      `json:"requests"`
	Throttled         int64      `json:"throttled"`
	// ReconciledBy is the run that settled this one after it was interrupted.
	ReconciledBy *int64 `json:"reconciledBy,omitempty"`
	Counts       Counts `json:"counts"`
}

// Outcome says a finished run's result in words; a run that only held changes "needs
// review" rather than having "no changes".
func (r Run) Outcome() string {
	switch {
	case r.DryRun:
		return "dry run"
	case r.Status == StatusSucceeded:
		return "succeeded"
	case r.Status == StatusPartial:
		return "partly failed"
	case r.Status == StatusFailed:
		return "failed"
	case r.Counts.Held > 0:
		return "needs review"
	}
	return "no changes"
}

// Counts tallies a run's changes by state.
type Counts struct {
	Total       int `json:"total"`
	Unchanged   int `json:"unchanged"`
	Blocked     int `json:"blocked"`
	Errors      int `json:"errors"`
	Held        int `json:"held"`
	Planned     int `json:"planned"`
	Pending     int `json:"pending"`
	Approved    int `json:"approved"`
	Skipped     int `json:"skipped"`
	Applying    int `json:"applying"`
	Applied     int `json:"applied"`
	Failed      int `json:"failed"`
	Interrupted int `json:"interrupted"`
}

func (c *Counts) add(state string, n int) {
	c.Total += n
	switch state {
	case StateUnchanged:
		c.Unchanged += n
	case StateBlocked:
		c.Blocked += n
	case StateError:
		c.Errors += n
	case StateHeld:
		c.Held += n
	case StatePlanned:
		c.Planned += n
	case StatePending:
		c.Pending += n
	case StateApproved:
		c.Approved += n
	case StateSkipped:
		c.Skipped += n
	case StateApplying:
		c.Applying += n
	case StateApplied:
		c.Applied += n
	case StateFailed:
		c.Failed += n
	case StateInterrupted:
		c.Interrupted += n
	}
}

// finalStatus is the outcome the counts add up to: a run fails when something went wrong
// and nothing was done, is partial when both, succeeded when it did (or, in a dry run,
// planned) something without failures, and has no changes otherwise. Held, blocked and
// skipped changes are decisions or configuration, not failures.
func (c Counts) finalStatus() string {
	done := c.Applied + c.Planned
	bad := c.Failed + c.Errors + c.Interrupted
	switch {
	case bad > 0 && done > 0:
		return StatusPartial
	case bad > 0:
		return StatusFailed
	case done > 0:
		return StatusSucceeded
	}
	return StatusNoChanges
}

// SiteCount is one source site of an addition's quantity.
type SiteCount struct {
	SiteID   string `json:"siteId"`
	SiteName string `json:"siteName"`
	Basis    string `json:"basis"`
	Count    int    `json:"count"`
	// Note says why the count is not a plain figure: missing from its report, the site
	// deactivated or gone from Webroot, the count failed.
	Note string `json:"note,omitempty"`
}

// Change is one mapped addition in one run: the plan for it and what became of it.
type Change struct {
	ID                int64  `json:"id"`
	RunID             int64  `json:"runId"`
	AdditionID        int64  `json:"additionId"`
	AgreementID       int64  `json:"agreementId"`
	CompanyID         int64  `json:"companyId"`
	CompanyName       string `json:"companyName"`
	AgreementName     string `json:"agreementName"`
	Product           string `json:"product"`           // endpoint, dns or wsat
	ProductIdentifier string `json:"productIdentifier"` // the Manage catalog item, e.g. WEBROOT-EP
	// Basis is the count basis of the sites, or "mixed" when they differ.
	Basis string      `json:"basis"`
	Sites []SiteCount `json:"sites"`
	// Before is Manage's quantity when the plan was made; nil when it could not be read.
	Before *float64 `json:"before"`
	// Proposed is the quantity the counts call for; After the one to send (Proposed unless
	// adjusted).
	Proposed           int      `json:"proposed"`
	After              int      `json:"after"`
	LessIncludedBefore *float64 `json:"lessIncludedBefore"`
	// UnitPrice is the addition's price per unit in Manage when planned (nil: not known).
	UnitPrice    *float64 `json:"unitPrice"`
	LessIncluded *int     `json:"lessIncluded"`
	Minimum      *int     `json:"minimum"`
	Plan         string   `json:"plan"`
	State        string   `json:"state"`
	// Reason explains the verdict (why held or blocked); Message the outcome (Manage's
	// answer on failure).
	Reason      string     `json:"reason"`
	Message     string     `json:"message"`
	RequestID   string     `json:"requestId"`
	Adjusted    bool       `json:"adjusted"`
	DecidedBy   string     `json:"decidedBy"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty" ts_type:"string"`
	AttemptedAt *time.Time `json:"attemptedAt,omitempty" ts_type:"string"`
	FinishedAt  *time.Time `json:"finishedAt,omitempty" ts_type:"string"`
	UpdatedAt   time.Time  `json:"updatedAt" ts_type:"string"`
}

// Delta is After − Before, nil when Before is unknown.
func (c Change) Delta() *float64 {
	if c.Before == nil {
		return nil
	}
	d := float64(c.After) - *c.Before
	return &d
}

// SiteIDs lists the source sites' ids.
func (c Change) SiteIDs() []string {
	out := make([]string, len(c.Sites))
	for i, s := range c.Sites {
		out[i] = s.SiteID
	}
	return out
}

// Result is a run with all its changes.
type Result struct {
	Run     Run      `json:"run"`
	Changes []Change `json:"changes"`
}

// BillChange is how much the change moves the addition's billed amount: the billed
// quantity (quantity less Less Included, never below 0) times the unit price, rounded to
// cents. ok is false when Manage gave no unit price or no current quantity.
func (c Change) BillChange() (amount float64, ok bool) {
	if c.UnitPrice == nil || c.Before == nil {
		return 0, false
	}
	lessBefore := 0.0
	if c.LessIncludedBefore != nil {
		lessBefore = *c.LessIncludedBefore
	}
	lessAfter := lessBefore // a mapping without Less Included leaves Manage's as it is
	if c.LessIncluded != nil {
		lessAfter = float64(*c.LessIncluded)
	}
	billedBefore := math.Max(0, *c.Before-lessBefore)
	billedAfter := math.Max(0, float64(c.After)-lessAfter)
	return math.Round((billedAfter-billedBefore)**c.UnitPrice*100) / 100, true
}
