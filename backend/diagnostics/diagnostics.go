// Package diagnostics writes a support report: one zip a user can attach to a support
// request. It holds what helps find a problem (versions, the connections' settings and
// states, the schedule, recent syncs with their failed changes, the mappings and the recent
// log) and none of the secrets, which stay in the OS keychain: those are never read here.
package diagnostics

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"time"

	"cwm-webroot/backend/activity"
	"cwm-webroot/backend/applog"
	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/health"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/webrootconn"
)

// Budgets that keep a report small enough to email.
const (
	logBytes        = 2 << 20 // the newest 2 MiB of the log
	crashBytes      = 256 << 10
	runsListed      = 20 // runs summarised
	runsDetailed    = 3  // runs whose changes (other than unchanged) are included
	changesPerRun   = 2000
	activityEntries = 1000 // the newest entries of the activity log
)

// Options say what the report cannot find out by itself.
type Options struct {
	About install.About
	Now   time.Time
	// WithActivity includes the activity log, which only admins may read in the app.
	WithActivity bool
}

// DefaultName is the file name a save dialog offers.
func DefaultName(now time.Time) string {
	return "cwm-webroot-diagnostics-" + now.Format("20060102-1504") + ".zip"
}

// Write writes the report as a zip to w. A part that cannot be read is replaced by a note
// saying why, so a damaged installation still gives a report.
func Write(ctx context.Context, inst *install.Installation, w io.Writer, o Options) error {
	z := zip.NewWriter(w)
	add := func(name string, make func() ([]byte, error)) error {
		b, err := make()
		if err != nil {
			b = []byte(fmt.Sprintf("This part could not be read: %v\n", err))
		}
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: o.Now})
		if err != nil {
			return err
		}
		_, err = f.Write(b)
		return err
	}
	parts := []struct {
		name string
		make func() ([]byte, error)
	}{
		{"README.txt", func() ([]byte, error) { return []byte(readme(o)), nil }},
		{"about.json", func() ([]byte, error) { return indent(about(o)) }},
		{"status.json", func() ([]byte, error) {
			st, _, err := health.Read(ctx, inst, o.Now)
			if err != nil {
				return nil, err
			}
			return indent(st)
		}},
		{"connections.json", func() ([]byte, error) { return connections(ctx, inst) }},
		{"settings.txt", func() ([]byte, error) { return settings(ctx, inst) }},
		{"syncs.json", func() ([]byte, error) { return syncs(ctx, inst) }},
		{"activity.csv", func() ([]byte, error) {
			if !o.WithActivity {
				return []byte("Left out: only an admin's report includes the activity log.\n"), nil
			}
			var b strings.Builder
			_, err := activity.WriteCSV(ctx, inst.Store, "", activityEntries, &b)
			return []byte(b.String()), err
		}},
		{"mappings.csv", func() ([]byte, error) {
			var b strings.Builder
			_, err := mapping.New(inst.Store, nil).ExportCSV(ctx, &b)
			return []byte(b.String()), err
		}},
		{"crash.log", func() ([]byte, error) {
			text, at, err := applog.LastCrash(inst.DataDir, crashBytes)
			if text == "" && err == nil {
				return []byte("The app has not crashed.\n"), nil
			}
			return []byte(fmt.Sprintf("Last written %s.\n\n%s", at.UTC().Format(time.RFC3339), text)), err
		}},
		{"log.txt", func() ([]byte, error) {
			text, err := applog.Recent(inst.DataDir, logBytes)
			if text == "" && err == nil {
				text = "No log yet.\n"
			}
			return []byte(text), err
		}},
	}
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := add(p.name, p.make); err != nil {
			return fmt.Errorf("writing %s to the report: %w", p.name, err)
		}
	}
	return z.Close()
}

func readme(o Options) string {
	return fmt.Sprintf(`%s diagnostics report, made %s.

It contains versions and paths, the connections' settings and states (without passwords,
keys or tokens, which stay in the OS keychain), the sync schedule and settings, the last
%d syncs (with the changes of the last %d that were not unchanged), the newest %d entries
of the activity log, the mappings, and the newest part of the app's log.
`, o.About.ProductName, o.Now.UTC().Format(time.RFC3339), runsListed, runsDetailed, activityEntries)
}

type aboutReport struct {
	install.About
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"goVersion"`
	MadeAt    string `json:"madeAt"`
}

func about(o Options) aboutReport {
	return aboutReport{About: o.About, OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(),
		MadeAt: o.Now.UTC().Format(time.RFC3339)}
}

// connectionsReport is what the two Configure pages show, less what identifies the MSP's
// accounts more than support needs: the public key and the GSM key are shortened.
type connectionsReport struct {
	Manage  manageconn.ConfigView  `json:"manage"`
	Webroot webrootconn.ConfigView `json:"webroot"`
}

func connections(ctx context.Context, inst *install.Installation) ([]byte, error) {
	m, err := manageconn.New(inst.Store, inst.Secrets, manageconn.Options{}).GetConfig(ctx)
	if err != nil {
		return nil, err
	}
	w, err := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{}).GetConfig(ctx)
	if err != nil {
		return nil, err
	}
	m.PublicKey = connstate.Shorten(m.PublicKey)
	w.GSMKey = connstate.Shorten(w.GSMKey)
	return indent(connectionsReport{Manage: m, Webroot: w})
}

// secretWords guard the settings dump: no secret is stored in SQLite, and should one ever
// be by mistake, it still stays out of the report.
var secretWords = []string{"password", "secret", "token", "private", "apikey", "api_key"}

// identifyingKeys are shortened as on connections.json.
var identifyingKeys = []string{"gsm_key", "public_key"}

func settings(ctx context.Context, inst *install.Installation) ([]byte, error) {
	all, err := inst.Store.AllSettings(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := all[k]
		for _, w := range identifyingKeys {
			if strings.HasSuffix(strings.ToLower(k), w) {
				v = connstate.Shorten(v)
			}
		}
		for _, w := range secretWords {
			if strings.Contains(strings.ToLower(k), w) {
				v = "[left out]"
			}
		}
		fmt.Fprintf(&b, "%s = %s\n", k, v)
	}
	return []byte(b.String()), nil
}

type runReport struct {
	syncer.Run
	Changes []syncer.Change `json:"changes,omitempty"`
}

func syncs(ctx context.Context, inst *install.Installation) ([]byte, error) {
	h := syncer.NewHistory(inst.Store)
	runs, err := h.Runs(ctx, syncer.RunQuery{Limit: runsListed})
	if err != nil {
		return nil, err
	}
	out := make([]runReport, len(runs))
	for i, r := range runs {
		out[i].Run = r
		if i >= runsDetailed {
			continue
		}
		changes, err := h.Changes(ctx, syncer.ChangeQuery{RunID: r.ID, Limit: changesPerRun})
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			if c.State != syncer.StateUnchanged {
				out[i].Changes = append(out[i].Changes, c)
			}
		}
	}
	return indent(out)
}

func indent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
