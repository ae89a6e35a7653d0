package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testServer is an in-process SMTP server on 127.0.0.1 that records what it receives.
type testServer struct {
	Addr     string
	Port     int
	Username string
	Password string
	// Mechanisms offered for AUTH; PLAIN when empty.
	Mechanisms []string
	// RejectRcpt makes RCPT TO refuse this address with 550 5.1.1.
	RejectRcpt string

	mu       sync.Mutex
	messages []received
	authed   []string // mechanisms that were tried
	traffic  bytes.Buffer
}

// received is one message as the server got it.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
}

type serverMode int

const (
	modeStartTLS serverMode = iota // plain listener offering STARTTLS
	modeTLS                        // implicit TLS listener
	modePlain                      // no TLS at all; AUTH allowed in plain text (a bad server)
)

// startServer runs a server in the given mode until the test ends. Options adjust it
// before it starts, so its sessions never race with the test's writes.
func startServer(t *testing.T, mode serverMode, cert tls.Certificate, options ...func(*testServer)) *testServer {
	t.Helper()
	ts := &testServer{Username: "billing@example.com", Password: "correct horse battery staple"}
	for _, o := range options {
		o(ts)
	}
	srv := smtp.NewServer(ts)
	srv.Domain = "localhost"
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	srv.Debug = lockedWriter{&ts.mu, &ts.traffic}
	srv.ErrorLog = testLogger{t}
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case modeStartTLS:
		srv.TLSConfig = tlsCfg
	case modeTLS:
		srv.TLSConfig = tlsCfg
		l = tls.NewListener(l, tlsCfg)
	case modePlain:
		srv.AllowInsecureAuth = true
	}
	ts.Addr = l.Addr().String()
	ts.Port = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return ts
}

func (ts *testServer) Messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.messages...)
}

func (ts *testServer) AuthAttempts() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.authed...)
}

// Traffic is everything both sides said, as the server's debug log saw it.
func (ts *testServer) Traffic() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.traffic.String()
}

// NewSession implements smtp.Backend.
func (ts *testServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &testSession{server: ts, tls: isTLS}, nil
}

type testSession struct {
	server *testServer
	tls    bool
	authed bool
	from   string
	to     []string
}

func (s *testSession) AuthMechanisms() []string {
	if len(s.server.Mechanisms) > 0 {
		return s.server.Mechanisms
	}
	return []string{sasl.Plain}
}

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	s.server.mu.Lock()
	s.server.authed = append(s.server.authed, mech)
	s.server.mu.Unlock()
	check := func(username, password string) error {
		if username != s.server.Username || password != s.server.Password {
			return smtp.ErrAuthFailed // 535 5.7.8
		}
		s.authed = true
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, username, password string) error { return check(username, password) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.server.RejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.server.mu.Lock()
	s.server.messages = append(s.server.messages, received{From: s.from, To: s.to, Data: b, TLS: s.tls})
	s.server.mu.Unlock()
	// Returning a 250 "error" is how go-smtp lets a backend choose its success reply.
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "Ok: queued as 12345"}
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN, which go-sasl provides only as a client.
type loginServer struct {
	check    func(username, password string) error
	username string
	step     int
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if response == nil { // no initial response: ask for the username
			return []byte("Username:"), false, nil
		}
		l.username, l.step = string(response), 2
		return []byte("Password:"), false, nil
	case 1:
		l.username, l.step = string(response), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.username, string(response))
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(b)
}

type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf("smtp server: "+format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(append([]any{"smtp server:"}, v...)...) }

// testCert makes a self-signed certificate for localhost, 127.0.0.1 and ::1 and a pool
// that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test SMTP server"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: parsed}, pool
}

// nxdomainResolver answers every DNS question with "no such name", from a real UDP server
// on 127.0.0.1, so the unknown-host test does not depend on the machine's DNS.
func nxdomainResolver(t *testing.T) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil || n < 12 {
				continue
			}
			if resp := nxdomain(buf[:n]); resp != nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

// nxdomain builds the NXDOMAIN answer to a query: same ID and question, no records.
func nxdomain(q []byte) []byte {
	end := 12
	for end < len(q) && q[end] != 0 { // skip the question's name labels
		end += int(q[end]) + 1
	}
	end += 1 + 4 // the root label, QTYPE and QCLASS
	if end > len(q) {
		return nil
	}
	resp := append([]byte(nil), q[:end]...)
	resp[2] = 0x80 | 0x04 | q[2]&0x01 // response, authoritative, recursion desired as asked
	resp[3] = 0x80 | 0x03             // recursion available, NXDOMAIN
	resp[4], resp[5] = 0, 1           // one question
	for i := 6; i < 12; i++ {         // no answers, authorities or additional records
		resp[i] = 0
	}
	return resp
}

// mustContain reports a failure when s lacks sub.
func mustContain(t *testing.T, what, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%s %q does not contain %q", what, s, sub)
	}
}
