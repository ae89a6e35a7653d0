package main

import (
	"bytes"
	"context"
	"os"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/backup"
	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/diagnostics"
)

// saveDialog is the native save dialog's hook; tests replace it.
var saveDialog = func(ctx context.Context, opts wruntime.SaveDialogOptions) (string, error) {
	return wruntime.SaveFileDialog(ctx, opts)
}

var (
	csvFiles = wruntime.FileFilter{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}
	zipFiles = wruntime.FileFilter{DisplayName: "Zip files (*.zip)", Pattern: "*.zip"}
	dbFiles  = wruntime.FileFilter{DisplayName: "Backups (*.db)", Pattern: "*.db"}
)

// saveExport makes a file's content, asks where to save it (the native save dialog: a
// download does not work in the app's webview) and writes it there. It returns the path,
// or "" when the user cancels. The content is made first, so an error is told before the
// dialog opens.
func saveExport(ctx context.Context, title, defaultName string, filter wruntime.FileFilter, content func() ([]byte, error)) (string, error) {
	b, err := content()
	if err != nil {
		return "", err
	}
	path, err := saveDialog(ctx, wruntime.SaveDialogOptions{Title: title, DefaultFilename: defaultName, Filters: []wruntime.FileFilter{filter}})
	if err != nil || path == "" {
		return "", err
	}
	// Through a temporary file and a rename: a failed write never leaves half a file where
	// an older export was.
	tmp := path + ".partial"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return path, nil
}

// saveCSVExport is saveExport for a CSV file's text.
func saveCSVExport(ctx context.Context, title, defaultName string, content func() (string, error)) (string, error) {
	return saveExport(ctx, title, defaultName, csvFiles, func() ([]byte, error) {
		text, err := content()
		return []byte(text), err
	})
}

// SaveDiagnostics writes a support report (versions, connection states, recent syncs,
// mappings and the log; no secrets) where the user chooses. It returns the path, or ""
// when cancelled. Any logged-in user may: it is what they send to support.
func (a *App) SaveDiagnostics() (string, error) {
	inst, err := a.installation()
	if err != nil {
		return "", err
	}
	u, err := a.session.Current(a.ctx, a.accounts)
	if err != nil {
		return "", err
	}
	now := time.Now()
	return saveExport(a.ctx, "Save diagnostics report", diagnostics.DefaultName(now), zipFiles, func() ([]byte, error) {
		about, err := inst.Describe(a.ctx, buildinfo.ProductName, buildinfo.Version, buildinfo.Commit, a.demoDir != "")
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = diagnostics.Write(a.ctx, inst, &buf, diagnostics.Options{About: about, Now: now,
			WithActivity: u.Role == account.RoleAdmin})
		return buf.Bytes(), err
	})
}

// BackUpData copies the database (mappings, history, activity, users and settings; no
// secrets) to a file the admin chooses. It returns what the backup holds, with an empty
// path when cancelled.
func (a *App) BackUpData() (backup.Info, error) {
	if err := a.requireAdmin(); err != nil {
		return backup.Info{}, err
	}
	path, err := saveDialog(a.ctx, wruntime.SaveDialogOptions{Title: "Back up data",
		DefaultFilename: backup.DefaultName(time.Now()), Filters: []wruntime.FileFilter{dbFiles}})
	if err != nil || path == "" {
		return backup.Info{}, err
	}
	// The dialog has asked whether to replace an existing file.
	return backup.Write(a.ctx, a.inst.Store, a.inst.DataDir, path, true)
}
