package webroot

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"cwm-webroot/backend/apperr"
)

// DefaultSite is the production Unity API host (webroot-api.md §1).
const DefaultSite = "unityapi.webrootcloudav.com"

// DefaultScope asks for everything the console user may have; the minimal set the app
// needs is MinimalScope.
const (
	DefaultScope = "*"
	MinimalScope = ScopeConsoleGSM + " " + ScopeReporting
)

// The scopes the app needs (webroot-api.md §2.2).
const (
	ScopeConsoleGSM = "Console.GSM"
	ScopeReporting  = "SkyStatus.Reporting"
)

// Field labels exactly as the "Configure Webroot" form shows them, so a validation error
// lands next to the input the user has to fix.
const (
	FieldSite         = "Site"
	FieldScope        = "API Scope"
	FieldClientID     = "Client ID"
	FieldClientSecret = "Client Secret"
	FieldGSMKey       = "GSM Parent Key"
	FieldUsername     = "Super Admin"
	FieldPassword     = "Admin Password"
)

// Config is everything a Client needs. Only the credential fields are required; the rest
// have production defaults and exist so tests and the demo can inject fakes.
type Config struct {
	// Site is a host name (https implied) or a full URL. Plain http:// is accepted only for
	// loopback addresses (the demo and tests). Empty means DefaultSite.
	Site string
	// Scope is the space-separated API scope list. Empty means DefaultScope.
	Scope        string
	ClientID     string
	ClientSecret string
	// GSMKey is the GSM Parent Keycode: 20 letters or digits, usually shown as 5×4 groups.
	GSMKey string
	// Username is the Super Admin's console sign-in email; Password is its password.
	Username string
	Password string

	// Version goes into the User-Agent as cwm-webroot/<Version>.
	Version string
	// HTTPClient, when set, is used as is (its Transport included); otherwise Transport (or
	// a default transport) is wrapped in a new http.Client.
	HTTPClient *http.Client
	Transport  http.RoundTripper
	// RequestTimeout bounds one attempt of one request (default 30 s).
	RequestTimeout time.Duration
	// MaxAttempts is how often a request is tried on 429, 5xx and network errors (default 4).
	MaxAttempts int
	// BackoffBase and BackoffMax shape the exponential backoff (defaults 500 ms and 30 s).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out; a longer one is
	// reported as Throttled straight away (default 2 min).
	MaxRetryAfter time.Duration
	// Concurrency bounds the requests in flight for SitesWithCounts (default 4).
	Concurrency int
	// PageSize is the endpoint-list page size (default 1000; the API's default is 50 and its
	// maximum is undocumented, public scripts use 1000).
	PageSize int
	// RefreshMargin: refresh the access token when less than this is left (default 30 s).
	RefreshMargin time.Duration
	// Now is the clock for token expiry and report dates (default time.Now).
	Now func() time.Time
	// Sleep waits between retries (default: a timer that stops on ctx). Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0,1) for backoff jitter (default math/rand/v2).
	Jitter func() float64
	// Logger receives request and token events, never secret values (default: discard).
	Logger *slog.Logger
	// Tokens persists the newest refresh token (the app uses the OS keychain). Default: an
	// in-memory store.
	Tokens TokenStore
}

// Validate checks every field the user typed and returns an *apperr.Validation naming each
// bad field by its form label, or nil.
func (c Config) Validate() error {
	var v apperr.Validation
	if _, err := NormalizeSite(c.Site); err != nil {
		v.Add(FieldSite, err.Error())
	}
	if err := checkScope(c.Scope); err != nil {
		v.Add(FieldScope, err.Error())
	}
	if strings.TrimSpace(c.ClientID) == "" {
		v.Add(FieldClientID, "enter the Client ID from Settings → API Access in the GSM console (it looks like client_XXXXXXXX@your-domain)")
	}
	if strings.TrimSpace(c.ClientSecret) == "" {
		v.Add(FieldClientSecret, "enter the Client Secret shown when the API client was created under Settings → API Access")
	}
	if _, err := NormalizeGSMKey(c.GSMKey); err != nil {
		v.Add(FieldGSMKey, err.Error())
	}
	if u := strings.TrimSpace(c.Username); u == "" {
		v.Add(FieldUsername, "enter the email address the Super Admin signs in to the GSM console with")
	} else if !looksLikeEmail(u) {
		v.Add(FieldUsername, fmt.Sprintf("%q is not an email address; Webroot signs in console users by email", u))
	}
	if c.Password == "" {
		v.Add(FieldPassword, "enter the Super Admin's GSM console password")
	}
	return v.Err()
}

func looksLikeEmail(s string) bool {
	at := strings.LastIndex(s, "@")
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t")
}

// NormalizeSite turns what the user typed in "Site" into a base URL without a trailing
// slash: a bare host gets https://, http:// is refused unless the host is a loopback
// address, and paths, queries and credentials are refused because the API paths are fixed.
func NormalizeSite(site string) (string, error) {
	s := strings.TrimSpace(site)
	if s == "" {
		s = DefaultSite
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return "", fmt.Errorf("%q is not a host name or URL; enter e.g. %s", site, DefaultSite)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("plain http:// is only allowed for this computer (localhost); use https://%s", u.Host)
		}
	default:
		return "", fmt.Errorf("%q must start with https:// (or be a bare host name such as %s)", site, DefaultSite)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("enter only the host name, e.g. %s, without a path", DefaultSite)
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var keycodeChars = regexp.MustCompile(`^[A-Z0-9]{20}$`)

// NormalizeGSMKey checks a GSM Parent Keycode (20 letters or digits, shown as 5×4 groups
// such as 1C86-7AFC-FDFF-4562-AB91) and returns it in that dashed, upper-case form.
func NormalizeGSMKey(key string) (string, error) {
	k := NormalizeKeycode(key)
	if k == "" {
		return "", fmt.Errorf("enter the Parent Keycode from Settings → Account Information in the GSM console")
	}
	if !keycodeChars.MatchString(k) {
		return "", fmt.Errorf("a GSM Parent Key has 20 letters and digits in five groups of four, e.g. 1C86-7AFC-FDFF-4562-AB91 (Settings → Account Information → Parent Keycode)")
	}
	return k[0:4] + "-" + k[4:8] + "-" + k[8:12] + "-" + k[12:16] + "-" + k[16:20], nil
}

// NormalizeKeycode is the comparable form of a keycode: dashes and spaces removed, upper
// case. The console shows keycodes with dashes while live values come without
// (webroot-api.md §3.2, §7).
func NormalizeKeycode(key string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "", "\t", "").Replace(strings.TrimSpace(key)))
}

var scopeToken = regexp.MustCompile(`^(\*|[A-Za-z][A-Za-z0-9]*)(\.(\*|[A-Za-z][A-Za-z0-9]*))?$`)

// checkScope refuses scope lists that are malformed or cannot cover what the app reads.
func checkScope(scope string) error {
	fields := scopeFields(scope)
	for _, f := range fields {
		if !scopeToken.MatchString(f) {
			return fmt.Errorf("%q is not a scope; scopes look like Console.GSM or SkyStatus.*, or use * for everything", f)
		}
	}
	for _, need := range []string{ScopeConsoleGSM, ScopeReporting} {
		if !scopeCovers(fields, need) {
			return fmt.Errorf("the scope list must include %s (or use *): the app needs it to read the console and its usage", need)
		}
	}
	return nil
}

// scopeFields splits a scope list; empty means DefaultScope.
func scopeFields(scope string) []string {
	f := strings.Fields(scope)
	if len(f) == 0 {
		return []string{DefaultScope}
	}
	return f
}

// scopeCovers reports whether any of the scopes (wildcards allowed: *, Extension.*,
// *.Domain) grants the scope need.
func scopeCovers(scopes []string, need string) bool {
	ne, nd, _ := strings.Cut(need, ".")
	for _, s := range scopes {
		if s == "*" || strings.EqualFold(s, need) {
			return true
		}
		e, d, ok := strings.Cut(s, ".")
		if ok && (e == "*" || strings.EqualFold(e, ne)) && (d == "*" || strings.EqualFold(d, nd)) {
			return true
		}
	}
	return false
}
