package mail

import (
	"context"
	"crypto/tls"
	"regexp"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// A real SMTP exchange from sign-up to log-in: the message that reaches the server carries
// a link, and that link (taken from the decoded text part) activates the account.
func TestSignUpEmailLinkActivatesAccount(t *testing.T) {
	f := newFixture(t, modeStartTLS, SecurityStartTLS)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sec := secrets.NewMemory()
	pw := f.server.Password
	if err := Save(ctx, st, sec, "admin@msp.example", f.settings, &pw); err != nil {
		t.Fatal(err)
	}
	m := &AccountMailer{Store: st, Secrets: sec, Sender: &Sender{TLSConfig: &tls.Config{RootCAs: f.pool}, Timeout: 5 * time.Second}}
	if !m.Configured(ctx) {
		t.Fatal("mail with saved settings and password is not configured")
	}
	svc := account.New(st, m, nil)
	out, err := svc.SignUp(ctx, account.SignUpInput{CompanyName: "Bluewave IT", TimeZone: "America/Chicago", ManageCompanyID: "bluewave",
		ManageSite: "na.myconnectwise.net", Name: "Dana Scully", Email: "dana@bluewave.example"})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Emailed || out.Link != "" {
		t.Fatalf("outcome %+v: the link must go by email only", out)
	}
	msgs := f.server.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "dana@bluewave.example" {
		t.Fatalf("server received %+v", msgs)
	}
	p := parseMessage(t, msgs[0].Data)
	link := regexp.MustCompile(`cwm-webroot://activate\?token=[A-Za-z0-9_-]+`).FindString(p.Text)
	if link == "" || !strings.Contains(p.HTML, link) {
		t.Fatalf("no link in the message parts:\n%s", p.Text)
	}
	if _, err := svc.SetPassword(ctx, link, "violet-tractor-moon-42", "violet-tractor-moon-42"); err != nil {
		t.Fatalf("activating with the emailed link: %v", err)
	}
	if _, err := svc.Login(ctx, "dana@bluewave.example", "violet-tractor-moon-42"); err != nil {
		t.Fatalf("login after activation: %v", err)
	}
}

func TestAccountMailerWrongPasswordIsClear(t *testing.T) {
	f := newFixture(t, modeStartTLS, SecurityStartTLS)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sec := secrets.NewMemory()
	wrong := "definitely-not-the-password"
	if err := Save(ctx, st, sec, "admin@msp.example", f.settings, &wrong); err != nil {
		t.Fatal(err)
	}
	m := &AccountMailer{Store: st, Secrets: sec, Sender: &Sender{TLSConfig: &tls.Config{RootCAs: f.pool}, Timeout: 5 * time.Second}}
	svc := account.New(st, m, nil)
	_, err = svc.SignUp(ctx, account.SignUpInput{CompanyName: "Bluewave IT", TimeZone: "UTC", ManageCompanyID: "bluewave",
		ManageSite: "na.myconnectwise.net", Name: "Dana Scully", Email: "dana@bluewave.example"})
	if err == nil || !strings.Contains(err.Error(), "could not be sent") || !strings.Contains(err.Error(), "535") || strings.Contains(err.Error(), wrong) {
		t.Fatalf("wrong SMTP password: %v", err)
	}
}
