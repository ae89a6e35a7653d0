package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-smtp"
)

// ErrorKind says which kind of problem stopped a send, for code that reacts to it (the UI
// can highlight the field to fix).
type ErrorKind string

// The kinds of send failures.
const (
	KindHostNotFound ErrorKind = "host_not_found" // the server's name does not resolve
	KindConnect      ErrorKind = "connect"        // refused, unreachable or dropped connection
	KindTimeout      ErrorKind = "timeout"        // no answer in time
	KindCanceled     ErrorKind = "canceled"       // the caller gave up
	KindTLS          ErrorKind = "tls"            // the TLS handshake failed
	KindCertificate  ErrorKind = "certificate"    // the server's certificate is not trusted
	KindNoStartTLS   ErrorKind = "no_starttls"    // STARTTLS was required but not offered
	KindAuth         ErrorKind = "auth"           // login refused, required or not possible
	KindSender       ErrorKind = "sender"         // MAIL FROM refused
	KindRecipient    ErrorKind = "recipient"      // RCPT TO refused
	KindMessage      ErrorKind = "message"        // the message itself was refused
	KindServer       ErrorKind = "server"         // any other error reply
)

// SendError explains a failed send in words a user can act on.
type SendError struct {
	Kind ErrorKind
	// Summary is the sentence to show, with the server's reply when there was one.
	Summary string
	// ServerReply is the server's reply, such as "535 5.7.8 Authentication failed".
	ServerReply string
	cause       error
}

func (e *SendError) Error() string { return e.Summary }

// Unwrap gives the underlying error (already stripped of the password).
func (e *SendError) Unwrap() error { return e.cause }

// checkServer is the advice for every problem reaching the server.
const checkServer = "Check the SMTP Server and Port."

// classify turns err, raised during x.step, into a *SendError.
func (x *exchange) classify(ctx context.Context, err error) *SendError {
	e := x.describe(ctx, err)
	e.Summary = x.redact(e.Summary)
	e.ServerReply = x.redact(e.ServerReply)
	if msg := x.redact(err.Error()); msg != err.Error() {
		e.cause = errors.New(msg)
	} else {
		e.cause = err
	}
	return e
}

func (x *exchange) describe(ctx context.Context, err error) *SendError {
	addr, host := x.address(), x.settings.Host
	// A closed connection after the deadline is the timeout, not the error it caused.
	switch ctxErr := ctx.Err(); {
	case errors.Is(ctxErr, context.Canceled):
		return &SendError{Kind: KindCanceled, Summary: "Sending was cancelled."}
	case ctxErr != nil || isTimeout(err):
		return &SendError{Kind: KindTimeout, Summary: x.timeoutSummary()}
	}

	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) {
		return x.describeReply(smtpErr)
	}

	var dnsErr *net.DNSError
	switch {
	case x.step == stepConnect && errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return &SendError{Kind: KindHostNotFound, Summary: fmt.Sprintf("The SMTP server %q could not be found. %s", host, checkServer)}
		}
		return &SendError{Kind: KindHostNotFound, Summary: fmt.Sprintf("The name %q could not be looked up (%s). %s Is this computer online?", host, dnsErr.Err, checkServer)}
	case x.step == stepConnect && errors.Is(err, syscall.ECONNREFUSED):
		return &SendError{Kind: KindConnect, Summary: fmt.Sprintf("Could not connect to %s: the connection was refused. %s", addr, checkServer)}
	case x.step == stepConnect:
		return &SendError{Kind: KindConnect, Summary: fmt.Sprintf("Could not connect to %s (%s). %s", addr, plainNetError(err), checkServer)}
	case x.step == stepStartTLS && isNoStartTLS(err):
		return &SendError{Kind: KindNoStartTLS, Summary: fmt.Sprintf("The server %s does not offer STARTTLS, so the connection cannot be encrypted; nothing was sent. "+
			"Choose TLS as the Security if the server uses port 465, or check the Port.", addr)}
	case x.step == stepTLS:
		return x.describeTLS(err)
	case x.step == stepAuth && errors.Is(err, errNoAuth):
		return &SendError{Kind: KindAuth, Summary: "The server does not offer a login on this connection. " +
			"Clear the Username if the server accepts mail without one, or check the Security setting."}
	case x.step == stepAuth:
		var nm errNoMechanism
		if errors.As(err, &nm) {
			return &SendError{Kind: KindAuth, Summary: fmt.Sprintf("The server offers no login method this app supports (it offers %s; the app uses PLAIN or LOGIN).", nm.offered)}
		}
		return &SendError{Kind: KindAuth, Summary: fmt.Sprintf("Logging in to the server failed (%s).", err)}
	case errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET):
		return &SendError{Kind: KindConnect, Summary: fmt.Sprintf("The server %s closed the connection unexpectedly. %s", addr, x.securityHint())}
	}
	return &SendError{Kind: KindServer, Summary: fmt.Sprintf("Sending failed: %s.", err)}
}

// describeReply explains an SMTP error reply by the command it answered.
func (x *exchange) describeReply(e *smtp.SMTPError) *SendError {
	reply := formatReply(e)
	out := &SendError{ServerReply: reply}
	switch {
	case x.step == stepAuth && e.Code/100 == 4:
		out.Kind, out.Summary = KindAuth, fmt.Sprintf("The server could not check the login right now (%s). Try again later.", reply)
	case x.step == stepAuth:
		out.Kind, out.Summary = KindAuth, fmt.Sprintf("The server refused the username or password (%s).", reply)
	case e.Code == 530 || (e.EnhancedCode == smtp.EnhancedCode{5, 7, 0} && strings.Contains(strings.ToLower(e.Message), "auth")):
		// "Authentication required" can come at MAIL or RCPT when no Username is set.
		out.Kind, out.Summary = KindAuth, fmt.Sprintf("The server requires a login (%s). Enter the Username and password.", reply)
	case x.step == stepSender:
		out.Kind, out.Summary = KindSender, fmt.Sprintf("The server refused the sender address %s (%s). "+
			"Check the From Address: many servers accept only the address of the account you log in with.", x.settings.FromAddress, reply)
	case x.step == stepRecipient:
		out.Kind, out.Summary = KindRecipient, fmt.Sprintf("The server refused the recipient %s (%s).", x.to, reply)
	case x.step == stepMessage:
		out.Kind, out.Summary = KindMessage, fmt.Sprintf("The server refused the message (%s).", reply)
	case x.step == stepStartTLS:
		out.Kind, out.Summary = KindServer, fmt.Sprintf("The server refused the connection before it was encrypted (%s).", reply)
	default:
		out.Kind, out.Summary = KindServer, fmt.Sprintf("The server answered with an error (%s).", reply)
	}
	return out
}

// describeTLS explains a failed TLS handshake, singling out untrusted certificates.
func (x *exchange) describeTLS(err error) *SendError {
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &hostErr):
		return &SendError{Kind: KindCertificate, Summary: fmt.Sprintf("The server's TLS certificate is not valid for %q (%s). "+
			"Enter the server name exactly as your provider documents it.", x.settings.Host, hostErr.Error())}
	case errors.As(err, &unknownCA):
		return &SendError{Kind: KindCertificate, Summary: "The server's TLS certificate is not trusted: it is not signed by an authority this computer trusts. " +
			"Ask your provider for the correct server name, or install the certificate's authority on this computer."}
	case errors.As(err, &invalid):
		return &SendError{Kind: KindCertificate, Summary: fmt.Sprintf("The server's TLS certificate is not valid (%s).", invalid.Error())}
	case errors.As(err, &verifyErr):
		return &SendError{Kind: KindCertificate, Summary: fmt.Sprintf("The server's TLS certificate could not be verified (%s).", verifyErr.Err)}
	case errors.As(err, &recordErr):
		return &SendError{Kind: KindTLS, Summary: fmt.Sprintf("The server %s did not answer with TLS. %s", x.address(), x.securityHint())}
	}
	return &SendError{Kind: KindTLS, Summary: fmt.Sprintf("The secure (TLS) connection to %s failed (%s). %s", x.address(), plainNetError(err), x.securityHint())}
}

func (x *exchange) timeoutSummary() string {
	if x.step == stepConnect {
		return fmt.Sprintf("Could not connect to %s within %s. %s Also check that a firewall allows outgoing connections to that port.",
			x.address(), inWords(x.limit), checkServer)
	}
	return fmt.Sprintf("The server %s did not answer within %s. %s", x.address(), inWords(x.limit), x.securityHint())
}

// securityHint catches the classic mix-up of port and security: a STARTTLS client on port
// 465 waits for a greeting that never comes, a TLS client on 587 gets plain text.
func (x *exchange) securityHint() string {
	switch {
	case x.settings.Security == SecurityStartTLS && x.settings.Port == 465:
		return "Port 465 normally uses TLS: choose TLS as the Security."
	case x.settings.Security == SecurityTLS && (x.settings.Port == 587 || x.settings.Port == 25):
		return fmt.Sprintf("Port %d normally uses STARTTLS: choose STARTTLS as the Security.", x.settings.Port)
	}
	return "Check the Port and Security settings: port 587 normally uses STARTTLS, port 465 TLS."
}

// formatReply renders a reply as the server sent it: "535 5.7.8 Authentication failed".
func formatReply(e *smtp.SMTPError) string {
	s := fmt.Sprintf("%d", e.Code)
	if c := e.EnhancedCode; c != smtp.NoEnhancedCode && c != smtp.EnhancedCodeNotSet {
		s += fmt.Sprintf(" %d.%d.%d", c[0], c[1], c[2])
	}
	if msg := strings.Join(strings.Fields(e.Message), " "); msg != "" {
		s += " " + msg
	}
	return s
}

// isNoStartTLS recognises go-smtp's refusal to continue without STARTTLS, which it reports
// as a plain error rather than a typed one.
func isNoStartTLS(err error) bool {
	var smtpErr *smtp.SMTPError
	return !errors.As(err, &smtpErr) && strings.Contains(err.Error(), "STARTTLS")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// plainNetError drops the "dial tcp 1.2.3.4:587:" prefix Go puts on network errors; the
// summary already names the server.
func plainNetError(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// inWords writes a timeout as a person would: "30 seconds" rather than "30s".
func inWords(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d milliseconds", d.Milliseconds())
	}
	if n := int(d.Round(time.Second) / time.Second); n != 1 {
		return fmt.Sprintf("%d seconds", n)
	}
	return "1 second"
}

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
