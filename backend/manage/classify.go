package manage

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/go-resty/resty/v2"
)

// errAttemptTimeout marks an attempt that ran past RequestTimeout while the caller's
// context was still live.
var errAttemptTimeout = errors.New("no answer within the request timeout")

// transportError classifies a failure where no HTTP answer arrived.
func (c *Client) transportError(ctx context.Context, cl *call, err error) *Error {
	e := c.newError(cl)
	e.Err = err
	switch {
	case ctx.Err() != nil:
		e.Kind = KindCanceled
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			e.Kind = KindTimeout
		}
		e.Err = ctx.Err()
	case errors.Is(err, errAttemptTimeout):
		e.Kind = KindTimeout
	case isTLSError(err):
		e.Kind = KindTLSFailure
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		e.Kind = KindBadResponse
		e.Message = "the answer was larger than the app accepts"
	case isDialError(err):
		e.Kind = KindSiteUnreachable
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			e.Kind = KindTimeout
		} else {
			e.Kind = KindNetwork
		}
	}
	return e
}

func isTLSError(err error) bool {
	var (
		cve  *tls.CertificateVerificationError
		ua   x509.UnknownAuthorityError
		hn   x509.HostnameError
		ci   x509.CertificateInvalidError
		rhe  tls.RecordHeaderError
		alrt tls.AlertError
	)
	if errors.As(err, &cve) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) ||
		errors.As(err, &rhe) || errors.As(err, &alrt) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "tls: ") || strings.Contains(s, "x509: ")
}

// tlsReason names the TLS problem briefly for the user message.
func tlsReason(err error) string {
	var (
		ua x509.UnknownAuthorityError
		hn x509.HostnameError
		ci x509.CertificateInvalidError
	)
	switch {
	case err == nil:
		return "handshake failed"
	case errors.As(err, &ua):
		return "the certificate is not from a trusted authority"
	case errors.As(err, &hn):
		return "the certificate is for another host name"
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "the certificate has expired or this computer's clock is wrong"
	case errors.As(err, &ci):
		return "the certificate is not valid"
	}
	return "handshake failed"
}

// isDialError reports a failure to reach the host at all: name resolution or connect. A
// request that failed this way was never sent, so even a POST may be retried.
func isDialError(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// isPermanentDNS: a name that does not exist will not appear on a retry.
func isPermanentDNS(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// vendorBody is the tolerant reading of an error body: ErrorResponseMessage uses "code",
// the 429 body uses "error" (manage-api.md §7.2).
type vendorBody struct {
	Code    string         `json:"code"`
	Error   string         `json:"error"`
	Message string         `json:"message"`
	Errors  []FieldProblem `json:"errors"`
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	spacePattern = regexp.MustCompile(`\s+`)
	titlePattern = regexp.MustCompile(`(?is)<title>(.*?)</title>`)
)

// readVendorBody extracts code, message and errors[], or the start of a non-JSON body.
func (c *Client) readVendorBody(e *Error, body []byte) {
	var vb vendorBody
	if err := json.Unmarshal(body, &vb); err == nil && (vb.Code != "" || vb.Error != "" || vb.Message != "") {
		e.Code = vb.Code
		if e.Code == "" {
			e.Code = vb.Error
		}
		e.Message = c.redact(clip(vb.Message, 300))
		for _, p := range vb.Errors {
			p.Message = c.redact(clip(p.Message, 300))
			e.Problems = append(e.Problems, p)
		}
		return
	}
	text := string(body)
	if m := titlePattern.FindStringSubmatch(text); m != nil {
		text = m[1]
	}
	text = strings.TrimSpace(spacePattern.ReplaceAllString(tagPattern.ReplaceAllString(text, " "), " "))
	e.Message = c.redact(clip(text, 200))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// statusError classifies an HTTP error answer.
func (c *Client) statusError(cl *call, r *response) *Error {
	e := c.newError(cl)
	e.Status = r.status
	e.RequestID = r.requestID
	c.readVendorBody(e, r.body)
	text := strings.ToLower(e.Code + " " + e.Message)
	switch {
	case strings.Contains(text, "ssl is required"):
		e.Kind = KindWrongSite
	case (r.status == 400 || r.status == 401 || r.status == 403) && mentionsClientID(text):
		// The exact clientId answer is unverified: 400 or 401 (manage-api.md §3.1).
		e.Kind = KindClientIDRejected
	case r.status == http.StatusUnauthorized:
		e.Kind = KindKeysRejected
	case r.status == http.StatusForbidden:
		e.Kind = KindPermissionDenied
		e.Permission, e.Level = permissionFor(cl.method, cl.path)
	case r.status == http.StatusNotFound:
		e.Kind = KindNotFound
	case r.status == http.StatusConflict:
		e.Kind = KindConflict
	case r.status == http.StatusBadRequest:
		e.Kind = KindValidation
	case r.status == http.StatusTooManyRequests:
		e.Kind = KindThrottled
		e.RetryAfter, _ = parseRetryAfter(r.header.Get("Retry-After"), c.cfg.Now())
	case r.status >= 500:
		e.Kind = KindServer
	default:
		e.Kind = KindRejected
	}
	return e
}

func mentionsClientID(text string) bool {
	t := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(text)
	return strings.Contains(t, "clientid")
}

// permissionFor names the security module and level a call needs (manage-api.md §8), so a
// 403 can tell the user exactly what to grant.
func permissionFor(method, path string) (module, level string) {
	switch method {
	case http.MethodPatch, http.MethodPut:
		level = "Edit"
	case http.MethodPost:
		level = "Add"
	case http.MethodDelete:
		level = "Delete"
	default:
		level = "Inquire"
	}
	switch {
	case strings.HasPrefix(path, "/finance/agreements"):
		module = "Finance → Agreements"
	case strings.HasPrefix(path, "/company/"):
		module = "Companies → Company Maintenance"
	case strings.HasPrefix(path, "/procurement/catalog"):
		module = "Procurement → Product Catalog"
	case strings.HasPrefix(path, "/system/reports"):
		module = "System → API Reports"
	case strings.HasPrefix(path, "/system/"):
		module = "System → System Info"
	default:
		module = "the module for " + path
	}
	return module, level
}

func (c *Client) newError(cl *call) *Error {
	return &Error{Op: cl.op, Method: cl.method, Path: cl.logPath(), Host: c.site.APIHost}
}

// redact removes the keys and the Authorization value from text that came from the server or
// a transport error, in case either echoes them.
func (c *Client) redact(s string) string {
	if s == "" {
		return s
	}
	return c.redactor.Replace(s)
}

func newRedactor(cfg Config, authValue string) *strings.Replacer {
	var pairs []string
	for _, secret := range []string{authValue, cfg.PublicKey + ":" + cfg.PrivateKey, cfg.PrivateKey} {
		// Very short values would garble ordinary words; real keys are 16 characters.
		if len(secret) >= 6 {
			pairs = append(pairs, secret, "[redacted]")
		}
	}
	return strings.NewReplacer(pairs...)
}
