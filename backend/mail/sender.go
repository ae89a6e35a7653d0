package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// DefaultTimeout bounds a whole send (connect, TLS, login and transfer) unless
// Sender.Timeout says otherwise: long enough for a slow server, short enough that "Send
// test email" does not leave the user waiting on a firewall that drops packets.
const DefaultTimeout = 30 * time.Second

// helloName is what the app calls itself in EHLO. A laptop has no stable public name, and
// submission servers (587/465) accept "localhost" from authenticated clients.
const helloName = "localhost"

// Sender sends messages through an SMTP server. The zero value is ready to use.
type Sender struct {
	// TLSConfig is the base TLS configuration (trusted roots for tests); nil uses the
	// system's roots. ServerName is filled in from the settings when empty.
	TLSConfig *tls.Config
	// Now is the clock for the Date header; nil uses time.Now.
	Now func() time.Time
	// Timeout bounds each send; 0 means DefaultTimeout.
	Timeout time.Duration
	// Resolver looks up the server's name; nil uses the system resolver.
	Resolver *net.Resolver
}

// Send delivers msg through the server in st, logging in with password when st has a
// username. It returns the server's final reply (such as "250 2.0.0 Ok: queued as 1234").
// Invalid settings or addresses give an *apperr.Validation; every failure on the way gives
// a *SendError that says in words what went wrong. No error contains the password.
func (s *Sender) Send(ctx context.Context, st Settings, password string, msg Message) (string, error) {
	st = st.normalized()
	if err := st.validate(nil); err != nil {
		return "", err
	}
	if problem := checkAddress(strings.TrimSpace(msg.To)); problem != "" {
		return "", fmt.Errorf("sending to %q: %s", msg.To, problem)
	}
	msg.To = strings.TrimSpace(msg.To)
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	data, err := build(msg, sender{Address: st.FromAddress, Name: st.FromName}, now())
	if err != nil {
		return "", err
	}
	x := &exchange{sender: s, settings: st, password: password, to: msg.To}
	return x.run(ctx, data)
}

// exchange is one SMTP session; it remembers how far it got so that a failure can be
// explained by the step it happened in.
type exchange struct {
	sender   *Sender
	settings Settings
	password string
	to       string
	step     step
	limit    time.Duration // the time this send was given, for the timeout message
}

// step is a stage of the SMTP exchange.
type step int

const (
	stepConnect   step = iota // TCP connect (and name lookup)
	stepTLS                   // TLS handshake: implicit, or right after STARTTLS
	stepGreeting              // greeting and EHLO
	stepStartTLS              // greeting, EHLO and the STARTTLS command
	stepAuth                  // AUTH
	stepSender                // MAIL FROM
	stepRecipient             // RCPT TO
	stepMessage               // DATA and the final reply
)

func (x *exchange) address() string {
	return net.JoinHostPort(x.settings.Host, strconv.Itoa(x.settings.Port))
}

func (x *exchange) timeout() time.Duration {
	if x.sender.Timeout > 0 {
		return x.sender.Timeout
	}
	return DefaultTimeout
}

// tlsConfig verifies the server's certificate against the name the user typed.
func (x *exchange) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if x.sender.TLSConfig != nil {
		cfg = x.sender.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = x.settings.Host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

// run performs the exchange and explains a failure while its context still tells whether
// the deadline caused it.
func (x *exchange) run(parent context.Context, data []byte) (string, error) {
	ctx, cancel := context.WithTimeout(parent, x.timeout())
	defer cancel()
	x.limit = x.timeout()
	if d, ok := ctx.Deadline(); ok {
		x.limit = time.Until(d).Round(time.Millisecond) // the caller's deadline may be sooner
	}
	reply, err := x.send(ctx, data)
	if err != nil {
		return "", x.classify(ctx, err)
	}
	return reply, nil
}

func (x *exchange) send(ctx context.Context, data []byte) (string, error) {
	x.step = stepConnect
	dialer := &net.Dialer{Resolver: x.sender.Resolver}
	conn, err := dialer.DialContext(ctx, "tcp", x.address())
	if err != nil {
		return "", err
	}
	// go-smtp knows no contexts: closing the connection when the context ends (timeout or
	// the user cancelling) unblocks whatever read or write is in progress.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()

	c, err := x.open(ctx, conn)
	if err != nil {
		return "", err
	}
	defer c.Close()
	// Per-command deadlines must not outlive the overall one.
	if d, ok := ctx.Deadline(); ok {
		c.CommandTimeout = time.Until(d)
		c.SubmissionTimeout = time.Until(d)
	}

	if x.settings.Username != "" {
		x.step = stepAuth
		if err := x.login(c); err != nil {
			return "", err
		}
	}
	x.step = stepSender
	if err := c.Mail(x.settings.FromAddress, mailOptions(x.settings.FromAddress, x.to)); err != nil {
		return "", err
	}
	x.step = stepRecipient
	if err := c.Rcpt(x.to, nil); err != nil {
		return "", err
	}
	x.step = stepMessage
	w, err := c.Data()
	if err != nil {
		return "", err
	}
	if _, err := w.Write(data); err != nil {
		return "", err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return "", err
	}
	_ = c.Quit() // the message is accepted; a failing goodbye changes nothing
	return "250 " + resp.StatusText, nil
}

// open performs the greeting and, per the Security setting, the TLS handshake. It returns
// only once the session is encrypted (or plain on loopback, which validation enforced).
func (x *exchange) open(ctx context.Context, conn net.Conn) (*smtp.Client, error) {
	switch x.settings.Security {
	case SecurityTLS:
		x.step = stepTLS
		tc := tls.Client(conn, x.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		c := smtp.NewClient(tc)
		x.step = stepGreeting
		return c, c.Hello(helloName)
	case SecurityStartTLS:
		x.step = stepStartTLS
		// NewClientStartTLS refuses to go on when the server does not offer STARTTLS, so
		// nothing (no AUTH, no message) is ever sent in plain text.
		c, err := smtp.NewClientStartTLS(conn, x.tlsConfig())
		if err != nil {
			return nil, err
		}
		// The handshake happens on the next write: a fresh EHLO, which must be repeated
		// after STARTTLS anyway, makes a certificate problem surface here, by name.
		x.step = stepTLS
		return c, c.Hello(helloName)
	default: // SecurityNone: validation allowed it for loopback only
		c := smtp.NewClient(conn)
		x.step = stepGreeting
		return c, c.Hello(helloName)
	}
}

// errNoAuth means a username is set but the server offers no login on this connection.
var errNoAuth = errors.New("the server does not offer AUTH")

// errNoMechanism means the server offers AUTH but none of the mechanisms this app speaks.
type errNoMechanism struct{ offered string }

func (e errNoMechanism) Error() string { return "no supported AUTH mechanism in: " + e.offered }

// login authenticates with PLAIN, or LOGIN when that is all the server offers (older
// Exchange servers). Both send the password as is, which is why TLS comes first.
func (x *exchange) login(c *smtp.Client) error {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return errNoAuth
	}
	var client sasl.Client
	switch {
	case c.SupportsAuth(sasl.Plain):
		client = sasl.NewPlainClient("", x.settings.Username, x.password)
	case c.SupportsAuth(sasl.Login):
		client = sasl.NewLoginClient(x.settings.Username, x.password)
	default:
		return errNoMechanism{offered: mechs}
	}
	return c.Auth(client)
}

// mailOptions asks for SMTPUTF8 only when an address needs it.
func mailOptions(addrs ...string) *smtp.MailOptions {
	for _, a := range addrs {
		for i := 0; i < len(a); i++ {
			if a[i] >= 0x80 {
				return &smtp.MailOptions{UTF8: true}
			}
		}
	}
	return nil
}

// redact removes the password (and the AUTH PLAIN blob that carries it) from text that
// came from elsewhere, in case a server ever echoes what it was sent. Passwords shorter
// than 4 characters are left alone: masking every "a" in a message would only garble it.
func (x *exchange) redact(s string) string {
	if len(x.password) < 4 {
		return s
	}
	s = strings.ReplaceAll(s, x.password, "[password]")
	blob := sasl.NewPlainClient("", x.settings.Username, x.password)
	if _, ir, err := blob.Start(); err == nil {
		s = strings.ReplaceAll(s, encodeBase64(ir), "[password]")
	}
	return s
}
