package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
)

// Kinds of account link, matching the purposes the accounts feature stores with a token.
const (
	LinkActivate = "activate" // the person who signed the company up finishes their account
	LinkInvite   = "invite"   // an admin invited a new user
	LinkReset    = "reset"    // a password reset
)

// linkScheme is the app's own URL scheme, registered by the installers.
const linkScheme = "cwm-webroot"

//go:embed templates/account_link.html templates/account_link.txt
var templateFiles embed.FS

// Both parts come from the same data, so they always say the same thing. html/template
// escapes every value for its context (text, attribute, URL).
var (
	accountHTML = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/account_link.html"))
	accountText = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/account_link.txt"))
)

// AccountEmail is an email carrying a one-time account link.
type AccountEmail struct {
	Kind          string // LinkActivate, LinkInvite or LinkReset
	CompanyName   string
	RecipientName string    // optional; the greeting is generic without it
	InvitedBy     string    // invite only, optional: the admin who sent the invite
	Link          string    // cwm-webroot://activate?token=…
	Expires       time.Time // shown in its own location (use the company's time zone)
	Now           time.Time // for "expires in 24 hours"; zero means time.Now()
}

// AccountLinkMessage builds the email for an account link of the given kind. kind and link
// come from the accounts feature, never from user input, so an unknown kind or a link that
// is not a cwm-webroot:// or https:// URL is a programming error and panics; use
// AccountEmail.Message to get an error instead. The caller sets Message.To.
func AccountLinkMessage(kind, companyName, recipientName, link string, expires time.Time) Message {
	m, err := AccountEmail{Kind: kind, CompanyName: companyName, RecipientName: recipientName, Link: link, Expires: expires}.Message()
	if err != nil {
		panic(err)
	}
	return m
}

// accountView is what the templates show.
type accountView struct {
	Subject, Greeting, Intro, Action, PasteHint, Expiry, Ignore string
	Link                                                        string
	Href                                                        htmltemplate.URL
}

// Message renders the email. It fails for an unknown kind or an unacceptable link.
func (e AccountEmail) Message() (Message, error) {
	if err := checkLink(e.Link); err != nil {
		return Message{}, err
	}
	company := oneLine(e.CompanyName)
	if company == "" {
		company = "your company"
	}
	v := accountView{
		Greeting:  "Hello,",
		Link:      e.Link,
		Href:      htmltemplate.URL(e.Link), // checkLink allowed only our scheme and https
		PasteHint: "The link opens Manage Webroot Integration on a computer where it is installed. If nothing happens when you click it, copy the whole link and paste it on the app's login screen",
		Expiry:    e.expiry(),
		Ignore:    "If you did not expect this message, you can ignore it: nothing happens unless the link is used.",
	}
	if name := oneLine(e.RecipientName); name != "" {
		v.Greeting = "Hello " + name + ","
	}
	switch e.Kind {
	case LinkActivate:
		v.Subject = "Finish setting up your account for " + company
		v.Intro = fmt.Sprintf("Thank you for signing up %s for Manage Webroot Integration. To finish setting up your account, open the link below and choose your password.", company)
		v.Action = "Set up my account"
	case LinkInvite:
		v.Subject = "You're invited to join " + company + " in Manage Webroot Integration"
		who := "You have been invited"
		if by := oneLine(e.InvitedBy); by != "" {
			who = by + " has invited you"
		}
		v.Intro = fmt.Sprintf("%s to join %s in Manage Webroot Integration. To accept the invite, open the link below and choose your password.", who, company)
		v.Action = "Accept the invite"
	case LinkReset:
		v.Subject = "Reset your Manage Webroot Integration password"
		v.Intro = fmt.Sprintf("A password reset was requested for your Manage Webroot Integration account at %s. To choose a new password, open the link below.", company)
		v.Action = "Choose a new password"
		v.Ignore = "If you did not ask for a new password, you can ignore this message: your password stays as it is."
	default:
		return Message{}, fmt.Errorf("unknown account link kind %q (want %s, %s or %s)", e.Kind, LinkActivate, LinkInvite, LinkReset)
	}

	var text, html bytes.Buffer
	if err := accountText.Execute(&text, v); err != nil {
		return Message{}, fmt.Errorf("rendering the %s email text: %w", e.Kind, err)
	}
	if err := accountHTML.Execute(&html, v); err != nil {
		return Message{}, fmt.Errorf("rendering the %s email HTML: %w", e.Kind, err)
	}
	return Message{ToName: oneLine(e.RecipientName), Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}

// expiry says how long the link lasts and until when, in the time zone of Expires.
func (e AccountEmail) expiry() string {
	now := e.Now
	if now.IsZero() {
		now = time.Now()
	}
	at := e.Expires.Format("15:04 MST on Monday 2 January 2006")
	left := e.Expires.Sub(now)
	switch {
	case left >= 90*time.Minute:
		return fmt.Sprintf("This link expires in %s, at %s. It can be used once.", plural(int(left.Round(time.Hour)/time.Hour), "hour"), at)
	case left >= time.Minute:
		return fmt.Sprintf("This link expires in %s, at %s. It can be used once.", plural(int(left.Round(time.Minute)/time.Minute), "minute"), at)
	}
	return fmt.Sprintf("This link expires at %s. It can be used once.", at)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// checkLink accepts only the app's own links (and https, for a future web page): a link in
// an email must never be able to run script or point at a file.
func checkLink(link string) error {
	if link == "" || strings.IndexFunc(link, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("account link %q is empty or contains spaces", link)
	}
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("account link is not a URL: %w", err)
	}
	if u.Scheme != linkScheme && u.Scheme != "https" {
		return fmt.Errorf("account link must start with %s:// or https://, not %q", linkScheme, u.Scheme+":")
	}
	return nil
}
