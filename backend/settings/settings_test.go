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

func TestIdleLockMinutes(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, _ := Load(ctx, s); p.IdleLockMinutes != DefaultIdleLockMinutes {
		t.Fatalf("default idle lock %d", p.IdleLockMinutes)
	}
	for _, bad := range []int{-1, MaxIdleLockMinutes + 1} {
		var fe apperr.FieldError
		if err := SetIdleLockMinutes(ctx, s, "admin@msp.example", bad); !errors.As(err, &fe) || fe.Field != "Lock after" {
			t.Fatalf("%d accepted: %v", bad, err)
		}
	}
	if err := SetIdleLockMinutes(ctx, s, "admin@msp.example", 0); err != nil {
		t.Fatal(err)
	}
	if p, _ := Load(ctx, s); p.IdleLockMinutes != 0 {
		t.Fatalf("idle lock after saving 0: %d", p.IdleLockMinutes)
	}
	// Turning the lock off is a security decision: the activity log says who, and from what.
	log, err := s.AuditLog(ctx, 10)
	if err != nil || len(log) != 1 || log[0].Action != AuditSecurity || log[0].Actor != "admin@msp.example" ||
		log[0].Detail != "Lock after (minutes): 15 → 0" {
		t.Fatalf("audit %+v %v", log, err)
	}
}
