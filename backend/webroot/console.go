package webroot

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Console is the GSM console's details (§3.1).
type Console struct {
	Name              string
	CreatedDate       time.Time
	EndDate           time.Time
	RemainingDays     int
	LicenseType       string
	TotalSeatsAllowed int
	TotalSites        int
	DeactivatedSites  int
	CompanyEmail      string
	Modules           []Module
}

// SiteList is the console's site list with its totals (§3.2).
type SiteList struct {
	TotalSeatsAllowed      int
	ParentDescription      string
	SumTotalDevices        int // total "Active Devices" across sites
	SumTotalDevicesAllowed int
	TotalCount             int
	Sites                  []Site
}

// Site is one GSM site (§3.2). ID is the join key with the usage reports.
type Site struct {
	ID             string
	Name           string
	Type           string
	TotalEndpoints int // the console's device count for the site
	KeyCode        string
	DevicesAllowed int
	MobileSeats    int
	Deactivated    bool
	Suspended      bool
	EndDate        time.Time
	BillingCycle   string // normalised: Annually, Quarterly, Monthly, Weekly
	BillingDate    string
	Comments       string // CompanyComments; MSPs keep hints such as cwm-id=123456 here
	DeactivatedBy  string
	SuspendedBy    string
	CreatedBy      string
	Description    string // "Full" or "Trial"
	PolicyName     string
	Emails         string
	AccessLevel    int
	Modules        []Module
}

type wireSite struct {
	SiteID         string          `json:"SiteId"`
	SiteName       string          `json:"SiteName"`
	SiteType       string          `json:"SiteType"`
	TotalEndpoints wInt            `json:"TotalEndpoints"`
	AccountKeyCode string          `json:"AccountKeyCode"`
	DevicesAllowed wInt            `json:"DevicesAllowed"`
	MobileSeats    wInt            `json:"MobileSeats"`
	Deactivated    wBool           `json:"Deactivated"`
	Suspended      wBool           `json:"Suspended"`
	EndDate        wTime           `json:"EndDate"`
	BillingCycle   string          `json:"BillingCycle"`
	BillingDate    string          `json:"BillingDate"`
	Comments       string          `json:"CompanyComments"`
	DeactivatedBy  *string         `json:"DeactivatedBy"`
	SuspendedBy    *string         `json:"SuspendedBy"`
	CreatedBy      string          `json:"CreatedBy"`
	Description    string          `json:"Description"`
	PolicyName     string          `json:"PolicyName"`
	Emails         wString         `json:"Emails"`
	AccessLevel    wInt            `json:"AccessLevel"`
	Modules        json.RawMessage `json:"Modules"`
}

func (w wireSite) site() Site {
	return Site{
		ID: w.SiteID, Name: w.SiteName, Type: w.SiteType, TotalEndpoints: w.TotalEndpoints.Value,
		KeyCode: w.AccountKeyCode, DevicesAllowed: w.DevicesAllowed.Value, MobileSeats: w.MobileSeats.Value,
		Deactivated: bool(w.Deactivated), Suspended: bool(w.Suspended), EndDate: w.EndDate.Time,
		BillingCycle: NormalizeBillingCycle(w.BillingCycle), BillingDate: w.BillingDate, Comments: w.Comments,
		DeactivatedBy: deref(w.DeactivatedBy), SuspendedBy: deref(w.SuspendedBy), CreatedBy: w.CreatedBy,
		Description: w.Description, PolicyName: w.PolicyName, Emails: string(w.Emails),
		AccessLevel: w.AccessLevel.Value, Modules: decodeModules(w.Modules),
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// gsmPath is a console path for this client's key.
func (c *Client) gsmPath(prefix string, rest ...string) string {
	p := prefix + "/" + url.PathEscape(c.gsmKey)
	for _, r := range rest {
		p += "/" + url.PathEscape(r)
	}
	return p
}

const (
	consolePrefix   = "/service/api/console/gsm"
	reportingPrefix = "/service/api/status/reporting/gsm"
)

// Console reads the GSM console's details. It checks the token, the key and the
// Console.GSM scope in one call (§3.1).
func (c *Client) Console(ctx context.Context) (*Console, error) {
	var w struct {
		GSMConsoleName    string          `json:"GSMConsoleName"`
		CreatedDate       wTime           `json:"CreatedDate"`
		EndDate           wTime           `json:"EndDate"`
		RemainingDays     wInt            `json:"RemainingDays"`
		LicenseType       string          `json:"LicenseType"`
		TotalSeatsAllowed wInt            `json:"TotalSeatsAllowed"`
		TotalSites        wInt            `json:"TotalSites"`
		DeactivatedSites  wInt            `json:"DeactivatedSites"`
		CompanyEmail      string          `json:"CompanyEmail"`
		Modules           json.RawMessage `json:"Modules"`
	}
	rq := &request{op: "reading the GSM console", path: c.gsmPath(consolePrefix), scope: ScopeConsoleGSM, notFound: KindGSMKeyUnknown}
	if err := c.getJSON(ctx, rq, &w); err != nil {
		return nil, err
	}
	return &Console{
		Name: w.GSMConsoleName, CreatedDate: w.CreatedDate.Time, EndDate: w.EndDate.Time,
		RemainingDays: w.RemainingDays.Value, LicenseType: w.LicenseType, TotalSeatsAllowed: w.TotalSeatsAllowed.Value,
		TotalSites: w.TotalSites.Value, DeactivatedSites: w.DeactivatedSites.Value, CompanyEmail: w.CompanyEmail,
		Modules: decodeModules(w.Modules),
	}, nil
}

type wireSiteList struct {
	TotalSeatsAllowed      wInt       `json:"TotalSeatsAllowed"`
	ParentDescription      string     `json:"ParentDescription"`
	SumTotalDevices        wInt       `json:"SumTotalDevices"`
	SumTotalDevicesAllowed wInt       `json:"SumTotalDevicesAllowed"`
	TotalCount             wInt       `json:"TotalCount"`
	Sites                  []wireSite `json:"Sites"`
}

func (w wireSiteList) list() *SiteList {
	l := &SiteList{
		TotalSeatsAllowed: w.TotalSeatsAllowed.Value, ParentDescription: w.ParentDescription,
		SumTotalDevices: w.SumTotalDevices.Value, SumTotalDevicesAllowed: w.SumTotalDevicesAllowed.Value,
		TotalCount: w.TotalCount.Value, Sites: make([]Site, 0, len(w.Sites)),
	}
	for _, s := range w.Sites {
		l.Sites = append(l.Sites, s.site())
	}
	if !w.TotalCount.Set {
		l.TotalCount = len(l.Sites)
	}
	return l
}

// Sites lists every site of the console in one call (the endpoint has no paging, §3.2).
func (c *Client) Sites(ctx context.Context) (*SiteList, error) {
	var w wireSiteList
	rq := &request{op: "listing the GSM sites", path: c.gsmPath(consolePrefix, "sites"), scope: ScopeConsoleGSM, notFound: KindGSMKeyUnknown}
	if err := c.getJSON(ctx, rq, &w); err != nil {
		return nil, err
	}
	return w.list(), nil
}

// Site reads one site. The API answers with the list envelope holding one site (§3.3).
func (c *Client) Site(ctx context.Context, siteID string) (*Site, error) {
	var w wireSiteList
	rq := &request{op: "reading GSM site " + siteID, path: c.gsmPath(consolePrefix, "sites", siteID), scope: ScopeConsoleGSM, notFound: KindNotFound}
	if err := c.getJSON(ctx, rq, &w); err != nil {
		return nil, err
	}
	for _, s := range w.Sites {
		if strings.EqualFold(s.SiteID, siteID) {
			site := s.site()
			return &site, nil
		}
	}
	return nil, &Error{Kind: KindNotFound, Op: rq.op, Host: c.host, Description: "site " + siteID}
}

// NormalizeBillingCycle maps the spellings seen on the wire ("Anually", any case) to
// Annually, Quarterly, Monthly or Weekly; unknown values are returned trimmed.
func NormalizeBillingCycle(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "annually", "anually", "annual", "yearly":
		return "Annually"
	case "quarterly":
		return "Quarterly"
	case "monthly":
		return "Monthly"
	case "weekly":
		return "Weekly"
	}
	return strings.TrimSpace(s)
}

var cwmIDHint = regexp.MustCompile(`(?i)\bcwm[-_ ]?id\s*[=:]\s*#?(\d{1,12})\b`)

// CWMIDHint reads a "cwm-id=<n>" hint (the Manage company id) from a site's comments.
func CWMIDHint(comments string) (int64, bool) {
	m := cwmIDHint.FindStringSubmatch(comments)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n, err == nil && n > 0
}
