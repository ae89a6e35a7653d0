package mail

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestAccountLinkMessages(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	now := time.Date(2026, 3, 2, 13, 5, 0, 0, berlin)
	link := "cwm-webroot://activate?token=q0Xk3_ZyRZ-5tuH8wYvWmJc2n4bT9aLsDfGhJkLzXcV"
	cases := []struct {
		kind, subject, intro, action string
	}{
		{LinkActivate, "Finish setting up your account for Acme IT", "Thank you for signing up Acme IT", "Set up my account"},
		{LinkInvite, "You're invited to join Acme IT in Manage Webroot Integration", "Ann Admin has invited you to join Acme IT", "Accept the invite"},
		{LinkReset, "Reset your Manage Webroot Integration password", "A password reset was requested", "Choose a new password"},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			m, err := AccountEmail{Kind: tc.kind, CompanyName: "Acme IT", RecipientName: "Jane Doe", InvitedBy: "Ann Admin",
				Link: link, Expires: now.Add(24 * time.Hour), Now: now}.Message()
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tc.subject || m.ToName != "Jane Doe" {
				t.Errorf("subject %q, to name %q", m.Subject, m.ToName)
			}
			expiry := "This link expires in 24 hours, at 13:05 CET on Tuesday 3 March 2026."
			for part, body := range map[string]string{"text": m.Text, "HTML": m.HTML} {
				for _, want := range []string{"Hello Jane Doe,", tc.intro, expiry, "ignore", link} {
					mustContain(t, part, body, want)
				}
			}
			if !strings.Contains("\n"+m.Text+"\n", "\n"+link+"\n") {
				t.Errorf("text lacks the link on its own line:\n%s", m.Text)
			}
			mustContain(t, "HTML", m.HTML, `href="`+link+`"`)
			mustContain(t, "HTML", m.HTML, ">"+tc.action+"</a>")
			if strings.Contains(m.Text, "<") {
				t.Errorf("text part contains markup:\n%s", m.Text)
			}
		})
	}
}

func TestInviteWithoutInviterAndEscaping(t *testing.T) {
	link := "cwm-webroot://activate?token=abc&x=<b>"
	m, err := AccountEmail{Kind: LinkInvite, CompanyName: `Tom & Jerry's "IT" <Ltd>`, Link: link,
		Expires: time.Now().Add(24 * time.Hour)}.Message()
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "text", m.Text, "Hello,")
	mustContain(t, "text", m.Text, `You have been invited to join Tom & Jerry's "IT" <Ltd>`)
	mustContain(t, "text", m.Text, "This link expires in 24 hours")
	mustContain(t, "HTML", m.HTML, "Tom &amp; Jerry&#39;s &#34;IT&#34; &lt;Ltd&gt;")
	hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(m.HTML, -1)
	if len(hrefs) != 1 || strings.ContainsAny(hrefs[0][1], "<>") {
		t.Fatalf("hrefs %q", hrefs)
	}
	// html/template percent-encodes < and > in a URL; the visible copy shows the link as is.
	mustContain(t, "HTML", m.HTML, html.EscapeString(link))
}

func TestAccountLinkMessageRefusesBadInput(t *testing.T) {
	for _, e := range []AccountEmail{
		{Kind: "welcome", Link: "cwm-webroot://activate?token=x"},
		{Kind: LinkReset, Link: "javascript:alert(1)"},
		{Kind: LinkReset, Link: "file:///etc/passwd"},
		{Kind: LinkReset, Link: "cwm-webroot://activate?token=a b"},
		{Kind: LinkReset, Link: ""},
	} {
		if _, err := e.Message(); err == nil {
			t.Errorf("%+v: no error", e)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("AccountLinkMessage with an unknown kind did not panic")
		}
	}()
	AccountLinkMessage("welcome", "Acme", "Jane", "cwm-webroot://activate?token=x", time.Now())
}

func TestAccountLinkMessageWrapper(t *testing.T) {
	m := AccountLinkMessage(LinkActivate, "Acme IT", "Jane", "cwm-webroot://activate?token=x", time.Now().Add(24*time.Hour))
	mustContain(t, "text", m.Text, "This link expires in 24 hours")
	if m.To != "" || m.ToName != "Jane" {
		t.Errorf("To %q ToName %q", m.To, m.ToName)
	}
}

func TestExpiryWording(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for left, want := range map[time.Duration]string{
		24*time.Hour - time.Second: "expires in 24 hours, at 11:59 UTC",
		2 * time.Hour:              "expires in 2 hours",
		61 * time.Minute:           "expires in 61 minutes",
		time.Minute:                "expires in 1 minute",
		-time.Hour:                 "expires at 11:00 UTC",
	} {
		got := AccountEmail{Expires: now.Add(left), Now: now}.expiry()
		mustContain(t, "expiry", got, want)
	}
}
