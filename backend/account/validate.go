package account

import (
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones on Windows, which has no zoneinfo of its own

	"cwm-webroot/backend/apperr"
)

// Field labels as the seed document names them; errors use them so the form can show each
// message next to its field.
const (
	FieldCompanyName     = "Company Name"
	FieldTimeZone        = "Primary Time Zone"
	FieldManageCompanyID = "Manage company ID"
	FieldManageSite      = "Manage Site"
	FieldName            = "Your Name"
	FieldEmail           = "Your Email Address"
	FieldPassword        = "Password"
	FieldRetypePassword  = "Retype Password"
	FieldLoginEmail      = "Email Address"
)

// CloudSites are ConnectWise's cloud Manage sites, offered in the sign-up picker.
var CloudSites = []string{"na.myconnectwise.net", "eu.myconnectwise.net", "au.myconnectwise.net", "aus.myconnectwise.net", "za.myconnectwise.net"}

// SignUpInput is the Sign Up form.
type SignUpInput struct {
	CompanyName     string `json:"companyName"`
	TimeZone        string `json:"timeZone"`
	ManageCompanyID string `json:"manageCompanyId"`
	ManageSite      string `json:"manageSite"`
	Name            string `json:"name"`
	Email           string `json:"email"`
}

func (in *SignUpInput) normalise() {
	in.CompanyName = strings.TrimSpace(in.CompanyName)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.ManageCompanyID = strings.TrimSpace(in.ManageCompanyID)
	in.ManageSite = NormaliseSite(in.ManageSite)
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.TrimSpace(in.Email)
}

func (in SignUpInput) validate() error {
	var v apperr.Validation
	switch {
	case in.CompanyName == "":
		v.Add(FieldCompanyName, "Enter your company's name.")
	case len([]rune(in.CompanyName)) > 200:
		v.Add(FieldCompanyName, "Use at most 200 characters.")
	}
	if msg := checkTimeZone(in.TimeZone); msg != "" {
		v.Add(FieldTimeZone, msg)
	}
	if msg := checkManageCompanyID(in.ManageCompanyID); msg != "" {
		v.Add(FieldManageCompanyID, msg)
	}
	if msg := CheckSite(in.ManageSite); msg != "" {
		v.Add(FieldManageSite, msg)
	}
	switch {
	case in.Name == "":
		v.Add(FieldName, "Enter your name.")
	case len([]rune(in.Name)) > 200:
		v.Add(FieldName, "Use at most 200 characters.")
	}
	if msg := checkEmail(in.Email); msg != "" {
		v.Add(FieldEmail, msg)
	}
	return v.Err()
}

func checkTimeZone(tz string) string {
	if tz == "" {
		return "Choose your company's time zone."
	}
	if tz == "Local" {
		return "Choose a named time zone such as America/New_York."
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return "\"" + tz + "\" is not a time zone. Choose one from the list, such as America/New_York."
	}
	return ""
}

func checkManageCompanyID(id string) string {
	if id == "" {
		return "Enter the company ID you type when you log in to Manage."
	}
	if len(id) > 64 {
		return "Use at most 64 characters."
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return "Use only letters, digits, '-', '_' and '.': the company ID has no spaces."
		}
	}
	return ""
}

func checkEmail(email string) string {
	if email == "" {
		return "Enter your email address."
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") && !strings.HasSuffix(email, "@localhost") {
		return "Enter an email address such as name@example.com."
	}
	return ""
}

// NormaliseSite trims a typed site and drops a trailing slash; a bare host stays bare.
func NormaliseSite(site string) string {
	return strings.TrimRight(strings.TrimSpace(site), "/")
}

// CheckSite accepts a host name (https implied) or an https URL; plain http only for
// loopback addresses, which the demo and tests use.
func CheckSite(site string) string {
	if site == "" {
		return "Enter the site you go to when you log in to Manage, such as na.myconnectwise.net."
	}
	host := site
	if strings.Contains(site, "://") {
		u, err := url.Parse(site)
		if err != nil || u.Host == "" {
			return "Enter a host name such as na.myconnectwise.net, or a URL such as https://cw.example.com."
		}
		switch strings.ToLower(u.Scheme) {
		case "https":
		case "http":
			if !isLoopback(u.Hostname()) {
				return "Plain http:// is not allowed: use https:// (http is accepted only for this computer, 127.0.0.1)."
			}
		default:
			return "Use https:// or just the host name."
		}
		host = u.Hostname()
	} else if strings.ContainsAny(site, "/?#@ ") {
		return "Enter just the host name, such as na.myconnectwise.net, or a full https:// URL."
	} else if h, _, err := net.SplitHostPort(site); err == nil {
		host = h
	}
	if !validHost(host) {
		return "\"" + host + "\" is not a valid host name."
	}
	return ""
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
