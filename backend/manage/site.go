package manage

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// DefaultCodebase is what on-premise servers always report, and the fallback when
// companyinfo cannot be read (manage-api.md §2.2).
const DefaultCodebase = "v4_6_release/"

// cloudHosts are the user-facing cloud hosts whose API lives on the api- prefixed host
// (django-connectwise CW_CLOUD_URLS).
var cloudHosts = map[string]bool{
	"na.myconnectwise.net":       true,
	"eu.myconnectwise.net":       true,
	"au.myconnectwise.net":       true,
	"aus.myconnectwise.net":      true,
	"za.myconnectwise.net":       true,
	"staging.connectwisedev.com": true,
}

// Site is a parsed "Site" setting.
type Site struct {
	Scheme string // https, or http for a loopback address
	// Host is the host (and port) the user gave, lower-cased.
	Host string
	// APIHost is where companyinfo and the API are called: the api- host for cloud sites.
	APIHost string
	// FixedBase is set when the user gave the API root itself (…/apis/3.0); it is used as
	// is, whatever companyinfo says.
	FixedBase string
	Loopback  bool
}

var hostPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// ParseSite reads a Site setting: a host name such as na.myconnectwise.net (https implied)
// or a URL. Plain http is refused except for loopback addresses (the demo and tests).
func ParseSite(raw string) (Site, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Site{}, fieldErr(fieldSite, "enter the Manage site, for example na.myconnectwise.net")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Site{}, fieldErr(fieldSite, fmt.Sprintf("%q is not a host name or URL", raw))
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return Site{}, fieldErr(fieldSite, fmt.Sprintf("use an https:// address, not %s://", u.Scheme))
	}
	if u.User != nil {
		return Site{}, fieldErr(fieldSite, "do not put a user name or password in the site address")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return Site{}, fieldErr(fieldSite, fmt.Sprintf("%q has no host name", raw))
	}
	ip := net.ParseIP(host)
	if ip == nil && !hostPattern.MatchString(host) {
		return Site{}, fieldErr(fieldSite, fmt.Sprintf("%q is not a valid host name", u.Hostname()))
	}
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost") || (ip != nil && ip.IsLoopback())
	if scheme == "http" && !loopback {
		return Site{}, fieldErr(fieldSite, "plain http:// is only allowed for this computer (localhost); use https://")
	}
	hostPort := host
	if p := u.Port(); p != "" {
		hostPort = net.JoinHostPort(host, p)
	}
	site := Site{Scheme: scheme, Host: hostPort, APIHost: hostPort, Loopback: loopback}
	if cloudHosts[host] {
		// The user-facing cloud host answers API calls with "SSL is required".
		site.APIHost = "api-" + hostPort
	}
	if i := strings.Index(strings.ToLower(u.Path), "/apis/3.0"); i >= 0 {
		site.FixedBase = scheme + "://" + hostPort + u.Path[:i+len("/apis/3.0")]
	}
	return site, nil
}

// origin is scheme://APIHost.
func (s Site) origin() string { return s.Scheme + "://" + s.APIHost }

func (s Site) companyInfoURL(companyID string) string {
	return s.origin() + "/login/companyinfo/" + url.PathEscape(companyID)
}

// baseFor builds the API root for a codebase. The DG rule applies to hosts not in the
// cloud list: "if your returned codebase contains anything other than v4_6_release/, you will
// need to ensure your request is prefixed by API-". Addresses (and loopback) are never prefixed.
func (s Site) baseFor(codebase string) string {
	if s.FixedBase != "" {
		return s.FixedBase
	}
	host := s.APIHost
	name := strings.ToLower(hostOnly(host))
	if !strings.EqualFold(codebase, DefaultCodebase) && !strings.HasPrefix(name, "api-") &&
		!s.Loopback && net.ParseIP(name) == nil {
		host = "api-" + host
	}
	return s.Scheme + "://" + host + "/" + codebase + "apis/3.0"
}

func hostOnly(hostPort string) string {
	if h, _, err := net.SplitHostPort(hostPort); err == nil {
		return h
	}
	return hostPort
}

var codebasePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/$`)

// cleanCodebase checks a companyinfo Codebase so it cannot inject a path, and adds the
// trailing slash if a server leaves it out.
func cleanCodebase(cb string) (string, bool) {
	cb = strings.TrimSpace(cb)
	cb = strings.TrimPrefix(cb, "/")
	if cb != "" && !strings.HasSuffix(cb, "/") {
		cb += "/"
	}
	return cb, codebasePattern.MatchString(cb)
}
