package mail

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dir
}

func ptr(s string) *string { return &s }

var goodSettings = Settings{
	Host: "smtp.example.com", Port: 465, Security: SecurityTLS,
	Username: "billing@example.com", FromAddress: "billing@example.com", FromName: "Acme IT Billing",
}

func TestLoadDefaults(t *testing.T) {
	st, _ := openStore(t)
	s, err := Load(context.Background(), st, secrets.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Settings{Port: DefaultPort, Security: DefaultSecurity}); s != want {
		t.Errorf("defaults %+v, want %+v", s, want)
	}
	if Configured(s) {
		t.Error("empty settings count as configured")
	}
}

func TestSaveLoadKeepsThePasswordOutOfSQLite(t *testing.T) {
	ctx := context.Background()
	st, dir := openStore(t)
	sec := secrets.NewMemory()
	const password = "Sup3r-Secret-SMTP-Pa55word"

	if err := Save(ctx, st, sec, "admin@msp.example", goodSettings, ptr(password)); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := Load(ctx, st, sec)
	if err != nil {
		t.Fatal(err)
	}
	want := goodSettings
	want.PasswordSaved = true
	if got != want {
		t.Errorf("loaded %+v, want %+v", got, want)
	}
	if !Configured(got) {
		t.Error("saved settings do not count as configured")
	}
	if p, err := sec.Get(secrets.SMTPPassword); err != nil || p != password {
		t.Errorf("keychain has %q %v, want the password", p, err)
	}
	if p, err := LoadPassword(sec); err != nil || p != password {
		t.Errorf("LoadPassword %q %v", p, err)
	}

	// The database, its WAL and shared-memory files hold the settings but not the password.
	files, _ := filepath.Glob(filepath.Join(dir, store.FileName+"*"))
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte("smtp.example.com")) {
		t.Fatalf("the settings are not in %v: the check below would prove nothing", files)
	}
	if bytes.Contains(all, []byte(password)) {
		t.Error("the SMTP password is in the SQLite files")
	}

	// nil keeps the password; "" deletes it.
	changed := goodSettings
	changed.Port = 587
	changed.Security = SecurityStartTLS
	if err := Save(ctx, st, sec, "admin@msp.example", changed, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := Load(ctx, st, sec); !got.PasswordSaved || got.Port != 587 {
		t.Errorf("after saving with a nil password: %+v", got)
	}
	if err := Save(ctx, st, sec, "admin@msp.example", changed, ptr("")); err != nil {
		t.Fatal(err)
	}
	got, _ = Load(ctx, st, sec)
	if got.PasswordSaved || Configured(got) {
		t.Errorf("after deleting the password: %+v, configured %v", got, Configured(got))
	}
	if p, err := LoadPassword(sec); err != nil || p != "" {
		t.Errorf("LoadPassword after delete %q %v", p, err)
	}
}

func TestSaveRefusesInvalidSettingsAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	sec := secrets.NewMemory()
	if err := Save(ctx, st, sec, "admin@msp.example", goodSettings, ptr("first-password")); err != nil {
		t.Fatal(err)
	}
	before, _ := Load(ctx, st, sec)

	bad := Settings{
		Host: "smtp example.com", Port: 70000, Security: "ssl",
		Username: "billing\nBcc: x", FromAddress: "billing@", FromName: "OK",
	}
	err := Save(ctx, st, sec, "admin@msp.example", bad, ptr("second-password"))
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("Save: %v, want a validation error", err)
	}
	var fields []string
	for _, f := range v.Fields {
		fields = append(fields, f.Field)
		if f.Message == "" {
			t.Errorf("%s has no message", f.Field)
		}
	}
	sort.Strings(fields)
	want := []string{FieldFromAddress, FieldPort, FieldHost, FieldSecurity, FieldUsername}
	sort.Strings(want)
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}

	after, _ := Load(ctx, st, sec)
	if after != before {
		t.Errorf("settings changed by a refused save: %+v, was %+v", after, before)
	}
	if p, _ := sec.Get(secrets.SMTPPassword); p != "first-password" {
		t.Errorf("password changed by a refused save: %q", p)
	}

	// One bad field is enough to write nothing either.
	oneBad := goodSettings
	oneBad.Host = "smtp.other.example"
	oneBad.FromAddress = "Billing <billing@example.com>"
	err = Save(ctx, st, sec, "admin@msp.example", oneBad, nil)
	if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != FieldFromAddress {
		t.Fatalf("Save: %v, want only a From Address error", err)
	}
	if after, _ := Load(ctx, st, sec); after.Host != before.Host {
		t.Errorf("host changed to %q by a refused save", after.Host)
	}
}

func TestSaveWithLockedKeychainChangesNothing(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	sec := secrets.NewMemory()
	sec.Fail = secrets.ErrUnavailable
	err := Save(ctx, st, sec, "admin@msp.example", goodSettings, ptr("a-password"))
	if !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("Save: %v, want the keychain error", err)
	}
	if v, ok, _ := st.Setting(ctx, keyHost); ok {
		t.Errorf("host %q was saved although the password was not", v)
	}
	s, err := Load(ctx, st, sec)
	if !errors.Is(err, secrets.ErrUnavailable) || s.Port != DefaultPort {
		t.Errorf("Load with a locked keychain: %+v %v, want defaults and the keychain error", s, err)
	}
}

func TestPasswordWithoutUsernameIsRefused(t *testing.T) {
	st, _ := openStore(t)
	s := goodSettings
	s.Username = ""
	err := Save(context.Background(), st, secrets.NewMemory(), "admin@msp.example", s, ptr("orphan"))
	var v *apperr.Validation
	if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != FieldUsername {
		t.Fatalf("Save: %v, want a Username error", err)
	}
	// Without a username and password, the settings are complete (an open relay on the LAN).
	if err := Save(context.Background(), st, secrets.NewMemory(), "admin@msp.example", s, nil); err != nil || !Configured(s) {
		t.Fatalf("Save without login: %v, configured %v", err, Configured(s))
	}
}
