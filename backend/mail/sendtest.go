package mail

import (
	"context"
	"errors"
	"fmt"
	"html"

	"cwm-webroot/backend/apperr"
)

// Result is the outcome of "Send test email", for the settings page.
type Result struct {
	OK bool `json:"ok"`
	// Summary says in words what happened and, on failure, what to check.
	Summary string `json:"summary"`
	// ServerReply is the server's own words, such as "250 2.0.0 Ok: queued as 12345".
	ServerReply string `json:"serverReply,omitempty"`
}

// SendTest sends a short test message to `to` with the given settings (typically the form
// as typed, not yet saved) and describes the server's answer. The error is only for input
// that cannot be tried at all: an *apperr.Validation naming the fields to correct. Anything
// the server or network does is reported in the Result.
func (s *Sender) SendTest(ctx context.Context, st Settings, password, to string) (Result, error) {
	st = st.normalized()
	var v apperr.Validation
	if err := st.validate(nil); err != nil {
		v = *err.(*apperr.Validation)
	}
	if msg := checkAddress(to); msg != "" {
		v.Add(FieldTestRecipient, msg)
	}
	if err := v.Err(); err != nil {
		return Result{}, err
	}

	reply, err := s.Send(ctx, st, password, testMessage(st, to))
	if err != nil {
		var se *SendError
		if errors.As(err, &se) {
			return Result{Summary: se.Summary, ServerReply: se.ServerReply}, nil
		}
		return Result{}, err
	}
	return Result{
		OK: true,
		Summary: fmt.Sprintf("The server accepted the test message (%s). "+
			"If it does not arrive at %s within a few minutes, look in the spam folder.", reply, to),
		ServerReply: reply,
	}, nil
}

// testMessage is short and says where it came from, so whoever receives it knows why.
func testMessage(st Settings, to string) Message {
	text := fmt.Sprintf("This is a test message from Manage Webroot Integration.\n\n"+
		"Outgoing email works: account links and notifications will be sent through %s.\n\n"+
		"You can delete this message.\n", st.Host)
	html := fmt.Sprintf("<!DOCTYPE html>\n<html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;color:#1f2933\">\n"+
		"<p>This is a test message from Manage Webroot Integration.</p>\n"+
		"<p>Outgoing email works: account links and notifications will be sent through %s.</p>\n"+
		"<p>You can delete this message.</p>\n</body></html>\n", html.EscapeString(st.Host))
	return Message{To: to, Subject: "Test message from Manage Webroot Integration", Text: text, HTML: html}
}
