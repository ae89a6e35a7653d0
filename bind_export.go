package main

import (
	"context"
	"os"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// csvSaveDialog is the native save dialog's hook; tests replace it.
var csvSaveDialog = func(ctx context.Context, opts wruntime.SaveDialogOptions) (string, error) {
	return wruntime.SaveFileDialog(ctx, opts)
}

// saveCSVExport makes a CSV file's text, asks where to save it (the native save dialog: a
// download does not work in the app's webview) and writes it there. It returns the path,
// or "" when the user cancels. The text is made first, so an error is told before the
// dialog opens.
func saveCSVExport(ctx context.Context, title, defaultName string, content func() (string, error)) (string, error) {
	text, err := content()
	if err != nil {
		return "", err
	}
	path, err := csvSaveDialog(ctx, wruntime.SaveDialogOptions{
		Title: title, DefaultFilename: defaultName,
		Filters: []wruntime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}},
	})
	if err != nil || path == "" {
		return "", err
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return "", err
	}
	return path, nil
}
