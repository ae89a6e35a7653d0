package webroot

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind says what went wrong in terms of what the user has to do about it.
type Kind string

const (
	// KindClientRejected: Webroot refused the Client ID or Client Secret.
	KindClientRejected Kind = "client_rejected"
	// KindCredentialsRejected: Webroot refused the Super Admin email or Admin Password.
	KindCredentialsRejected Kind = "credentials_rejected"
	// KindAuthRejected: Webroot refused the sign-in without saying which credential is
	// wrong (the error code for bad client credentials is undocumented).
	KindAuthRejected Kind = "auth_rejected"
	// KindGSMKeyUnknown: the GSM Parent Key is not known to Webroot (or not visible to the admin).
	KindGSMKeyUnknown Kind = "gsm_key_unknown"
	// KindScopeMissing: the token lacks the scope named in Error.Scope.
	KindScopeMissing Kind = "scope_missing"
	// KindAccessDenied: a 403 that is not about scope, e.g. an admin without site rights.
	KindAccessDenied Kind = "access_denied"
	// KindNotFound: a site or other record does not exist.
	KindNotFound Kind = "not_found"
	// KindBadRequest: another 4xx; the server's description says why.
	KindBadRequest Kind = "bad_request"
	// KindSiteUnreachable: no HTTP answer (DNS, refused, reset, timed out).
	KindSiteUnreachable Kind = "site_unreachable"
	// KindTLSFailure: the TLS handshake failed, usually an untrusted certificate.
	KindTLSFailure Kind = "tls_failure"
	// KindThrottled: 429 after every retry, or a Retry-After longer than the client waits.
	KindThrottled Kind = "throttled"
	// KindServer: 5xx after every retry.
	KindServer Kind = "server"
	// KindBadResponse: a success status with a body the client cannot read.
	KindBadResponse Kind = "bad_response"
	// KindCanceled: the caller's context ended.
	KindCanceled Kind = "canceled"
)

// Error is every failure the client returns (configuration errors excepted, which are
// *apperr.Validation). It never holds a secret or token.
type Error struct {
	Kind Kind
	// Op says what the client was doing, e.g. "reading the GSM console".
	Op string
	// Host is the API host the request went to.
	Host string
	// Status is the HTTP status, 0 when none was received.
	Status int
	// Code and Description come from the error envelope (a nested error in
	// error_description already unwrapped).
	Code        string
	Description string
	// RequestID is Webroot's id to quote to support.
	RequestID string
	// Scope is the scope to add, for KindScopeMissing.
	Scope string
	// RetryAfter is the wait the server asked for, for KindThrottled.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the underlying cause, if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("webroot: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString(kindText[e.Kind])
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.Code != "" {
			b.WriteString(" " + e.Code)
		}
		b.WriteString(")")
	}
	if e.Scope != "" {
		b.WriteString(": missing scope " + e.Scope)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + e.RequestID + "]")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the cause, so errors.Is(err, context.Canceled) works.
func (e *Error) Unwrap() error { return e.Err }

var kindText = map[Kind]string{
	KindClientRejected:      "client id or secret rejected",
	KindCredentialsRejected: "super admin or password rejected",
	KindAuthRejected:        "sign-in rejected",
	KindGSMKeyUnknown:       "GSM parent key unknown",
	KindScopeMissing:        "API scope missing",
	KindAccessDenied:        "access denied",
	KindNotFound:            "not found",
	KindBadRequest:          "request refused",
	KindSiteUnreachable:     "site unreachable",
	KindTLSFailure:          "TLS failure",
	KindThrottled:           "throttled",
	KindServer:              "server error",
	KindBadResponse:         "unreadable response",
	KindCanceled:            "canceled",
}

// KindOf returns the Kind of a client error anywhere in err's chain, or "".
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// UserMessage says, in words an MSP's billing person can act on, what went wrong and what
// to do next.
func (e *Error) UserMessage() string {
	host := e.Host
	if host == "" {
		host = DefaultSite
	}
	ref := ""
	if e.RequestID != "" {
		ref = " (Webroot request id " + e.RequestID + ")"
	}
	switch e.Kind {
	case KindClientRejected:
		return "Webroot rejected the Client ID or Client Secret. Check both under Settings → API Access in the GSM console and enter them again. " +
			"Credentials created before the move to OpenText Secure Cloud no longer work: create a new API client there."
	case KindCredentialsRejected:
		return "Webroot rejected the Super Admin email or the Admin Password. Sign in to the GSM console with them to check, then enter them again."
	case KindAuthRejected:
		return "Webroot rejected the Client ID/Secret or the admin email/password. Check the Client ID and Client Secret under Settings → API Access, " +
			"and sign in to the GSM console with the Super Admin email and password to confirm them. " +
			"Credentials created before the move to OpenText Secure Cloud no longer work: create new ones under Settings → API Access."
	case KindGSMKeyUnknown:
		return "Webroot does not recognise the GSM Parent Key, or this admin cannot see that console. " +
			"Copy the Parent Keycode from Settings → Account Information in the GSM console" + ref + "."
	case KindScopeMissing:
		if e.Code == "invalid_scope" {
			return fmt.Sprintf("Webroot refused the API Scope %q at sign-in: the API client or the Super Admin may not use it. "+
				"Set \"API Scope\" to * (or to %s) and check the API client under Settings → API Access.", e.Scope, MinimalScope)
		}
		scope := e.Scope
		if scope == "" {
			scope = "the scope this request needs"
		}
		return fmt.Sprintf("The access token does not include the %s scope. Set \"API Scope\" to * (or add %s) and make sure the API client "+
			"and the Super Admin are allowed it under Settings → API Access%s.", scope, scope, ref)
	case KindAccessDenied:
		return "Webroot refused access" + describe(e.Description) + ". Give the Super Admin Admin or View Only access to all sites in the GSM console " +
			"(new accounts start with No Access)" + ref + "."
	case KindNotFound:
		return "Webroot answered \"not found\" while " + orDefault(e.Op, "reading the console") + ". Refresh the site list: the site may have been removed" + ref + "."
	case KindBadRequest:
		return "Webroot refused the request" + describe(e.Description) + ". If this keeps happening, contact support" + ref + "."
	case KindSiteUnreachable:
		return fmt.Sprintf("Could not reach the Webroot API at %s%s. Check the \"Site\" setting and this computer's internet connection (proxy, firewall), then try again.", host, describe(causeText(e.Err)))
	case KindTLSFailure:
		return fmt.Sprintf("The secure connection to %s failed%s. Check the \"Site\" setting; a proxy or security product that inspects HTTPS traffic may be intercepting the connection.", host, describe(causeText(e.Err)))
	case KindThrottled:
		wait := "a few minutes"
		if e.RetryAfter > 0 {
			wait = e.RetryAfter.Round(time.Second).String()
		}
		return "Webroot is limiting requests right now (too many requests). Wait " + wait + " and try again."
	case KindServer:
		return fmt.Sprintf("The Webroot API had a server problem (HTTP %d) and did not recover after %d attempts. Try again later; if it persists, contact Webroot support%s.", e.Status, max(e.Attempts, 1), ref)
	case KindBadResponse:
		return fmt.Sprintf("The Webroot API at %s sent a response the app could not read. Check that \"Site\" points at the Webroot Unity API (%s); if it does, try again later%s.", host, DefaultSite, ref)
	case KindCanceled:
		return "The request to Webroot was cancelled before it finished."
	}
	return "The request to Webroot failed" + describe(e.Description) + "."
}

func describe(s string) string {
	if s == "" {
		return ""
	}
	return " (" + strings.TrimSuffix(s, ".") + ")"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
