package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

func TestSaveCSVExportWritesWhereTheDialogSays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.csv")
	var asked wruntime.SaveDialogOptions
	answer := path
	orig := saveDialog
	saveDialog = func(_ context.Context, o wruntime.SaveDialogOptions) (string, error) {
		asked = o
		return answer, nil
	}
	defer func() { saveDialog = orig }()
	ctx := context.Background()

	got, err := saveCSVExport(ctx, "Export sync history", "cwm-webroot-history.csv", func() (string, error) { return "a,b\n1,2\n", nil })
	if err != nil || got != path {
		t.Fatalf("saved to %q, %v; want %q", got, err, path)
	}
	if asked.Title != "Export sync history" || asked.DefaultFilename != "cwm-webroot-history.csv" || len(asked.Filters) != 1 || asked.Filters[0].Pattern != "*.csv" {
		t.Errorf("dialog options %+v", asked)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "a,b\n1,2\n" {
		t.Errorf("file %q, %v", b, err)
	}

	// Cancelled: nothing written, no path.
	answer = ""
	if got, err := saveCSVExport(ctx, "t", "f.csv", func() (string, error) { return "x", nil }); got != "" || err != nil {
		t.Errorf("cancelled: %q, %v", got, err)
	}

	// The text fails: the dialog never opens.
	asked = wruntime.SaveDialogOptions{}
	boom := errors.New("the history could not be read")
	if _, err := saveCSVExport(ctx, "t", "f.csv", func() (string, error) { return "", boom }); !errors.Is(err, boom) || asked.Title != "" {
		t.Errorf("content error %v, dialog %+v", err, asked)
	}
}
