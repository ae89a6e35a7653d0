// Package activity is the audit trail as people read it: who did what and when, in words,
// searchable and exportable. Every package writes its entries with store.Audit in the same
// transaction as the change; this one only reads them.
package activity

import (
	"context"
	"io"
	"regexp"
	"strings"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/csvsafe"
	"cwm-webroot/backend/store"
)

// Entry is one audit entry with its action in words and its area.
type Entry struct {
	store.AuditEntry
	Label string `json:"label"`
	// Area groups actions: account, connections, mappings, sync, settings.
	Area string `json:"area"`
}

// Page is one page of entries, newest first, and whether older ones exist.
type Page struct {
	Entries []Entry `json:"entries"`
	More    bool    `json:"more"`
}

// labels say each recorded action in words. An action missing here shows its code.
var labels = map[string]string{
	"company.signup":               "Company registered",
	"user.login":                   "Logged in",
	"user.locked":                  "Account locked",
	"user.invited":                 "User invited",
	"user.invite_link":             "Invitation link issued",
	"user.reset_link":              "Password reset link issued",
	"user.password_set":            "Password set",
	"user.password_reset":          "Password reset",
	"user.disabled":                "User disabled",
	"user.enabled":                 "User enabled",
	"user.removed":                 "User removed",
	"manage.config.saved":          "ConnectWise settings saved",
	"manage.addition_created":      "Addition created in Manage",
	"webroot.config.saved":         "Webroot settings saved",
	"mapping.saved":                "Mapping saved",
	"mapping.deleted":              "Mapping removed",
	"mapping.excluded":             "Site excluded",
	"mapping.included":             "Site included again",
	"mapping.imported":             "Mappings imported",
	"mapping.suggestions_accepted": "Suggestions accepted",
	"sync.change.approved":         "Change approved",
	"sync.change.adjusted":         "Change adjusted",
	"sync.change.skipped":          "Change skipped",
	"settings.sync":                "Sync settings changed",
	"settings.schedule":            "Schedule changed",
	"settings.notifications":       "Notification settings changed",
	"settings.email":               "Email settings changed",
	"settings.security":            "Idle lock changed",
	"settings.start_at_login":      "Start at login changed",
}

// areas name the groups by action prefix.
var areas = []struct{ prefix, area string }{
	{"company.", "account"}, {"user.", "account"},
	{"manage.", "connections"}, {"webroot.", "connections"},
	{"mapping.", "mappings"}, {"sync.", "sync"}, {"settings.", "settings"},
}

// Label says an action in words.
func Label(action string) string {
	if l, ok := labels[action]; ok {
		return l
	}
	return action
}

func area(action string) string {
	for _, a := range areas {
		if strings.HasPrefix(action, a.prefix) {
			return a.area
		}
	}
	return "other"
}

func entry(e store.AuditEntry) Entry {
	e.Detail = shortenKeys(e.Detail)
	return Entry{AuditEntry: e, Label: Label(e.Action), Area: area(e.Action)}
}

// fullKey finds the identifying keys that connection saves wrote in full before they were
// shortened when written ("public key 7a1c…, ", "GSM parent key 1C86-…-AB91, ").
var fullKey = regexp.MustCompile(`(public key|GSM parent key) ([^,;\s]+)`)

// shortenKeys shortens those keys in entries recorded by older versions, wherever the
// trail is shown or exported.
func shortenKeys(detail string) string {
	return fullKey.ReplaceAllStringFunc(detail, func(m string) string {
		parts := fullKey.FindStringSubmatch(m)
		if strings.HasPrefix(parts[2], "…") || strings.Trim(parts[2], "•") == "" {
			return m // shortened already
		}
		return parts[1] + " " + connstate.Shorten(parts[2])
	})
}

// List returns one page of the trail.
func List(ctx context.Context, st *store.Store, q store.AuditQuery) (Page, error) {
	p, err := st.AuditPage(ctx, q)
	if err != nil {
		return Page{}, err
	}
	out := Page{More: p.More, Entries: make([]Entry, len(p.Entries))}
	for i, e := range p.Entries {
		out.Entries[i] = entry(e)
	}
	return out, nil
}

// csvPage is how many entries one read takes while writing a CSV.
const csvPage = 500

// WriteCSV writes the entries matching search (newest first; at most max, 0 for all) as
// CSV with a header row: at (RFC 3339 UTC), actor, action, label, detail. Cells a
// spreadsheet would run as a formula are guarded. It returns how many entries it wrote.
func WriteCSV(ctx context.Context, st *store.Store, search string, max int, w io.Writer) (int, error) {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write([]string{"at", "actor", "action", "label", "detail"}); err != nil {
		return 0, err
	}
	n := 0
	q := store.AuditQuery{Search: search, Limit: csvPage}
	for {
		p, err := st.AuditPage(ctx, q)
		if err != nil {
			return n, err
		}
		for _, e := range p.Entries {
			if max > 0 && n == max {
				p.More = false
				break
			}
			if err := cw.Write([]string{e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, Label(e.Action), shortenKeys(e.Detail)}); err != nil {
				return n, err
			}
			n++
		}
		if !p.More {
			break
		}
		q.BeforeID = p.Entries[len(p.Entries)-1].ID
	}
	cw.Flush()
	return n, cw.Error()
}
