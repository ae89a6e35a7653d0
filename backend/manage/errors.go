package manage

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind classifies a failure by what the user can do about it.
type Kind string

// The kinds of failure.
const (
	KindInvalidInput     Kind = "invalid_input"      // the app asked for something malformed
	KindUnknownCompany   Kind = "unknown_company"    // companyinfo answered null
	KindKeysRejected     Kind = "keys_rejected"      // 401
	KindClientIDRejected Kind = "client_id_rejected" // 400/401 about the clientId
	KindPermissionDenied Kind = "permission_denied"  // 403
	KindWrongSite        Kind = "wrong_site"         // "SSL is required": not the API host
	KindSiteUnreachable  Kind = "site_unreachable"   // DNS or connect failure
	KindTLSFailure       Kind = "tls_failure"        // certificate or handshake failure
	KindNetwork          Kind = "network"            // connection dropped mid-call
	KindTimeout          Kind = "timeout"
	KindCanceled         Kind = "canceled"
	KindThrottled        Kind = "throttled" // 429 after the retries
	KindNotFound         Kind = "not_found" // 404 after the codebase re-lookup
	KindConflict         Kind = "conflict"  // 409: the record is in use
	KindValidation       Kind = "validation"
	KindRejected         Kind = "rejected"     // any other 4xx
	KindServer           Kind = "server"       // 5xx after the retries
	KindBadResponse      Kind = "bad_response" // unreadable body
	KindNotApplied       Kind = "not_applied"  // a 200 that did not keep the value sent
)

// FieldProblem is one entry of a Manage error's errors[] (ValidationError in the Spec).
type FieldProblem struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
}

// Error is every failure the client returns (except Config validation, which is an
// *apperr.Validation). It never holds a key or the Authorization header.
type Error struct {
	Kind   Kind
	Op     string // what the app was doing, e.g. "update addition 3589"
	Method string
	Path   string // below the API root, without the query; or the companyinfo URL
	Host   string // the site's API host, for messages
	Status int    // HTTP status, 0 when no answer arrived

	Code      string         // the vendor's code ("InvalidObject"; "ConnectWiseAPI" on 429)
	Message   string         // the vendor's message, or the start of a non-JSON body
	Problems  []FieldProblem // the vendor's errors[]
	RequestID string         // x-cw-request-id: quote it to ConnectWise support

	Permission string        // KindPermissionDenied: "Finance → Agreements"
	Level      string        // KindPermissionDenied: "Inquire", "Edit", "Add", "Delete"
	RetryAfter time.Duration // KindThrottled: what the server asked for
	Attempts   int

	// KindNotApplied: the field, what was sent and what Manage kept (nil: null).
	Field string
	Sent  float64
	Kept  *float64

	Err error // the underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("manage")
	if e.Op != "" {
		b.WriteString(": " + e.Op)
	}
	if e.Method != "" || e.Path != "" {
		b.WriteString(": " + strings.TrimSpace(e.Method+" "+e.Path))
	}
	b.WriteString(": " + string(e.Kind))
	if e.Status != 0 {
		b.WriteString(" (HTTP " + strconv.Itoa(e.Status) + ")")
	}
	switch {
	case e.Kind == KindNotApplied:
		fmt.Fprintf(&b, ": sent %s=%s, Manage kept %s", e.Field, num(e.Sent), numPtr(e.Kept))
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Err != nil:
		b.WriteString(": " + e.Err.Error())
	}
	for _, p := range e.Problems {
		b.WriteString("; " + problemText(p))
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + e.RequestID + "]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of a *Error in err's chain, or "" for other errors.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// IsKind reports whether err is a *Error of the kind.
func IsKind(err error, k Kind) bool { return KindOf(err) == k }

// UserMessage says what went wrong and what to do next, in an MSP's words.
func (e *Error) UserMessage() string {
	host := e.Host
	if host == "" {
		host = "the Manage site"
	}
	var msg string
	switch e.Kind {
	case KindUnknownCompany:
		msg = fmt.Sprintf("%s does not know this company ID. Check the Company ID (the one you type on the Manage login screen) and the Site.", host)
	case KindKeysRejected:
		msg = "Manage rejected the API keys. Check the Company ID, Public Key and Private Key; if the keys were regenerated or the API member was deactivated, create new keys under System → Members → API Members → API Keys."
	case KindClientIDRejected:
		msg = "Manage rejected the Client ID. Check the advanced Client ID setting: it must be a clientId registered at developer.connectwise.com/ClientID."
	case KindPermissionDenied:
		msg = fmt.Sprintf("The API member is not allowed to use %s (%s level). In Manage, open System → Security Roles, edit the API member's role, set %s %s to All, save, and try again.",
			e.Permission, e.Level, e.Permission, e.Level)
	case KindWrongSite:
		msg = fmt.Sprintf("%s answered that SSL is required, so it is not the Manage API address. Check the Site: for cloud sites use the region's host such as na.myconnectwise.net.", host)
	case KindSiteUnreachable:
		msg = fmt.Sprintf("Could not reach %s. Check the Site name and this computer's network connection (VPN, proxy or firewall), then try again.", host)
	case KindTLSFailure:
		msg = fmt.Sprintf("The secure connection to %s failed (%s). Check the Site name; if your network inspects encrypted traffic (a proxy or security appliance), ask your administrator to trust or bypass %s.", host, tlsReason(e.Err), host)
	case KindNetwork:
		msg = fmt.Sprintf("The connection to %s was interrupted. Check the network connection and try again.", host)
	case KindTimeout:
		msg = "Manage did not answer in time. It may be busy or the connection slow; try again in a few minutes."
	case KindCanceled:
		msg = "The operation was cancelled before Manage answered."
	case KindThrottled:
		wait := "a minute"
		if e.RetryAfter > 0 {
			wait = e.RetryAfter.Round(time.Second).String()
		}
		msg = fmt.Sprintf("Manage is limiting how fast the app may call it (HTTP 429). Wait %s and try again; if this keeps happening, lower \"Requests per minute\" in the settings or check other integrations using the same site.", wait)
	case KindNotFound:
		msg = "Manage could not find this record; it may have been deleted or moved. Refresh the lists and check the mapping."
	case KindConflict:
		msg = "The record is in use in Manage (someone may be editing it). Try again in a moment."
	case KindValidation:
		msg = "Manage refused the request: " + e.vendorText() + ". Correct it and try again."
	case KindRejected:
		msg = fmt.Sprintf("Manage refused the request (HTTP %d): %s.", e.Status, e.vendorText())
	case KindServer:
		msg = fmt.Sprintf("Manage had an internal error (HTTP %d) and retrying did not help. Try again later; if it keeps failing, contact ConnectWise support.", e.Status)
	case KindBadResponse:
		msg = fmt.Sprintf("Manage sent an answer the app could not read. Try again; if it keeps happening, check whether a proxy is changing traffic to %s.", host)
	case KindNotApplied:
		msg = fmt.Sprintf("Manage accepted the change but kept %s %s instead of %s. Check the addition in Manage (it may be locked, cancelled or invoiced) and try again.",
			e.Field, numPtr(e.Kept), num(e.Sent))
	case KindInvalidInput:
		msg = "The app built an invalid request: " + e.vendorText() + ". Please report this."
	default:
		msg = "The call to Manage failed: " + e.vendorText() + "."
	}
	if e.RequestID != "" {
		msg += " (Manage request id " + e.RequestID + ")"
	}
	return msg
}

func (e *Error) vendorText() string {
	parts := []string{}
	if e.Message != "" {
		parts = append(parts, strings.TrimSuffix(e.Message, "."))
	}
	for _, p := range e.Problems {
		parts = append(parts, strings.TrimSuffix(problemText(p), "."))
	}
	if len(parts) == 0 {
		if e.Err != nil {
			return e.Err.Error()
		}
		return "no details given"
	}
	return strings.Join(parts, "; ")
}

func problemText(p FieldProblem) string {
	if p.Field != "" {
		return p.Field + ": " + p.Message
	}
	return p.Message
}

// num shows whole numbers without decimals (quantities are doubles in the API).
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func numPtr(v *float64) string {
	if v == nil {
		return "nothing"
	}
	return num(*v)
}
