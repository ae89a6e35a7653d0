package main

import (
	"strings"

	"cwm-webroot/backend/activity"
	"cwm-webroot/backend/store"
)

// ActivityAPI is the Activity page: the audit trail of who changed what, for admins.
type ActivityAPI struct{ app *App }

// Page returns one page of the activity log, newest first (BeforeID continues a page).
func (x *ActivityAPI) Page(q store.AuditQuery) (activity.Page, error) {
	if err := x.app.requireAdmin(); err != nil {
		return activity.Page{}, err
	}
	p, err := activity.List(x.app.ctx, x.app.inst.Store, q)
	if p.Entries == nil {
		p.Entries = []activity.Entry{}
	}
	return p, err
}

// SaveExport asks where to save the activity log matching search as CSV and writes it;
// "" when the user cancels.
func (x *ActivityAPI) SaveExport(search string) (string, error) {
	if err := x.app.requireAdmin(); err != nil {
		return "", err
	}
	return saveCSVExport(x.app.ctx, "Export activity log", "cwm-webroot-activity.csv", func() (string, error) {
		var b strings.Builder
		_, err := activity.WriteCSV(x.app.ctx, x.app.inst.Store, search, 0, &b)
		return b.String(), err
	})
}
