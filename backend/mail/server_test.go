package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"

	"cwm-webroot/backend/mail/mailtest"
)

// The SMTP server the tests send to lives in mailtest, so other packages (notification
// digests) test against the same one; these names keep this package's tests as they were.
type (
	testServer = mailtest.Server
	received   = mailtest.Received
	serverMode = mailtest.Mode
)

const (
	modeStartTLS = mailtest.ModeStartTLS // plain listener offering STARTTLS
	modeTLS      = mailtest.ModeTLS      // implicit TLS listener
	modePlain    = mailtest.ModePlain    // no TLS at all; AUTH allowed in plain text (a bad server)
)

// startServer runs a server in the given mode until the test ends.
func startServer(t *testing.T, mode serverMode, cert tls.Certificate, options ...func(*testServer)) *testServer {
	t.Helper()
	return mailtest.Start(t, mode, cert, options...)
}

// testCert makes a self-signed certificate for localhost, 127.0.0.1 and ::1 and a pool
// that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	return mailtest.Cert(t)
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
