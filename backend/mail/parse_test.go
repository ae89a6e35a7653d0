package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
)

// parsed is a received message taken apart the way a mail client would.
type parsed struct {
	Header   mail.Header
	Subject  string // decoded
	Text     string // decoded text/plain part
	HTML     string // decoded text/html part
	Encoding map[string]string
}

// parseMessage reads raw with net/mail and mime/multipart, checks the structure every
// message must have, and decodes both parts' transfer encodings itself (NextRawPart), so
// the test sees exactly what was on the wire.
func parseMessage(t *testing.T, raw []byte) parsed {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("the message has a bare LF line ending")
	}
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line %d is %d characters long, over SMTP's 998", i+1, len(line))
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("reading message: %v", err)
	}
	p := parsed{Header: m.Header, Encoding: map[string]string{}}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("decoding Subject: %v", err)
	}
	if v := m.Header.Get("MIME-Version"); v != "1.0" {
		t.Errorf("MIME-Version %q", v)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var order []string
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading part: %v", err)
		}
		ct, ctParams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type: %v", err)
		}
		if cs := ctParams["charset"]; !strings.EqualFold(cs, "utf-8") {
			t.Errorf("%s charset %q, want utf-8", ct, cs)
		}
		enc := part.Header.Get("Content-Transfer-Encoding")
		var r io.Reader = part
		switch enc {
		case "quoted-printable":
			r = quotedprintable.NewReader(part)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, part)
		default:
			t.Errorf("%s Content-Transfer-Encoding %q", ct, enc)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("decoding %s (%s): %v", ct, enc, err)
		}
		p.Encoding[ct] = enc
		order = append(order, ct)
		switch ct {
		case "text/plain":
			p.Text = strings.ReplaceAll(string(body), "\r\n", "\n")
		case "text/html":
			p.HTML = strings.ReplaceAll(string(body), "\r\n", "\n")
		}
	}
	if strings.Join(order, ",") != "text/plain,text/html" {
		t.Errorf("parts %v, want text/plain then text/html", order)
	}
	return p
}
