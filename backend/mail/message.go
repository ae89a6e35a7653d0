package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one email to one person, in plain text and HTML.
type Message struct {
	To      string // the recipient's address
	ToName  string // optional display name
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
}

// sender is the From of a message.
type sender struct {
	Address string
	Name    string
}

// build renders msg as an RFC 5322 message with a multipart/alternative body (plain text
// first, HTML last, so clients that can show HTML prefer it). Lines end in CRLF.
func build(msg Message, from sender, now time.Time) ([]byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ contentType, content string }{
		{"text/plain; charset=utf-8", msg.Text},
		{"text/html; charset=utf-8", msg.HTML},
	} {
		if err := writePart(mw, part.contentType, part.content); err != nil {
			return nil, fmt.Errorf("building the message body: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("building the message body: %w", err)
	}

	id, err := messageID(from.Address)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&out, "%s: %s\r\n", name, value) }
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", id)
	// net/mail encodes a non-ASCII display name as an RFC 2047 encoded-word.
	header("From", (&mail.Address{Name: oneLine(from.Name), Address: from.Address}).String())
	header("To", (&mail.Address{Name: oneLine(msg.ToName), Address: msg.To}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(msg.Subject)))
	header("MIME-Version", "1.0")
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	// Every message this app sends is automated: RFC 3834 asks auto-responders not to reply.
	header("Auto-Submitted", "auto-generated")
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// writePart adds one text part, choosing the transfer encoding that keeps it readable and
// within SMTP's line limits.
func writePart(mw *multipart.Writer, contentType, content string) error {
	content = strings.ReplaceAll(strings.ReplaceAll(content, "\r\n", "\n"), "\r", "\n")
	enc := transferEncoding(content)
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", contentType)
	h.Set("Content-Transfer-Encoding", enc)
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if enc == "base64" {
		return writeBase64(w, []byte(strings.ReplaceAll(content, "\n", "\r\n")))
	}
	qp := quotedprintable.NewWriter(w) // writes line breaks as CRLF
	if _, err := qp.Write([]byte(content)); err != nil {
		return err
	}
	return qp.Close()
}

// transferEncoding picks quoted-printable for mostly-ASCII text (it stays readable in the
// raw source) and base64 when so much is non-ASCII that quoted-printable would bloat it.
func transferEncoding(s string) string {
	nonASCII := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			nonASCII++
		}
	}
	if nonASCII*3 > len(s) {
		return "base64"
	}
	return "quoted-printable"
}

// writeBase64 writes b in base64 lines of 76 characters, as RFC 2045 requires.
func writeBase64(w interface{ Write([]byte) (int, error) }, b []byte) error {
	enc := base64.StdEncoding.EncodeToString(b)
	for len(enc) > 0 {
		n := min(76, len(enc))
		if _, err := fmt.Fprintf(w, "%s\r\n", enc[:n]); err != nil {
			return err
		}
		enc = enc[n:]
	}
	return nil
}

// messageID makes a globally unique Message-ID in the sender's domain.
func messageID(fromAddress string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a Message-ID: %w", err)
	}
	domain := "localhost"
	if at := strings.LastIndex(fromAddress, "@"); at >= 0 && at < len(fromAddress)-1 {
		domain = fromAddress[at+1:]
	}
	return "<" + hex.EncodeToString(b) + "@" + domain + ">", nil
}

// oneLine keeps a header value on one line, so no value can inject further headers.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
