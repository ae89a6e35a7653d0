package account

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

type sentLink struct {
	purpose, to, link, inviter string
}

type fakeMailer struct {
	on   bool
	sent []sentLink
	fail error
}

func (m *fakeMailer) Configured(context.Context) bool { return m.on }
func (m *fakeMailer) SendLink(_ context.Context, purpose string, to User, _, inviter, link string, _ time.Time) error {
	if m.fail != nil {
		return m.fail
	}
	m.sent = append(m.sent, sentLink{purpose, to.Email, link, inviter})
	return nil
}

func newService(t *testing.T, mailer *fakeMailer) (*Service, *clock, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	var m Mailer
	if mailer != nil {
		m = mailer
	}
	return New(st, m, c.now), c, st
}

var goodSignUp = SignUpInput{
	CompanyName: "Bluewave IT Services", TimeZone: "Europe/London", ManageCompanyID: "bluewave",
	ManageSite: "na.myconnectwise.net", Name: "Dana Scully", Email: "dana@bluewave.example",
}

const goodPassword = "correct-violet-tractor-42"

func fieldErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("want a validation error, got %v", err)
	}
	out := map[string]string{}
	for _, f := range v.Fields {
		out[f.Field] = f.Message
	}
	return out
}

func signUpActive(t *testing.T, s *Service) User {
	t.Helper()
	out, err := s.SignUp(context.Background(), goodSignUp)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.SetPassword(context.Background(), out.Link, goodPassword, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignUpValidatesEveryFieldAndSavesNothing(t *testing.T) {
	s, _, _ := newService(t, nil)
	ctx := context.Background()
	_, err := s.SignUp(ctx, SignUpInput{TimeZone: "Mars/Olympus", ManageCompanyID: "has space", ManageSite: "http://cw.example.com", Email: "not-an-email"})
	fe := fieldErrors(t, err)
	for _, f := range []string{FieldCompanyName, FieldTimeZone, FieldManageCompanyID, FieldManageSite, FieldName, FieldEmail} {
		if fe[f] == "" {
			t.Errorf("no message for %q; got %v", f, fe)
		}
	}
	if !strings.Contains(fe[FieldManageSite], "http://") {
		t.Errorf("site message should explain plain http: %q", fe[FieldManageSite])
	}
	if _, ok, _ := s.Company(ctx); ok {
		t.Fatal("a company was saved although the form was invalid")
	}
}

func TestSiteRules(t *testing.T) {
	for site, ok := range map[string]bool{
		"na.myconnectwise.net": true, "https://cw.example.com": true, "https://cw.example.com:8443/": true,
		"http://127.0.0.1:8080": true, "http://localhost:9000": true, "cw.example.com:8443": true,
		"http://cw.example.com": false, "ftp://cw.example.com": false, "cw example.com": false, "-bad.example.com": false, "": false,
	} {
		if got := CheckSite(NormaliseSite(site)) == ""; got != ok {
			t.Errorf("CheckSite(%q) ok=%v, want %v (%s)", site, got, ok, CheckSite(site))
		}
	}
}

func TestSignUpWithoutMailContinuesToPassword(t *testing.T) {
	s, _, _ := newService(t, &fakeMailer{on: false})
	ctx := context.Background()
	out, err := s.SignUp(ctx, goodSignUp)
	if err != nil {
		t.Fatal(err)
	}
	if out.Emailed || out.Token == "" || !strings.HasPrefix(out.Link, "cwm-webroot://activate?token=") {
		t.Fatalf("outcome %+v: want the link handed over", out)
	}
	info, err := s.CheckLink(ctx, out.Link)
	if err != nil || info.Purpose != PurposeActivate || info.Email != goodSignUp.Email || info.CompanyName != goodSignUp.CompanyName {
		t.Fatalf("CheckLink = %+v, %v", info, err)
	}
	if _, err := s.Login(ctx, goodSignUp.Email, goodPassword); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("pending user logged in before setting a password: %v", err)
	}
	u, err := s.SetPassword(ctx, out.Link, goodPassword, goodPassword)
	if err != nil || u.Status != StatusActive || u.Role != RoleAdmin {
		t.Fatalf("SetPassword = %+v, %v", u, err)
	}
	if _, err := s.Login(ctx, "DANA@bluewave.example", goodPassword); err != nil {
		t.Fatalf("login (email case-insensitive): %v", err)
	}
}

func TestSecondSignUpRefused(t *testing.T) {
	s, _, _ := newService(t, nil)
	ctx := context.Background()
	if _, err := s.SignUp(ctx, goodSignUp); err != nil {
		t.Fatal(err)
	}
	other := goodSignUp
	other.CompanyName, other.Email = "Other MSP", "x@other.example"
	if _, err := s.SignUp(ctx, other); !errors.Is(err, ErrAlreadySignedUp) {
		t.Fatalf("second sign-up: %v", err)
	}
	if c, _, _ := s.Company(ctx); c.Name != goodSignUp.CompanyName {
		t.Fatalf("company changed to %q", c.Name)
	}
}

func TestSignUpWithMailSendsLinkNotToken(t *testing.T) {
	m := &fakeMailer{on: true}
	s, _, st := newService(t, m)
	out, err := s.SignUp(context.Background(), goodSignUp)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Emailed || out.Token != "" || out.Link != "" {
		t.Fatalf("emailed sign-up must not hand the link to the screen: %+v", out)
	}
	if len(m.sent) != 1 || m.sent[0].purpose != PurposeActivate || m.sent[0].to != goodSignUp.Email {
		t.Fatalf("sent %+v", m.sent)
	}
	// The database holds only the hash of the token.
	tok, _ := TokenFromLink(m.sent[0].link)
	var n int
	st.DB.QueryRow(`SELECT COUNT(*) FROM account_tokens WHERE token_hash = ?`, tok).Scan(&n)
	if n != 0 {
		t.Fatal("the raw token is stored in the database")
	}
	st.DB.QueryRow(`SELECT COUNT(*) FROM account_tokens WHERE token_hash = ?`, hashToken(tok)).Scan(&n)
	if n != 1 {
		t.Fatal("the token hash is not stored")
	}
}

func TestLinkExpiryReuseAndTampering(t *testing.T) {
	s, c, _ := newService(t, nil)
	ctx := context.Background()
	out, err := s.SignUp(ctx, goodSignUp)
	if err != nil {
		t.Fatal(err)
	}
	// Tampering: change one character of the token.
	tok := out.Token
	flipped := []byte(tok)
	if flipped[5] == 'A' {
		flipped[5] = 'B'
	} else {
		flipped[5] = 'A'
	}
	if _, err := s.CheckLink(ctx, Link(string(flipped))); !errors.Is(err, ErrLinkInvalid) {
		t.Fatalf("tampered link: %v", err)
	}
	if _, err := s.CheckLink(ctx, "cwm-webroot://activate?token="+tok[:20]); err == nil || !strings.Contains(err.Error(), "incomplete") {
		t.Fatalf("truncated link: %v", err)
	}
	if _, err := s.CheckLink(ctx, "https://evil.example/activate?token="+tok); err == nil {
		t.Fatal("a link with another scheme was accepted")
	}
	// A link pasted with decoration still works.
	if _, err := s.CheckLink(ctx, "  <"+out.Link+">. "); err != nil {
		t.Fatalf("decorated link: %v", err)
	}
	// Expiry: valid just before 24 h, refused at 24 h.
	c.advance(LinkLifetime - time.Second)
	if _, err := s.CheckLink(ctx, out.Link); err != nil {
		t.Fatalf("link refused before expiry: %v", err)
	}
	c.advance(time.Second)
	var exp LinkExpiredError
	if _, err := s.SetPassword(ctx, out.Link, goodPassword, goodPassword); !errors.As(err, &exp) || !exp.At.Equal(c.t) {
		t.Fatalf("expired link: %v", err)
	}
	// Reuse: a fresh link works once.
	s2, _, _ := newService(t, nil)
	out2, _ := s2.SignUp(ctx, goodSignUp)
	if _, err := s2.SetPassword(ctx, out2.Link, goodPassword, goodPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.SetPassword(ctx, out2.Link, "another-good-passphrase", "another-good-passphrase"); !errors.Is(err, ErrLinkUsed) {
		t.Fatalf("reused link: %v", err)
	}
}

func TestPasswordRules(t *testing.T) {
	s, _, _ := newService(t, nil)
	ctx := context.Background()
	out, _ := s.SignUp(ctx, goodSignUp)
	cases := map[string][2]string{
		"short":    {"Sh0rt!pass", "Sh0rt!pass"},
		"common":   {"Password1234", "Password1234"},
		"repeat":   {"aaaaaaaaaaaaaa", "aaaaaaaaaaaaaa"},
		"sequence": {"123456789012", "123456789012"},
		"personal": {"bluewave2026!", "bluewave2026!"},
		"mismatch": {goodPassword, goodPassword + "x"},
	}
	for name, pw := range cases {
		_, err := s.SetPassword(ctx, out.Link, pw[0], pw[1])
		fe := fieldErrors(t, err)
		if name == "mismatch" {
			if fe[FieldRetypePassword] == "" {
				t.Errorf("%s: no Retype Password message: %v", name, fe)
			}
		} else if fe[FieldPassword] == "" {
			t.Errorf("%s: no Password message: %v", name, fe)
		}
	}
	// None of the refusals used up the link.
	if _, err := s.SetPassword(ctx, out.Link, goodPassword, goodPassword); err != nil {
		t.Fatalf("link unusable after refused passwords: %v", err)
	}
}

func TestHashing(t *testing.T) {
	h1, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword(goodPassword)
	if h1 == h2 || !strings.HasPrefix(h1, "$argon2id$v=19$") || strings.Contains(h1, goodPassword) {
		t.Fatalf("hashes must be salted argon2id: %q %q", h1, h2)
	}
	if ok, err := VerifyPassword(h1, goodPassword); !ok || err != nil {
		t.Fatalf("verify good: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h1, goodPassword+"!"); ok {
		t.Fatal("wrong password verified")
	}
	if _, err := VerifyPassword("$2a$10$notargon", goodPassword); err == nil {
		t.Fatal("a malformed hash was accepted")
	}
}

func TestLoginMessagesAndLockout(t *testing.T) {
	s, c, _ := newService(t, nil)
	ctx := context.Background()
	signUpActive(t, s)
	_, errUnknown := s.Login(ctx, "nobody@bluewave.example", goodPassword)
	_, errWrong := s.Login(ctx, goodSignUp.Email, "wrong password!")
	if !errors.Is(errUnknown, ErrBadLogin) || !errors.Is(errWrong, ErrBadLogin) || errUnknown.Error() != errWrong.Error() {
		t.Fatalf("unknown email and wrong password must give the same message: %v / %v", errUnknown, errWrong)
	}
	for i := 0; i < 3; i++ {
		s.Login(ctx, goodSignUp.Email, "wrong password!")
	}
	_, err := s.Login(ctx, goodSignUp.Email, "wrong password!") // fifth failure
	var locked LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("fifth failure: %v, want locked", err)
	}
	if want := c.t.Add(LockoutDuration); !locked.Until.Equal(want) {
		t.Fatalf("locked until %v, want %v", locked.Until, want)
	}
	if !strings.Contains(err.Error(), "Try again after") || !strings.Contains(err.Error(), "GMT") {
		t.Fatalf("lock message must say until when, in the company's zone: %q", err)
	}
	// Even the right password is refused while locked.
	c.advance(14 * time.Minute)
	if _, err := s.Login(ctx, goodSignUp.Email, goodPassword); !errors.As(err, &locked) {
		t.Fatalf("login while locked: %v", err)
	}
	c.advance(time.Minute)
	if _, err := s.Login(ctx, goodSignUp.Email, goodPassword); err != nil {
		t.Fatalf("login after the lock expired: %v", err)
	}
	// A success resets the counter: four more failures do not lock.
	for i := 0; i < 4; i++ {
		if _, err := s.Login(ctx, goodSignUp.Email, "wrong password!"); errors.As(err, &locked) {
			t.Fatalf("locked after %d failures following a success", i+1)
		}
	}
}

func TestInviteDisableRemoveAndLastAdmin(t *testing.T) {
	m := &fakeMailer{on: true}
	s, _, _ := newService(t, m)
	ctx := context.Background()
	if _, err := s.SignUp(ctx, goodSignUp); err != nil {
		t.Fatal(err)
	}
	tok, _ := TokenFromLink(m.sent[0].link)
	admin, err := s.SetPassword(ctx, Link(tok), goodPassword, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	// Validation names the fields.
	_, err = s.Invite(ctx, admin, InviteInput{Email: "bad", Role: "owner"})
	fe := fieldErrors(t, err)
	if fe[FieldInviteEmail] == "" || fe[FieldInviteName] == "" || fe[FieldInviteRole] == "" {
		t.Fatalf("invite validation: %v", fe)
	}
	inv, err := s.Invite(ctx, admin, InviteInput{Email: "fox@bluewave.example", Name: "Fox Mulder", Role: RoleUser})
	if err != nil || !inv.Emailed {
		t.Fatalf("invite: %+v %v", inv, err)
	}
	last := m.sent[len(m.sent)-1]
	if last.purpose != PurposeInvite || last.inviter != "Dana Scully" {
		t.Fatalf("invite mail %+v", last)
	}
	if _, err := s.Invite(ctx, admin, InviteInput{Email: "FOX@bluewave.example", Name: "Again"}); err == nil {
		t.Fatal("duplicate invite accepted")
	}
	fox, err := s.SetPassword(ctx, last.link, "fox-trusts-no-one-1013", "fox-trusts-no-one-1013")
	if err != nil || fox.Role != RoleUser {
		t.Fatalf("invitee password: %+v %v", fox, err)
	}
	if _, err := s.Login(ctx, "fox@bluewave.example", "fox-trusts-no-one-1013"); err != nil {
		t.Fatal(err)
	}
	// A plain user cannot administer.
	if _, err := s.Invite(ctx, fox, InviteInput{Email: "x@bluewave.example", Name: "X"}); !errors.Is(err, ErrNotAdmin) {
		t.Fatalf("user invited: %v", err)
	}
	// The last admin can be neither disabled nor removed.
	if err := s.SetDisabled(ctx, admin, admin.ID, true); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("disable last admin: %v", err)
	}
	if err := s.Remove(ctx, admin, admin.ID); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("remove last admin: %v", err)
	}
	// Disabling blocks log-in with its own message; enabling restores it.
	if err := s.SetDisabled(ctx, admin, fox.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "fox@bluewave.example", "fox-trusts-no-one-1013"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("disabled login: %v", err)
	}
	if err := s.SetDisabled(ctx, admin, fox.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "fox@bluewave.example", "fox-trusts-no-one-1013"); err != nil {
		t.Fatalf("re-enabled login: %v", err)
	}
	// Admin reset: a new link; the old password works until it is used.
	if _, err := s.ResetPassword(ctx, admin, fox.ID); err != nil {
		t.Fatal(err)
	}
	reset := m.sent[len(m.sent)-1]
	if reset.purpose != PurposeReset {
		t.Fatalf("reset mail %+v", reset)
	}
	if _, err := s.SetPassword(ctx, reset.link, "fox-new-passphrase-77", "fox-new-passphrase-77"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "fox@bluewave.example", "fox-trusts-no-one-1013"); err == nil {
		t.Fatal("old password still works after reset")
	}
	if err := s.Remove(ctx, admin, fox.ID); err != nil {
		t.Fatal(err)
	}
	users, _ := s.Users(ctx)
	if len(users) != 1 {
		t.Fatalf("users after remove: %+v", users)
	}
}

func TestForgotPasswordNeedsMailAndHidesUnknownAddresses(t *testing.T) {
	s, _, _ := newService(t, &fakeMailer{on: false})
	ctx := context.Background()
	signUpActive(t, s)
	if err := s.ForgotPassword(ctx, goodSignUp.Email); err == nil || !strings.Contains(err.Error(), "reset-password") {
		t.Fatalf("without mail: %v", err)
	}
	m := &fakeMailer{on: true}
	s.mailer = m
	if err := s.ForgotPassword(ctx, "nobody@bluewave.example"); err != nil || len(m.sent) != 0 {
		t.Fatalf("unknown address: %v, sent %v", err, m.sent)
	}
	if err := s.ForgotPassword(ctx, goodSignUp.Email); err != nil || len(m.sent) != 1 || m.sent[0].purpose != PurposeReset {
		t.Fatalf("known address: %v, sent %v", err, m.sent)
	}
}

func TestSetPasswordDirectUnlocks(t *testing.T) {
	s, _, _ := newService(t, nil)
	ctx := context.Background()
	signUpActive(t, s)
	for i := 0; i < MaxFailedLogins; i++ {
		s.Login(ctx, goodSignUp.Email, "wrong password!")
	}
	if _, err := s.SetPasswordDirect(ctx, goodSignUp.Email, "weak"); err == nil {
		t.Fatal("weak password accepted from the command line")
	}
	if _, err := s.SetPasswordDirect(ctx, "nobody@x.example", goodPassword); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Fatalf("unknown user: %v", err)
	}
	if _, err := s.SetPasswordDirect(ctx, goodSignUp.Email, "a-brand-new-passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, goodSignUp.Email, "a-brand-new-passphrase"); err != nil {
		t.Fatalf("login after CLI reset: %v", err)
	}
}

func TestMailFailureKeepsAccountAndSaysSo(t *testing.T) {
	m := &fakeMailer{on: true, fail: errors.New("535 5.7.8 authentication failed")}
	s, _, _ := newService(t, m)
	_, err := s.SignUp(context.Background(), goodSignUp)
	if err == nil || !strings.Contains(err.Error(), "could not be sent") || !strings.Contains(err.Error(), "535") {
		t.Fatalf("mail failure: %v", err)
	}
	if _, ok, _ := s.Company(context.Background()); !ok {
		t.Fatal("company lost because mail failed")
	}
}
