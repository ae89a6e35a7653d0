package webrootconn

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"cwm-webroot/backend/csvsafe"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/webroot"
)

// Device list export (PRODUCT.md §2.8): one site's full endpoint list (§3.4: active and
// deactivated, every page) as a CSV file an MSP can hand to a customer who asks what an
// invoice counted.
//
// Columns, with a header row: Site, Host name, Machine ID, Status (Active or Deactivated),
// First seen, Last seen (RFC 3339 in UTC, to the second; empty when Webroot sent none),
// Agent version and, only when the site's Endpoint Protection mapping counts on a basis
// the endpoint list alone can tell, "Counted as billed (…)" with yes or no:
//
//   - not_deactivated ("not deactivated right now"): yes when the endpoint is not
//     deactivated, the rule of the sync's count (an endpoint Webroot sends without the
//     Deactivated field counts as active, as it does there);
//   - seen_30d ("seen in the last 30 days", Webroot's invoice basis): yes when the endpoint
//     was last seen in the 30 days before the export, deactivated or not (Webroot bills an
//     endpoint active at any time in the previous 30 days). The sync reads a usage report
//     dated a day or two earlier, so a device first or last seen in between can differ.
//
// The console's "Active Devices" bases (active_without_hidden, active) depend on whether
// an endpoint is hidden, which the endpoint list does not say, so for them, and for a site
// with no Endpoint Protection mapping, the column is left out rather than guessed.
//
// The last column, "Note", points at what inflates a bill (peers.md §3): an active endpoint
// whose host name another active endpoint has too, seen less recently (a reinstalled or
// re-imaged computer that left its old entry behind), and an active endpoint not seen for
// SeenWindow (a computer that is gone but was never deactivated). Rows are sorted by host
// name (case-insensitively). Every cell is guarded against formula injection (csvsafe).

// SeenWindow is how far back the seen_30d basis looks.
const SeenWindow = 30 * 24 * time.Hour

// DeviceListHeader is the header row without the "Counted as billed" and "Note" columns.
var DeviceListHeader = []string{"Site", "Host name", "Machine ID", "Status", "First seen", "Last seen", "Agent version"}

// NoteColumn is the device list's last column.
const NoteColumn = "Note"

// DeviceList is one site's endpoint list, read for an export.
type DeviceList struct {
	SiteID   string
	SiteName string
	// Basis is the site's Endpoint Protection mapping's count basis, "" when unmapped.
	Basis     webroot.Basis
	Endpoints []webroot.Endpoint // sorted by host name
	ReadAt    time.Time
}

// SiteChoiceError says a site named on the command line is unknown or ambiguous; it lists
// the sites that might have been meant.
type SiteChoiceError struct {
	Query      string
	Ambiguous  bool
	Candidates []webroot.Site
}

func (e *SiteChoiceError) Error() string {
	var b strings.Builder
	if e.Ambiguous {
		fmt.Fprintf(&b, "%q names %d GSM sites: name one by its site id", e.Query, len(e.Candidates))
	} else {
		fmt.Fprintf(&b, "no GSM site has the id or name %q", e.Query)
		if len(e.Candidates) > 0 {
			b.WriteString("; did you mean one of these?")
		} else {
			b.WriteString(" (`cwm-webroot sites` lists them)")
		}
	}
	for _, s := range e.Candidates {
		fmt.Fprintf(&b, "\n  %s  %s", s.ID, s.Name)
	}
	return b.String()
}

// maxCandidates bounds the "did you mean" list.
const maxCandidates = 10

// FindSite reads the console's sites and returns the one whose id is query (any case) or,
// failing that, the one whose name is query ignoring case and surrounding spaces. When none
// or several match the error is a *SiteChoiceError.
func (s *Service) FindSite(ctx context.Context, query string) (webroot.Site, error) {
	c, err := s.Client(ctx)
	if err != nil {
		return webroot.Site{}, err
	}
	list, err := c.Sites(ctx)
	if err != nil {
		return webroot.Site{}, err
	}
	return matchSite(list.Sites, query)
}

func matchSite(sites []webroot.Site, query string) (webroot.Site, error) {
	q := strings.TrimSpace(query)
	for _, st := range sites {
		if strings.EqualFold(st.ID, q) {
			return st, nil
		}
	}
	var exact, partial []webroot.Site
	for _, st := range sites {
		name := strings.TrimSpace(st.Name)
		switch {
		case strings.EqualFold(name, q):
			exact = append(exact, st)
		case q != "" && strings.Contains(strings.ToLower(name), strings.ToLower(q)):
			partial = append(partial, st)
		}
	}
	byName := func(a, b webroot.Site) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		slices.SortFunc(exact, byName)
		return webroot.Site{}, &SiteChoiceError{Query: q, Ambiguous: true, Candidates: exact}
	}
	slices.SortFunc(partial, byName)
	if len(partial) > maxCandidates {
		partial = partial[:maxCandidates]
	}
	return webroot.Site{}, &SiteChoiceError{Query: q, Candidates: partial}
}

// DeviceList reads a site's full endpoint list and the basis its Endpoint Protection
// mapping counts on.
func (s *Service) DeviceList(ctx context.Context, site webroot.Site) (*DeviceList, error) {
	var basis webroot.Basis
	maps, err := mapping.New(s.store, nil).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range maps {
		if strings.EqualFold(m.SiteID, site.ID) && m.Product == string(webroot.ProductEndpoint) {
			basis = webroot.Basis(m.CountBasis)
		}
	}
	c, err := s.Client(ctx)
	if err != nil {
		return nil, err
	}
	eps, err := c.Endpoints(ctx, site.ID, webroot.EndpointsAll)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(eps, func(a, b webroot.Endpoint) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.HostName), strings.ToLower(b.HostName)),
			cmp.Compare(a.HostName, b.HostName), cmp.Compare(a.MachineID, b.MachineID), cmp.Compare(a.ID, b.ID))
	})
	return &DeviceList{SiteID: site.ID, SiteName: site.Name, Basis: basis, Endpoints: eps, ReadAt: s.now()}, nil
}

// billedRule is the "Counted as billed" rule for a basis, with the column's heading, or
// nil when the endpoint list alone cannot tell.
func billedRule(b webroot.Basis, at time.Time) (string, func(webroot.Endpoint) bool) {
	switch b {
	case webroot.BasisNotDeactivated:
		return "Counted as billed (not deactivated)", func(e webroot.Endpoint) bool { return !deactivated(e) }
	case webroot.BasisSeen30d:
		from := at.Add(-SeenWindow)
		return "Counted as billed (seen in the last 30 days)", func(e webroot.Endpoint) bool {
			return !e.LastSeen.IsZero() && !e.LastSeen.Before(from)
		}
	}
	return "", nil
}

func deactivated(e webroot.Endpoint) bool { return e.Deactivated != nil && *e.Deactivated }

// Header is the CSV's header row for this list.
func (l *DeviceList) Header() []string {
	h := slices.Clone(DeviceListHeader)
	if col, _ := billedRule(l.Basis, l.ReadAt); col != "" {
		h = append(h, col)
	}
	return append(h, NoteColumn)
}

// Notes are the list's "Note" cells by endpoint index, and how many endpoints look like a
// duplicate or look gone.
func (l *DeviceList) Notes() (notes map[int]string, duplicates, stale int) {
	notes = map[int]string{}
	newest := map[string]int{} // host name → index of its most recently seen active endpoint
	for i, e := range l.Endpoints {
		if deactivated(e) || strings.TrimSpace(e.HostName) == "" {
			continue
		}
		host := strings.ToLower(strings.TrimSpace(e.HostName))
		if j, ok := newest[host]; !ok || e.LastSeen.After(l.Endpoints[j].LastSeen) {
			newest[host] = i
		}
	}
	for i, e := range l.Endpoints {
		if deactivated(e) {
			continue
		}
		host := strings.ToLower(strings.TrimSpace(e.HostName))
		if j, ok := newest[host]; ok && j != i {
			duplicates++
			notes[i] = fmt.Sprintf("Possible duplicate: another active device with this host name was seen later (%s). Deactivate this one in Webroot if it is the same computer.", l.Endpoints[j].LastSeen.UTC().Format("2006-01-02"))
			continue
		}
		if !e.LastSeen.IsZero() && l.ReadAt.Sub(e.LastSeen) > SeenWindow {
			stale++
			notes[i] = fmt.Sprintf("Not seen for %d days but still active. Deactivate it in Webroot if the computer is gone.", int(l.ReadAt.Sub(e.LastSeen).Hours()/24))
		}
	}
	return notes, duplicates, stale
}

// Billed counts the endpoints marked "yes"; ok is false when the column is left out.
func (l *DeviceList) Billed() (n int, ok bool) {
	_, rule := billedRule(l.Basis, l.ReadAt)
	if rule == nil {
		return 0, false
	}
	for _, e := range l.Endpoints {
		if rule(e) {
			n++
		}
	}
	return n, true
}

// WriteCSV writes the list with its header row.
func (l *DeviceList) WriteCSV(w io.Writer) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(l.Header()); err != nil {
		return err
	}
	_, rule := billedRule(l.Basis, l.ReadAt)
	notes, _, _ := l.Notes()
	for i, e := range l.Endpoints {
		status := "Active"
		if deactivated(e) {
			status = "Deactivated"
		}
		rec := []string{l.SiteName, e.HostName, e.MachineID, status, csvTime(e.FirstSeen), csvTime(e.LastSeen), e.AgentVersion}
		if rule != nil {
			rec = append(rec, map[bool]string{true: "yes", false: "no"}[rule(e)])
		}
		rec = append(rec, notes[i])
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvTime is t in RFC 3339 UTC to the second, "" for none.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// DeviceListFileName is the export's suggested file name: devices-<site>-<YYYY-MM-DD>.csv,
// the site's name reduced to letters, digits, dots, dashes and underscores (at most 60).
func DeviceListFileName(siteName string, day time.Time) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(siteName) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '.', r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-.")
	if r := []rune(name); len(r) > 60 {
		name = strings.Trim(string(r[:60]), "-.")
	}
	if name == "" {
		name = "site"
	}
	return "devices-" + name + "-" + day.Format("2006-01-02") + ".csv"
}
