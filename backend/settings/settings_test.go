package settings

import (
	"context"
	"errors"
	"testing"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

func TestThemeDefaultsSavesAndRejectsUnknown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(ctx, s)
	if err != nil || p.Theme != ThemeSystem {
		t.Fatalf("default theme %q %v, want system", p.Theme, err)
	}
	if err := SetTheme(ctx, s, ThemeDark); err != nil {
		t.Fatal(err)
	}
	var fe apperr.FieldError
	if err := SetTheme(ctx, s, "purple"); !errors.As(err, &fe) || fe.Field != "Theme" {
		t.Fatalf("unknown theme: %v, want a Theme field error", err)
	}
	s.Close()
	// The choice survives a restart.
	s, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, _ := Load(ctx, s); p.Theme != ThemeDark {
		t.Fatalf("after reopen theme %q, want dark", p.Theme)
	}
}
