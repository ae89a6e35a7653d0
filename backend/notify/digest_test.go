package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"

	"cwm-webroot/backend/mail"
	"cwm-webroot/backend/mail/mailtest"
	"cwm-webroot/backend/syncer"
)

// parsedMail is a received message taken apart the way a mail client would.
type parsedMail struct {
	header     netmail.Header
	subject    string
	text, html string
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parsing the message: %v", err)
	}
	p := parsedMail{header: m.Header}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("decoding the subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("content type %q (%v)", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = part
		switch strings.ToLower(part.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			r = quotedprintable.NewReader(part)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, part)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.text = string(body)
		case "text/html":
			p.html = string(body)
		}
	}
	return p
}

// digestFixture is a fixture whose mail settings point at a real SMTP server on 127.0.0.1
// (STARTTLS, a login whose password is only in the in-memory keychain).
func digestFixture(t *testing.T, recipients string) (*fixture, *mailtest.Server) {
	t.Helper()
	f := newFixture(t)
	cert, pool := mailtest.Cert(t)
	srv := mailtest.Start(t, mailtest.ModeStartTLS, cert)
	password := mailtest.DefaultPassword
	err := mail.Save(context.Background(), f.st, f.sec, "admin@msp.example", mail.Settings{Host: "127.0.0.1", Port: srv.Port,
		Security: mail.SecurityStartTLS, Username: mailtest.DefaultUsername,
		FromAddress: "integration@msp.example", FromName: "MSP Billing"}, &password)
	if err != nil {
		t.Fatal(err)
	}
	f.Mail = &mail.Sender{TLSConfig: &tls.Config{RootCAs: pool}}
	f.prefs(t, func(p *Preferences) { p.DigestEnabled, p.DigestRecipients = true, recipients })
	return f, srv
}

func digestRun() syncer.Result {
	res := result(42, syncer.StatusPartial,
		change(1, "Smith & Sons <UK>", syncer.StateApplied, 10, 12, ""),
		change(2, "Contoso", syncer.StateApplied, 5.5, 4, ""),
		change(3, "Fabrikam", syncer.StateFailed, 7, 9, `Manage answered 400: "quantity" <locked>`),
		change(4, "Globex", syncer.StateHeld, 40, 0, "drops to 0: review before removing every seat"),
		change(5, "Initech", syncer.StateUnchanged, 3, 3, ""),
		change(6, "Umbrella", syncer.StateBlocked, 3, 4, "agreement cancelled"))
	res.Changes[1].Product, res.Changes[1].ProductIdentifier = "dns", "WEBROOT-DNS"
	res.Changes[1].Before = nil
	// Prices from Manage: what the applied and held changes do to the bill. Contoso's has no
	// current quantity, so no amount.
	res.Changes[0].UnitPrice, res.Changes[1].UnitPrice, res.Changes[3].UnitPrice = fptr(3.5), fptr(2), fptr(1500.25)
	return res
}

func TestDigestThroughRealSMTPServer(t *testing.T) {
	f, srv := digestFixture(t, "billing@msp.example, owner@msp.example")
	ctx := context.Background()
	if err := f.AfterSync(ctx, digestRun()); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("server received %d messages, want 2", len(msgs))
	}
	for i, want := range []string{"billing@msp.example", "owner@msp.example"} {
		m := msgs[i]
		if !m.TLS || m.From != "integration@msp.example" || len(m.To) != 1 || m.To[0] != want {
			t.Errorf("message %d: TLS %v from %q to %q, want %q over TLS", i, m.TLS, m.From, m.To, want)
		}
		p := parseMail(t, m.Data)
		if want := "Webroot → Manage sync: 2 applied, 1 failed, 1 awaiting review"; p.subject != want {
			t.Errorf("subject %q, want %q", p.subject, want)
		}
		to, err := p.header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != want {
			t.Errorf("To %v (%v), want %s", to, err, want)
		}
		if p.header.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("Auto-Submitted %q", p.header.Get("Auto-Submitted"))
		}
		mustContain(t, "text part", p.text,
			"On the bill: +7.00 applied, −60,010.00 awaiting review (per billing cycle, at the additions' unit prices).",
			"Applied (2):",
			"- Smith & Sons <UK> / Smith & Sons <UK> MSA / Endpoint Protection (WEBROOT-EP): 10 → 12",
			"- Contoso / Contoso MSA / DNS Protection (WEBROOT-DNS): ? → 4",
			"Failed (1):",
			"- Fabrikam / Fabrikam MSA / Endpoint Protection (WEBROOT-EP): 7 → 9",
			`Error: Manage answered 400: "quantity" <locked>`,
			"Awaiting review (1):",
			"- Globex / Globex MSA / Endpoint Protection (WEBROOT-EP): 40 → 0",
			"Reason: drops to 0: review before removing every seat")
		for _, absent := range []string{"Initech", "Umbrella"} {
			if strings.Contains(p.text, absent) || strings.Contains(p.html, absent) {
				t.Errorf("the digest lists %s, which neither changed nor failed", absent)
			}
		}
		mustContain(t, "HTML part", p.html,
			"<td>Smith &amp; Sons &lt;UK&gt;</td>",
			"Manage answered 400: &#34;quantity&#34; &lt;locked&gt;",
			"<td>Globex</td>", "drops to 0", "On the bill: &#43;7.00 applied, −60,010.00 awaiting review", "Applied (2)", "Failed (1)", "Awaiting review (1)",
			"<td>DNS Protection (WEBROOT\u2011DNS)</td>")
		if strings.Contains(p.html, "<UK>") || strings.Contains(p.html, "<locked>") {
			t.Error("the HTML part has unescaped names or errors")
		}
		if strings.Contains(string(m.Data), mailtest.DefaultPassword) {
			t.Error("the message contains the SMTP password")
		}
	}
	// The desktop still got its own notifications.
	expectSent(t, f.takeSent(), "Sync partly failed", "Changes awaiting review")

	// The same content again (the next scheduled run): no second email.
	again := digestRun()
	again.Run.ID = 43
	if err := f.AfterSync(ctx, again); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("server has %d messages after a repeat, want 2", n)
	}

	// A run with no changes and no errors sends nothing.
	if err := f.AfterSync(ctx, result(44, syncer.StatusNoChanges, change(5, "Initech", syncer.StateUnchanged, 3, 3, ""))); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("server has %d messages after a quiet run, want 2", n)
	}
	if logs := f.logs.String(); strings.Contains(logs, mailtest.DefaultPassword) {
		t.Errorf("the log contains the SMTP password:\n%s", logs)
	}
	mustContain(t, "log", f.logs.String(), "email digest sent")
}

func TestDigestSkippedWhenMailIsNotSetUp(t *testing.T) {
	f := newFixture(t)
	f.prefs(t, func(p *Preferences) { p.DigestEnabled, p.DigestRecipients = true, "billing@msp.example" })
	if err := f.AfterSync(context.Background(), digestRun()); err != nil {
		t.Fatalf("unconfigured mail gave an error: %v", err)
	}
	mustContain(t, "log", f.logs.String(), "email digest skipped: outgoing email is not set up")
}

func TestDigestFailureKeepsThePasswordSecret(t *testing.T) {
	f, srv := digestFixture(t, "billing@msp.example")
	// The keychain now holds a wrong password: the server refuses the login.
	wrong := "hunter2-wrong-password"
	if err := f.sec.Set("smtp/password", wrong); err != nil {
		t.Fatal(err)
	}
	err := f.AfterSync(context.Background(), digestRun())
	if err == nil {
		t.Fatal("a refused login gave no error")
	}
	if len(srv.Messages()) != 0 {
		t.Error("the server accepted a message")
	}
	for what, s := range map[string]string{"error": err.Error(), "log": f.logs.String()} {
		if strings.Contains(s, wrong) || strings.Contains(s, base64.StdEncoding.EncodeToString([]byte(wrong))) {
			t.Errorf("the %s contains the SMTP password: %s", what, s)
		}
	}
	mustContain(t, "log", f.logs.String(), "email digest failed")

	// Not recorded as sent: once the password is right, the same digest goes out.
	if err := f.sec.Set("smtp/password", mailtest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if err := f.AfterSync(context.Background(), digestRun()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("server has %d messages, want 1", n)
	}
}

func TestDigestOffSendsNoEmail(t *testing.T) {
	f, srv := digestFixture(t, "billing@msp.example")
	f.prefs(t, func(p *Preferences) { p.DigestEnabled, p.DigestRecipients = false, "billing@msp.example" })
	if err := f.AfterSync(context.Background(), digestRun()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server has %d messages with the digest off", n)
	}
}
