// Package mailtest runs a real SMTP server inside a test process, so packages that send
// email (backend/mail itself, notification digests) are tested against go-smtp speaking the
// actual protocol on 127.0.0.1 instead of against a mock of the Sender.
//
// It is imported only from _test.go files; nothing in the app links it.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Default credentials the server accepts unless an option changes them.
const (
	DefaultUsername = "billing@example.com"
	DefaultPassword = "correct horse battery staple"
)

// Server is an in-process SMTP server on 127.0.0.1 that records what it receives.
type Server struct {
	Addr     string
	Port     int
	Username string
	Password string
	// Mechanisms offered for AUTH; PLAIN when empty.
	Mechanisms []string
	// RejectRcpt makes RCPT TO refuse this address with 550 5.1.1.
	RejectRcpt string

	mu       sync.Mutex
	messages []Received
	authed   []string // mechanisms that were tried
	traffic  bytes.Buffer
	errors   bytes.Buffer // the server's error log, shown with the test's output at cleanup
}

// Received is one message as the server got it.
type Received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
}

// Mode is how the server's listener is secured.
type Mode int

const (
	ModeStartTLS Mode = iota // plain listener offering STARTTLS
	ModeTLS                  // implicit TLS listener
	ModePlain                // no TLS at all; AUTH allowed in plain text (a bad server)
)

// Start runs a server in the given mode until the test ends. Options adjust it before it
// starts, so its sessions never race with the test's writes.
func Start(t testing.TB, mode Mode, cert tls.Certificate, options ...func(*Server)) *Server {
	t.Helper()
	ts := &Server{Username: DefaultUsername, Password: DefaultPassword}
	for _, o := range options {
		o(ts)
	}
	srv := smtp.NewServer(ts)
	srv.Domain = "localhost"
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	srv.Debug = lockedWriter{&ts.mu, &ts.traffic}
	// Connection goroutines can still log after the test has returned, when testing.T must
	// no longer be used, so the error log goes to a buffer that cleanup hands to t.Log.
	srv.ErrorLog = bufferLogger{lockedWriter{&ts.mu, &ts.errors}}
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case ModeStartTLS:
		srv.TLSConfig = tlsCfg
	case ModeTLS:
		srv.TLSConfig = tlsCfg
		l = tls.NewListener(l, tlsCfg)
	case ModePlain:
		srv.AllowInsecureAuth = true
	}
	ts.Addr = l.Addr().String()
	ts.Port = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l)
	t.Cleanup(func() {
		srv.Close()
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if ts.errors.Len() > 0 {
			t.Logf("smtp server errors:\n%s", ts.errors.String())
		}
	})
	return ts
}

// Messages returns a copy of the messages received so far.
func (ts *Server) Messages() []Received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]Received(nil), ts.messages...)
}

// AuthAttempts lists the AUTH mechanisms clients tried, in order.
func (ts *Server) AuthAttempts() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.authed...)
}

// Traffic is everything both sides said, as the server's debug log saw it.
func (ts *Server) Traffic() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.traffic.String()
}

// NewSession implements smtp.Backend.
func (ts *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{server: ts, tls: isTLS}, nil
}

type session struct {
	server *Server
	tls    bool
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if len(s.server.Mechanisms) > 0 {
		return s.server.Mechanisms
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
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

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.server.RejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.server.mu.Lock()
	s.server.messages = append(s.server.messages, Received{From: s.from, To: s.to, Data: b, TLS: s.tls})
	s.server.mu.Unlock()
	// Returning a 250 "error" is how go-smtp lets a backend choose its success reply.
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "Ok: queued as 12345"}
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

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

type bufferLogger struct{ w io.Writer }

func (l bufferLogger) Printf(format string, v ...any) { fmt.Fprintf(l.w, format+"\n", v...) }
func (l bufferLogger) Println(v ...any)               { fmt.Fprintln(l.w, v...) }

// Cert makes a self-signed certificate for localhost, 127.0.0.1 and ::1 and a pool that
// trusts it, for Sender.TLSConfig.RootCAs.
func Cert(t testing.TB) (tls.Certificate, *x509.CertPool) {
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
