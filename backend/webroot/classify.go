package webroot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// classifyNetError sorts a transport error into TLS failures (never retried: a bad
// certificate does not heal), permanent unreachability (an unknown host name) and
// transient trouble worth retrying (refused, reset, timed out).
func classifyNetError(err error) (kind Kind, retry bool) {
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
		dnsErr      *net.DNSError
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &invalidErr), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return KindTLSFailure, false
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return KindSiteUnreachable, false
	}
	return KindSiteUnreachable, true
}

// causeText is a short, secret-free phrase for a transport failure.
func causeText(err error) string {
	if err == nil {
		return ""
	}
	var (
		dnsErr      *net.DNSError
		unknownAuth x509.UnknownAuthorityError
		certErr     *tls.CertificateVerificationError
		hostErr     x509.HostnameError
		recordErr   tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &unknownAuth):
		return "its certificate is not signed by an authority this computer trusts"
	case errors.As(err, &hostErr):
		return "its certificate is for a different host name"
	case errors.As(err, &certErr):
		return "its certificate could not be verified: " + certErr.Err.Error()
	case errors.As(err, &recordErr):
		return "the server did not answer with TLS (is it plain http?)"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "the host name was not found"
	case errors.As(err, &dnsErr):
		return "the host name could not be looked up"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed unexpectedly"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "no answer in time"
	}
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryableStatus: 429 and server errors except "not implemented" kinds, which will not
// change on a second try (webroot-api.md §6).
func retryableStatus(status int) bool {
	if status == http.StatusTooManyRequests {
		return true
	}
	return status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported
}

// tokenFailureKind decides whose credentials a refused token request blames. The error
// code for bad client credentials is undocumented (webroot-api.md §2.5), so only clear
// signals name one credential; anything else blames both.
func tokenFailureKind(status int, f apiFailure, grant string) Kind {
	code := strings.ToLower(f.Code)
	desc := strings.ToLower(f.Description)
	switch {
	case code == "invalid_scope":
		return KindScopeMissing
	case code == "invalid_client" || code == "unauthorized_client":
		return KindClientRejected
	case code == "invalid_grant" && grant == grantPassword:
		return KindCredentialsRejected
	case status == http.StatusUnauthorized && code == "":
		// RFC 6749 §5.2: a 401 from the token endpoint is failed client authentication.
		return KindClientRejected
	case strings.Contains(desc, "client"):
		return KindClientRejected
	case grant == grantPassword && (strings.Contains(desc, "password") || strings.Contains(desc, "user")):
		return KindCredentialsRejected
	}
	return KindAuthRejected
}

// apiFailureKind classifies a non-retryable, non-401 answer from /service/api.
func apiFailureKind(status int, f apiFailure, notFound Kind) Kind {
	code := strings.ToLower(f.Code)
	desc := strings.ToLower(f.Description)
	switch {
	case status == http.StatusForbidden && (code == "insufficient_scope" || strings.Contains(desc, "scope")):
		return KindScopeMissing
	case status == http.StatusForbidden:
		return KindAccessDenied
	case status == http.StatusNotFound:
		return notFound
	case status == http.StatusBadRequest && notFound == KindGSMKeyUnknown && mentionsGSMKey(desc):
		// An unknown key may come back as 400 instead of 404 (unverified, §6).
		return KindGSMKeyUnknown
	}
	return KindBadRequest
}

func mentionsGSMKey(desc string) bool {
	return strings.Contains(desc, "gsm") || strings.Contains(desc, "keycode") || strings.Contains(desc, "key code") ||
		strings.Contains(desc, "parent key")
}
