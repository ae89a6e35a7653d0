package mail

import (
	"strings"
	"testing"
	"time"
)

func TestBuildEncodesHeadersAndChoosesTransferEncoding(t *testing.T) {
	greek := strings.Repeat("Καλημέρα κόσμε ", 20)
	msg := Message{
		To: "jane@example.net", ToName: "Jane\r\nBcc: evil@example.com",
		Subject: "Ελληνικά\nBcc: evil@example.com",
		Text:    greek + "\n" + strings.Repeat("long line ", 40), HTML: "<p>plain ASCII</p>",
	}
	raw, err := build(msg, sender{Address: "billing@example.com", Name: "Billing"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	if p.Encoding["text/plain"] != "base64" || p.Encoding["text/html"] != "quoted-printable" {
		t.Errorf("encodings %v: want base64 for mostly non-ASCII, quoted-printable otherwise", p.Encoding)
	}
	if p.Text != msg.Text || p.HTML != msg.HTML {
		t.Errorf("parts did not survive encoding:\n%q\n%q", p.Text, p.HTML)
	}
	if p.Header.Get("Bcc") != "" {
		t.Error("a line break in a header value injected a Bcc header")
	}
	if p.Subject != "Ελληνικά Bcc: evil@example.com" {
		t.Errorf("subject %q", p.Subject)
	}
	if to, err := p.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "jane@example.net" {
		t.Errorf("To %v %v", to, err)
	}
}
