package webrootconn_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

func TestNewConnectionIsPrefilledAndNotConfigured(t *testing.T) {
	e := newEnv(t, nil)
	v, err := e.svc.GetConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v.Configured || v.Site != "unityapi.webrootcloudav.com" || v.Scope != "*" || v.ClientSecretSaved || v.PasswordSaved {
		t.Fatalf("fresh config %+v", v)
	}
	if st := e.status(); st.State != webrootconn.StateNotConfigured || st.Summary != "Not configured" {
		t.Fatalf("fresh status %+v", st)
	}
	if _, err := e.svc.Test(context.Background()); !errors.Is(err, webrootconn.ErrNotConfigured) {
		t.Fatalf("Test before saving: %v, want ErrNotConfigured", err)
	}
}

func TestSaveRefusesBadInputNamingEveryFieldAndWritesNothing(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.svc.Save(context.Background(), "tester", webrootconn.ConfigInput{
		Site: "http://webroot.example.com", Scope: "Console.GSM", GSMKey: "1234", Username: "not-an-email",
	})
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("want *apperr.Validation, got %v", err)
	}
	got := map[string]string{}
	for _, f := range v.Fields {
		got[f.Field] = f.Message
	}
	for _, label := range []string{"Site", "API Scope", "Client ID", "Client Secret", "GSM Parent Key", "Super Admin", "Admin Password"} {
		if got[label] == "" {
			t.Errorf("no message for %q; got %v", label, got)
		}
	}
	if !strings.Contains(got["Site"], "http://") || !strings.Contains(got["API Scope"], "SkyStatus.Reporting") {
		t.Errorf("messages do not say what to fix: %v", got)
	}
	if n := e.Count(`SELECT COUNT(*) FROM settings WHERE key LIKE 'webroot.%'`); n != 0 {
		t.Errorf("%d webroot settings written by a refused save", n)
	}
	if n := e.Count(`SELECT COUNT(*) FROM audit_log`); n != 0 {
		t.Errorf("audit entry for a refused save")
	}
	for _, name := range []string{secrets.WebrootClientSecret, secrets.WebrootPassword} {
		if has, _ := e.Secrets.Has(name); has {
			t.Errorf("%s saved by a refused save", name)
		}
	}
}

func TestSaveStoresFieldsInSettingsAndSecretsOnlyInKeychain(t *testing.T) {
	e := newEnv(t, nil)
	in := e.good()
	in.GSMKey = " 1c867afcfdff4562ab91 " // typed without dashes, lower case
	in.Scope = "  Console.GSM   SkyStatus.Reporting "
	res := e.save(in)
	if !res.Config.Configured || !res.Config.ClientSecretSaved || !res.Config.PasswordSaved {
		t.Fatalf("view after save %+v", res.Config)
	}
	if res.Config.GSMKey != webrootsim.DefaultGSMKey || res.Config.Scope != "Console.GSM SkyStatus.Reporting" {
		t.Errorf("not normalised: %+v", res.Config)
	}
	if len(res.Changed) != 7 {
		t.Errorf("changed %v, want all seven fields of a first save", res.Changed)
	}
	for key, want := range map[string]string{
		webrootconn.KeySite: e.url, webrootconn.KeyClientID: webrootsim.DefaultClientID,
		webrootconn.KeyUsername: webrootsim.DefaultUsername, webrootconn.KeyGSMKey: webrootsim.DefaultGSMKey,
	} {
		if got, _ := e.Setting(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if got, _ := e.Secrets.Get(secrets.WebrootClientSecret); got != webrootsim.DefaultClientSecret {
		t.Errorf("client secret in keychain %q", got)
	}
	if got, _ := e.Secrets.Get(secrets.WebrootPassword); got != webrootsim.DefaultPassword {
		t.Errorf("password in keychain %q", got)
	}
	dump := e.Dump()
	for _, secret := range []string{webrootsim.DefaultClientSecret, webrootsim.DefaultPassword} {
		if strings.Contains(dump, secret) {
			t.Errorf("secret %q found in the database", secret)
		}
	}
	log, _ := e.Store.AuditLog(context.Background(), 10)
	if len(log) != 1 || log[0].Action != webrootconn.AuditActionSaved || log[0].Actor != "tester" ||
		!strings.Contains(log[0].Detail, "client secret replaced") || !strings.Contains(log[0].Detail, webrootsim.DefaultUsername) {
		t.Errorf("audit %+v", log)
	}
	raw, _ := json.Marshal(res)
	for _, secret := range []string{webrootsim.DefaultClientSecret, webrootsim.DefaultPassword} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("secret returned to the frontend: %s", raw)
		}
	}
	if st := e.status(); st.State != webrootconn.StateUntested {
		t.Errorf("state after save %+v", st)
	}
}

func TestSaveWithEmptySecretsKeepsTheSavedOnes(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	_ = e.Secrets.Set(secrets.WebrootRefreshToken, "old-refresh-token")
	in := e.good()
	in.ClientSecret, in.Password = "", ""
	in.Username = "other@bluewave-it.example"
	res := e.save(in)
	if !slices.Equal(res.Changed, []string{"Super Admin"}) {
		t.Errorf("changed %v, want [Super Admin]", res.Changed)
	}
	if got, _ := e.Secrets.Get(secrets.WebrootClientSecret); got != webrootsim.DefaultClientSecret {
		t.Errorf("client secret %q after a save that left it empty", got)
	}
	if got, _ := e.Secrets.Get(secrets.WebrootPassword); got != webrootsim.DefaultPassword {
		t.Errorf("password %q after a save that left it empty", got)
	}
	if has, _ := e.Secrets.Has(secrets.WebrootRefreshToken); has {
		t.Error("the refresh token of the previous Super Admin was kept")
	}
	log, _ := e.Store.AuditLog(context.Background(), 10)
	if len(log) != 2 || !strings.Contains(log[0].Detail, "client secret kept, admin password kept; changed: Super Admin") {
		t.Errorf("audit %+v", log)
	}

	// Saving the same values again changes nothing and writes no audit entry.
	_ = e.Secrets.Set(secrets.WebrootRefreshToken, "fresh")
	res = e.save(in)
	if len(res.Changed) != 0 || e.Count(`SELECT COUNT(*) FROM audit_log`) != 2 {
		t.Errorf("unchanged save: changed %v", res.Changed)
	}
	if has, _ := e.Secrets.Has(secrets.WebrootRefreshToken); !has {
		t.Error("an unchanged save dropped the refresh token")
	}
}

func TestEmptySecretWithNothingSavedIsAFieldError(t *testing.T) {
	e := newEnv(t, nil)
	in := e.good()
	in.Password = ""
	err := e.svc.Validate(in)
	var v *apperr.Validation
	if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != webroot.FieldPassword {
		t.Fatalf("want one Admin Password error, got %v", err)
	}
}

func TestKeychainFailureSavesNothing(t *testing.T) {
	e := newEnv(t, nil)
	mem := e.Secrets.(*secrets.Memory)
	mem.Fail = secrets.ErrUnavailable
	_, err := e.svc.Save(context.Background(), "tester", e.good())
	if !errors.Is(err, secrets.ErrUnavailable) || !strings.Contains(err.Error(), "not saved") {
		t.Fatalf("want a keychain error saying nothing was saved, got %v", err)
	}
	mem.Fail = nil
	if n := e.Count(`SELECT COUNT(*) FROM settings WHERE key LIKE 'webroot.%'`); n != 0 {
		t.Errorf("%d settings written although the keychain failed", n)
	}
	// The form still loads and says what is wrong.
	mem.Fail = secrets.ErrUnavailable
	v, err := e.svc.GetConfig(context.Background())
	if err != nil || v.KeychainProblem == "" {
		t.Errorf("GetConfig with a broken keychain: %+v, %v", v, err)
	}
}

func TestDatabaseFailurePutsTheOldSecretsBack(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	in := e.good()
	in.ClientSecret, in.Password = "new-secret", "new-password"
	// The audit write (the last of the transaction) fails, as on a full disk.
	if _, err := e.Store.DB.Exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Save(context.Background(), "tester", in); err == nil || !strings.Contains(err.Error(), "not saved") {
		t.Fatalf("save with a failing database: %v", err)
	}
	if got, _ := e.Setting(webrootconn.KeySite); got != e.url {
		t.Errorf("site setting %q after a rolled-back save", got)
	}
	if got, _ := e.Secrets.Get(secrets.WebrootClientSecret); got != webrootsim.DefaultClientSecret {
		t.Errorf("client secret %q: a failed save left the new one", got)
	}
	if got, _ := e.Secrets.Get(secrets.WebrootPassword); got != webrootsim.DefaultPassword {
		t.Errorf("password %q: a failed save left the new one", got)
	}
}
