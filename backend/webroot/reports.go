package webroot

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// ReportType is a usage report's reportType (§4).
type ReportType string

const (
	ReportActiveEndpoints              ReportType = "ActiveEndpoints"
	ReportActiveEndpointsWithoutHidden ReportType = "ActiveEndpointsWithoutHidden"
	ReportEndpointsSeenInLast30Days    ReportType = "EndpointsSeenInLast30Days"
	ReportDevicesSeen                  ReportType = "DevicesSeen"
	ReportDevicesSeenInLast30Days      ReportType = "DevicesSeenInLast30Days"
	ReportUsersSeen                    ReportType = "UsersSeen"
	ReportUsersSeenInLast30Days        ReportType = "UsersSeenInLast30Days"
)

// Product is the product line the report counts.
func (t ReportType) Product() Product {
	switch t {
	case ReportActiveEndpoints, ReportActiveEndpointsWithoutHidden, ReportEndpointsSeenInLast30Days:
		return ProductEndpoint
	case ReportDevicesSeen, ReportDevicesSeenInLast30Days:
		return ProductDNS
	case ReportUsersSeen, ReportUsersSeenInLast30Days:
		return ProductWSAT
	}
	return ""
}

// pathSuffix is the reporting path below /gsm/{gsmKey}/sites for the report's product.
func (t ReportType) pathSuffix() []string {
	switch t.Product() {
	case ProductDNS:
		return []string{"sites", "dnsp"}
	case ProductWSAT:
		return []string{"sites", "wsat"}
	}
	return []string{"sites"}
}

// ReportOptions chooses the report's effective date.
type ReportOptions struct {
	// EffectiveDate is the UTC day to report on; zero means DefaultEffectiveDate(now).
	EffectiveDate time.Time
	// Latest omits effectiveDate, so Webroot returns its most recent report.
	Latest bool
}

// UsageReport is one report's per-site counts.
type UsageReport struct {
	Type ReportType
	// EffectiveDate is the date Webroot says the report is for (ReportInfo.EffectiveDate),
	// or the date asked for when it does not say.
	EffectiveDate time.Time
	// RequestedDate is the date sent; zero when the latest report was asked for.
	RequestedDate time.Time
	// FellBackToLatest: Webroot refused or had nothing for RequestedDate, so the latest
	// report was read instead.
	FellBackToLatest bool
	Sites            []ReportSite
}

// ReportSite is one site's row in a usage report.
type ReportSite struct {
	SiteID   string
	SiteKey  string
	SiteName string
	Count    int
	// CountMissing: the row had no count field; Count is 0 and needs review (§7).
	CountMissing bool
}

// countField is the per-site count field of each report family (§4).
var countField = map[Product]string{
	ProductEndpoint: "TotalEndpoints",
	ProductDNS:      "TotalDNSPAgents",
	ProductWSAT:     "TotalWSATUsers",
}

// DefaultEffectiveDate is UTC today minus two days at 00:00Z: Webroot only has data for
// dates earlier than yesterday (§4), and one shared date keeps every basis of a sync on
// the same day.
func DefaultEffectiveDate(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -2)
}

// formatEffectiveDate writes a UTC midnight the way DOC samples do.
func formatEffectiveDate(t time.Time) string {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05.0000000Z")
}

// Report reads one usage report for the whole console (no paging, §5). What Webroot does
// with a date it has no data for is unverified: an explicit date that is refused (400) or
// comes back empty is retried once as the latest report, and FellBackToLatest says so.
func (c *Client) Report(ctx context.Context, t ReportType, opts ReportOptions) (*UsageReport, error) {
	if t.Product() == "" {
		return nil, &Error{Kind: KindBadRequest, Op: "reading a usage report", Host: c.host, Description: "unknown report type " + string(t)}
	}
	if opts.Latest {
		return c.report(ctx, t, time.Time{})
	}
	date := opts.EffectiveDate
	if date.IsZero() {
		date = DefaultEffectiveDate(c.now())
	}
	r, err := c.report(ctx, t, date)
	if err == nil && len(r.Sites) > 0 {
		return r, nil
	}
	if err != nil && KindOf(err) != KindBadRequest {
		return nil, err
	}
	c.log.Warn("webroot usage report unavailable for the date; reading the latest report", "report", string(t),
		"date", date.Format(time.DateOnly), "refused", err != nil)
	latest, lerr := c.report(ctx, t, time.Time{})
	switch {
	case lerr != nil && err != nil:
		return nil, err // the dated refusal explains more than the second failure
	case lerr != nil:
		return nil, lerr
	case err == nil && len(latest.Sites) == 0:
		return r, nil // empty either way: nothing in use, keep the dated report
	}
	latest.RequestedDate = date
	latest.FellBackToLatest = true
	return latest, nil
}

func (c *Client) report(ctx context.Context, t ReportType, date time.Time) (*UsageReport, error) {
	q := url.Values{"reportType": {string(t)}}
	if !date.IsZero() {
		q.Set("effectiveDate", formatEffectiveDate(date))
	}
	var w struct {
		ReportInfo struct {
			Count         wInt   `json:"Count"`
			ReportType    string `json:"ReportType"`
			EffectiveDate wTime  `json:"EffectiveDate"`
		} `json:"ReportInfo"`
		Sites []reportRow `json:"Sites"`
	}
	rq := &request{op: "reading the " + string(t) + " usage report", path: c.gsmPath(reportingPrefix, t.pathSuffix()...),
		query: q, scope: ScopeReporting, notFound: KindGSMKeyUnknown}
	if err := c.getJSON(ctx, rq, &w); err != nil {
		return nil, err
	}
	r := &UsageReport{Type: t, EffectiveDate: w.ReportInfo.EffectiveDate.Time, RequestedDate: date}
	if r.EffectiveDate.IsZero() {
		r.EffectiveDate = date
	}
	field := countField[t.Product()]
	for _, row := range w.Sites {
		s := ReportSite{SiteID: row.str("SiteId"), SiteKey: row.str("SiteKey"), SiteName: row.str("SiteName")}
		n, ok := row.count(field)
		s.Count, s.CountMissing = n, !ok
		r.Sites = append(r.Sites, s)
	}
	return r, nil
}

// rawField keeps one report field undecoded: entries after ExpiryDate (EP) and most DNSP
// fields are unverified (§4), so only the fields the client needs are read.
type rawField []byte

func (r *rawField) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// reportRow is one site entry of a report, matched by field name case-insensitively.
type reportRow map[string]rawField

func (row reportRow) lookup(name string) (rawField, bool) {
	if v, ok := row[name]; ok {
		return v, true
	}
	for k, v := range row {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func (row reportRow) str(name string) string {
	v, _ := row.lookup(name)
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

// count reads a count field; false when it is missing, null or not a whole number.
func (row reportRow) count(name string) (int, bool) {
	v, ok := row.lookup(name)
	if !ok {
		return 0, false
	}
	var n wInt
	if json.Unmarshal(v, &n) != nil || !n.Set {
		return 0, false
	}
	return n.Value, true
}
