package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"html"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/apperr"
)

var sentAt = time.Date(2026, 3, 3, 13, 5, 0, 0, time.UTC)

// fixture is a server plus a Sender and Settings that reach it.
type fixture struct {
	server   *testServer
	sender   *Sender
	settings Settings
	pool     *x509.CertPool // trusts the server's certificate
}

func newFixture(t *testing.T, mode serverMode, security string, options ...func(*testServer)) fixture {
	t.Helper()
	cert, pool := testCert(t)
	ts := startServer(t, mode, cert, options...)
	return fixture{
		server: ts,
		pool:   pool,
		sender: &Sender{TLSConfig: &tls.Config{RootCAs: pool}, Now: func() time.Time { return sentAt }, Timeout: 5 * time.Second},
		settings: Settings{
			Host: "127.0.0.1", Port: ts.Port, Security: security,
			Username: ts.Username, FromAddress: "billing@example.com", FromName: "Zoë's IT Billing",
		},
	}
}

func TestAccountLinkOverSTARTTLSWithAuthPlain(t *testing.T) {
	f := newFixture(t, modeStartTLS, SecurityStartTLS)
	link := "cwm-webroot://activate?token=Zm9v-YmFy_baz0123456789abcdefghijKLMNOPQRSTUVwxyz&v=1"
	expires := sentAt.Add(24 * time.Hour)
	msg, err := AccountEmail{Kind: LinkInvite, CompanyName: "Acme & Söhne <IT>", RecipientName: "José Müller",
		InvitedBy: "Ann Admin", Link: link, Expires: expires, Now: sentAt}.Message()
	if err != nil {
		t.Fatal(err)
	}
	msg.To = "jose@example.net"

	reply, err := f.sender.Send(context.Background(), f.settings, f.server.Password, msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if reply != "250 2.0.0 Ok: queued as 12345" {
		t.Errorf("reply %q", reply)
	}
	if got := f.server.AuthAttempts(); len(got) != 1 || got[0] != "PLAIN" {
		t.Errorf("AUTH mechanisms tried %v, want [PLAIN]", got)
	}
	msgs := f.server.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if !got.TLS {
		t.Error("the message was received on an unencrypted session")
	}
	if got.From != "billing@example.com" || len(got.To) != 1 || got.To[0] != "jose@example.net" {
		t.Errorf("envelope from %q to %v", got.From, got.To)
	}

	p := parseMessage(t, got.Data)
	if d, err := p.Header.Date(); err != nil || !d.Equal(sentAt) {
		t.Errorf("Date %q (%v), want %v", p.Header.Get("Date"), err, sentAt)
	}
	if id := p.Header.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@example\.com>$`).MatchString(id) {
		t.Errorf("Message-ID %q", id)
	}
	from, err := p.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Zoë's IT Billing" || from[0].Address != "billing@example.com" {
		t.Errorf("From %q: %v %v", p.Header.Get("From"), from, err)
	}
	if raw := p.Header.Get("From"); !strings.HasPrefix(raw, "=?utf-8?") {
		t.Errorf("From %q: the non-ASCII name is not RFC 2047 encoded", raw)
	}
	to, err := p.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "José Müller" || to[0].Address != "jose@example.net" {
		t.Errorf("To %q: %v %v", p.Header.Get("To"), to, err)
	}
	if p.Subject != msg.Subject || !strings.Contains(p.Subject, "Acme & Söhne <IT>") {
		t.Errorf("Subject %q, want %q", p.Subject, msg.Subject)
	}
	if raw := p.Header.Get("Subject"); !strings.Contains(raw, "=?utf-8?") {
		t.Errorf("Subject %q: the non-ASCII text is not RFC 2047 encoded", raw)
	}
	if v := p.Header.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted %q", v)
	}

	// The plain-text part carries the link verbatim on a line of its own.
	if !strings.Contains("\n"+p.Text+"\n", "\n"+link+"\n") {
		t.Errorf("text part lacks the link on its own line:\n%s", p.Text)
	}
	mustContain(t, "text part", p.Text, "Ann Admin has invited you to join Acme & Söhne <IT>")
	// The HTML part escapes it: the href, unescaped as a browser would, is the link exactly.
	hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(p.HTML, -1)
	if len(hrefs) != 1 || html.UnescapeString(hrefs[0][1]) != link {
		t.Errorf("HTML hrefs %q, want one that unescapes to %q", hrefs, link)
	}
	mustContain(t, "HTML part", p.HTML, html.EscapeString(link))
	if strings.Contains(p.HTML, "&v=1") {
		t.Error("HTML part has an unescaped & in the link")
	}
	mustContain(t, "HTML part", p.HTML, "Acme &amp; Söhne &lt;IT&gt;")
	if strings.Contains(p.HTML, "<IT>") {
		t.Error("HTML part has the company name unescaped")
	}
}

func TestImplicitTLS(t *testing.T) {
	f := newFixture(t, modeTLS, SecurityTLS)
	res, err := f.sender.SendTest(context.Background(), f.settings, f.server.Password, "me@example.net")
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || !strings.HasPrefix(res.Summary, "The server accepted the test message (250 2.0.0 Ok: queued as 12345).") {
		t.Errorf("result %+v", res)
	}
	if res.ServerReply != "250 2.0.0 Ok: queued as 12345" {
		t.Errorf("ServerReply %q", res.ServerReply)
	}
	msgs := f.server.Messages()
	if len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("received %d messages (TLS %v), want 1 over TLS", len(msgs), len(msgs) == 1 && msgs[0].TLS)
	}
	p := parseMessage(t, msgs[0].Data)
	mustContain(t, "test message text", p.Text, "test message from Manage Webroot Integration")
}

func TestAuthLoginWhenPlainIsNotOffered(t *testing.T) {
	f := newFixture(t, modeStartTLS, SecurityStartTLS, func(ts *testServer) { ts.Mechanisms = []string{"LOGIN"} })
	res, err := f.sender.SendTest(context.Background(), f.settings, f.server.Password, "me@example.net")
	if err != nil || !res.OK {
		t.Fatalf("SendTest: %+v %v", res, err)
	}
	if got := f.server.AuthAttempts(); len(got) != 1 || got[0] != "LOGIN" {
		t.Errorf("AUTH mechanisms tried %v, want [LOGIN]", got)
	}
}

func TestWrongPasswordIsNamedAndNeverEchoed(t *testing.T) {
	f := newFixture(t, modeStartTLS, SecurityStartTLS)
	const wrong = "Wrong-Secret-9876"
	res, err := f.sender.SendTest(context.Background(), f.settings, wrong, "me@example.net")
	if err != nil {
		t.Fatal(err)
	}
	if res.OK {
		t.Fatal("a wrong password was reported as OK")
	}
	mustContain(t, "summary", res.Summary, "The server refused the username or password (535 5.7.8 Authentication failed).")
	if res.ServerReply != "535 5.7.8 Authentication failed" {
		t.Errorf("ServerReply %q", res.ServerReply)
	}

	_, err = f.sender.Send(context.Background(), f.settings, wrong, testMessage(f.settings, "me@example.net"))
	var se *SendError
	if !errors.As(err, &se) || se.Kind != KindAuth {
		t.Fatalf("Send error %v, want a SendError of kind auth", err)
	}
	for _, s := range []string{res.Summary, res.ServerReply, err.Error(), errors.Unwrap(err).Error()} {
		if strings.Contains(s, wrong) {
			t.Errorf("%q contains the password", s)
		}
	}
	if n := len(f.server.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSTARTTLSRequiredNeverFallsBackToPlainText(t *testing.T) {
	f := newFixture(t, modePlain, SecurityStartTLS) // a server that offers no STARTTLS
	res, err := f.sender.SendTest(context.Background(), f.settings, f.server.Password, "me@example.net")
	if err != nil {
		t.Fatal(err)
	}
	if res.OK {
		t.Fatal("sending without STARTTLS was reported as OK")
	}
	mustContain(t, "summary", res.Summary, "does not offer STARTTLS")
	mustContain(t, "summary", res.Summary, "nothing was sent")
	if n := len(f.server.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
	if got := f.server.AuthAttempts(); len(got) != 0 {
		t.Errorf("the client tried AUTH %v in plain text", got)
	}
	traffic := f.server.Traffic()
	for _, cmd := range []string{"AUTH", "MAIL FROM", "RCPT TO", "DATA"} {
		if regexp.MustCompile(`(?m)^` + cmd).MatchString(traffic) { // a client command, not a reply line
			t.Errorf("%s was sent in plain text:\n%s", cmd, traffic)
		}
	}
}

func TestSecurityNoneOnlyForLoopback(t *testing.T) {
	f := newFixture(t, modePlain, SecurityNone)

	remote := f.settings
	remote.Host = "smtp.example.com"
	_, err := f.sender.SendTest(context.Background(), remote, f.server.Password, "me@example.net")
	var v *apperr.Validation
	if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != FieldSecurity {
		t.Fatalf("none for a remote host: %v, want one Security field error", err)
	}
	mustContain(t, "message", v.Fields[0].Message, "only for a server on this computer")
	if n := len(f.server.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}

	res, err := f.sender.SendTest(context.Background(), f.settings, f.server.Password, "me@example.net")
	if err != nil || !res.OK {
		t.Fatalf("none on 127.0.0.1: %+v %v", res, err)
	}
	if msgs := f.server.Messages(); len(msgs) != 1 || msgs[0].TLS {
		t.Errorf("want one plain-text message on loopback, got %d", len(msgs))
	}
}

func TestConnectionFailuresSayCheckServerAndPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().(*net.TCPAddr).Port
	l.Close()

	base := Settings{Port: closedPort, Security: SecurityStartTLS, FromAddress: "billing@example.com"}
	cases := []struct {
		name, host string
		kind       ErrorKind
		want       string
	}{
		{"connection refused", "127.0.0.1", KindConnect, "Could not connect to 127.0.0.1:" + strconv.Itoa(closedPort) + ": the connection was refused."},
		{"unknown host", "smtp.example.invalid", KindHostNotFound, `The SMTP server "smtp.example.invalid" could not be found.`},
	}
	s := &Sender{Resolver: nxdomainResolver(t), Timeout: 5 * time.Second}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := base
			st.Host = tc.host
			res, err := s.SendTest(context.Background(), st, "", "me@example.net")
			if err != nil || res.OK {
				t.Fatalf("result %+v %v", res, err)
			}
			mustContain(t, "summary", res.Summary, tc.want)
			mustContain(t, "summary", res.Summary, "Check the SMTP Server and Port.")
			_, err = s.Send(context.Background(), st, "", testMessage(st, "me@example.net"))
			if se := (*SendError)(nil); !errors.As(err, &se) || se.Kind != tc.kind {
				t.Errorf("Send error %v, want kind %s", err, tc.kind)
			}
		})
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	// A server that accepts and never greets: what a STARTTLS client meets on port 465.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 1)
	t.Cleanup(func() {
		l.Close()
		for c := range accepted {
			c.Close()
		}
	})
	go func() {
		defer close(accepted)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c // held open, silent, until the test ends
		}
	}()
	st := Settings{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Security: SecurityStartTLS, FromAddress: "billing@example.com"}
	s := &Sender{Timeout: 300 * time.Millisecond}
	start := time.Now()
	_, err = s.Send(context.Background(), st, "", testMessage(st, "me@example.net"))
	var se *SendError
	if !errors.As(err, &se) || se.Kind != KindTimeout {
		t.Fatalf("error %v, want a timeout", err)
	}
	mustContain(t, "summary", se.Summary, "did not answer within 300 milliseconds")
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the timeout took %v", took)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	f := newFixture(t, modeTLS, SecurityTLS)
	f.sender.TLSConfig = &tls.Config{RootCAs: x509.NewCertPool()} // trusts nothing
	_, err := f.sender.Send(context.Background(), f.settings, f.server.Password, testMessage(f.settings, "me@example.net"))
	var se *SendError
	if !errors.As(err, &se) || se.Kind != KindCertificate {
		t.Fatalf("error %v, want a certificate error", err)
	}
	mustContain(t, "summary", se.Summary, "certificate is not trusted")

	// Trusted, but issued for other names than the one typed.
	f.sender.TLSConfig = &tls.Config{RootCAs: f.pool, ServerName: "smtp.example.com"}
	_, err = f.sender.Send(context.Background(), f.settings, f.server.Password, testMessage(f.settings, "me@example.net"))
	if !errors.As(err, &se) || se.Kind != KindCertificate {
		t.Fatalf("error %v, want a certificate error", err)
	}
	mustContain(t, "summary", se.Summary, "certificate is not valid for")
	if n := len(f.server.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestRefusalsAreNamedByCommand(t *testing.T) {
	f := newFixture(t, modeStartTLS, SecurityStartTLS, func(ts *testServer) { ts.RejectRcpt = "nobody@example.net" })
	res, err := f.sender.SendTest(context.Background(), f.settings, f.server.Password, "nobody@example.net")
	if err != nil || res.OK {
		t.Fatalf("result %+v %v", res, err)
	}
	mustContain(t, "summary", res.Summary, "The server refused the recipient nobody@example.net (550 5.1.1 No such user here).")

	noLogin := f.settings
	noLogin.Username = ""
	res, err = f.sender.SendTest(context.Background(), noLogin, "", "me@example.net")
	if err != nil || res.OK {
		t.Fatalf("result %+v %v", res, err)
	}
	mustContain(t, "summary", res.Summary, "The server requires a login (530 5.7.0 Authentication required).")
}

func TestSendTestValidatesInput(t *testing.T) {
	s := &Sender{}
	_, err := s.SendTest(context.Background(), Settings{Host: "smtp.example.com", Port: 587, Security: SecurityStartTLS}, "", "not-an-address")
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("error %v, want a validation error", err)
	}
	fields := map[string]bool{}
	for _, f := range v.Fields {
		fields[f.Field] = true
	}
	if len(fields) != 2 || !fields[FieldFromAddress] || !fields[FieldTestRecipient] {
		t.Errorf("fields %v, want From Address and %s", v.Fields, FieldTestRecipient)
	}
}
