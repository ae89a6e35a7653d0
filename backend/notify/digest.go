package notify

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"math"
	"strconv"
	"strings"
	texttemplate "text/template"

	"cwm-webroot/backend/mail"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/webroot"
)

//go:embed templates/digest.html templates/digest.txt
var templateFiles embed.FS

// Both parts render the same view, so they always say the same thing; html/template
// escapes every company, agreement and error text.
var (
	digestHTML = htmltemplate.Must(htmltemplate.New("digest.html").Funcs(htmltemplate.FuncMap{
		"rows": func(label string, lines []digestLine) rowsView { return rowsView{Label: label, Lines: lines} },
		// Catalog identifiers such as WEBROOT-DNS read as one word: mail clients must not
		// break them at the hyphen (U+2011 is a hyphen that does not break).
		"nobreak": func(s string) string { return strings.ReplaceAll(s, "-", "\u2011") },
	}).ParseFS(templateFiles, "templates/digest.html"))
	digestText = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/digest.txt"))
)

// digestLine is one change as the digest lists it.
type digestLine struct {
	Company, Agreement, Product string
	Before, After               string
	Note                        string // the reason (held) or the error (failed)
}

// rowsView is one table of the HTML part: its lines and the heading of the note column.
type rowsView struct {
	Label string
	Lines []digestLine
}

// digestView is what the templates show.
type digestView struct {
	Subject, Summary, When, Trigger, RunMessage string
	// Bill says what the applied and held changes do to the bill ("" when no price is known).
	Bill                  string
	RunID                 int64
	Applied, Failed, Held []digestLine
}

// DigestSubject summarizes a run for the subject line, for example
// "Webroot → Manage sync: 12 applied, 1 failed, 3 awaiting review".
func DigestSubject(res syncer.Result) string {
	o := sortChanges(res)
	var parts []string
	if len(o.applied) > 0 {
		parts = append(parts, fmt.Sprintf("%d applied", len(o.applied)))
	}
	if len(o.failed) > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", len(o.failed)))
	}
	if len(o.held) > 0 {
		parts = append(parts, fmt.Sprintf("%d awaiting review", len(o.held)))
	}
	if len(parts) == 0 {
		if res.Run.Status == syncer.StatusFailed {
			return "Webroot → Manage sync failed"
		}
		return "Webroot → Manage sync: no changes"
	}
	return "Webroot → Manage sync: " + strings.Join(parts, ", ")
}

// line is a change as the digest lists it; a quantity Manage did not report is "?".
func line(c syncer.Change, note string) digestLine {
	before := "?"
	if c.Before != nil {
		before = strconv.FormatFloat(*c.Before, 'f', -1, 64)
	}
	product := webroot.Product(c.Product).Label()
	if c.ProductIdentifier != "" {
		product += " (" + c.ProductIdentifier + ")"
	}
	company := c.CompanyName
	if company == "" {
		company = "Company " + strconv.FormatInt(c.CompanyID, 10)
	}
	return digestLine{Company: company, Agreement: c.AgreementName, Product: product,
		Before: before, After: strconv.Itoa(c.After), Note: strings.TrimSpace(note)}
}

// digestFact is what a digest says, without the run's number and time: two runs in a row
// that fail or hold the same changes send one email, not one each.
func digestFact(res syncer.Result, o outcome) string {
	parts := []string{res.Run.Status, res.Run.Message}
	for _, group := range []struct {
		name    string
		changes []syncer.Change
	}{{"applied", o.applied}, {"failed", o.failed}, {"held", o.held}} {
		for _, c := range group.changes {
			l := line(c, problem(c))
			parts = append(parts, group.name, strconv.FormatInt(c.AdditionID, 10), l.Before, l.After, l.Note)
		}
	}
	return fingerprint(parts...)
}

// digestMessage renders the digest of a run (recipient not set): text and HTML parts that
// list every applied, failed and held change with its company, agreement, product,
// quantity before → after, and the reason or error.
func (n *Notifier) digestMessage(res syncer.Result, o outcome) (mail.Message, error) {
	v := digestView{Subject: DigestSubject(res), RunID: res.Run.ID, Trigger: string(res.Run.Trigger),
		RunMessage: strings.TrimSpace(res.Run.Message)}
	at := res.Run.StartedAt
	if res.Run.FinishedAt != nil {
		at = *res.Run.FinishedAt
	}
	if !at.IsZero() {
		v.When = at.In(n.now().Location()).Format("Mon 2 Jan 2006 15:04 MST")
	}
	switch res.Run.Status {
	case syncer.StatusFailed:
		v.Summary = "The sync failed."
	case syncer.StatusPartial:
		v.Summary = "The sync partly failed: some changes could not be applied."
	default:
		v.Summary = "The sync finished."
	}
	for _, c := range o.applied {
		v.Applied = append(v.Applied, line(c, c.Reason))
	}
	for _, c := range o.failed {
		v.Failed = append(v.Failed, line(c, problem(c)))
	}
	for _, c := range o.held {
		v.Held = append(v.Held, line(c, c.Reason))
	}
	v.Bill = billLine(o)
	var text, html bytes.Buffer
	if err := digestText.Execute(&text, v); err != nil {
		return mail.Message{}, fmt.Errorf("rendering the digest text: %w", err)
	}
	if err := digestHTML.Execute(&html, v); err != nil {
		return mail.Message{}, fmt.Errorf("rendering the digest HTML: %w", err)
	}
	return mail.Message{Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}

// digest emails the run's summary to every recipient. Outgoing email that is not set up
// is logged and skipped: the Email settings page already says so, and a failing digest
// must not turn every sync into an error.
func (n *Notifier) digest(ctx context.Context, prefs Preferences, res syncer.Result, o outcome) error {
	recipients := prefs.Recipients()
	if len(recipients) == 0 {
		return nil
	}
	if len(o.applied)+len(o.failed)+len(o.held) == 0 && res.Run.Status != syncer.StatusFailed {
		return nil // nothing happened: no email
	}
	msg, err := n.digestMessage(res, o)
	if err != nil {
		return err
	}
	fact := digestFact(res, o)
	if rec, told, err := n.recall(ctx, topicDigest, ""); err != nil || (told && rec.fact == fact) {
		return err
	}

	settings, err := mail.Load(ctx, n.Store, n.Secrets)
	if err != nil {
		n.log().Warn("email digest skipped: mail settings could not be read", "run", res.Run.ID, "error", err)
		return err
	}
	if !mail.Configured(settings) {
		n.log().Info("email digest skipped: outgoing email is not set up (Settings → Email)", "run", res.Run.ID)
		return nil
	}
	password, err := mail.LoadPassword(n.Secrets)
	if err != nil {
		n.log().Warn("email digest skipped: the SMTP password could not be read", "run", res.Run.ID, "error", err)
		return err
	}
	sender := n.Mail
	if sender == nil {
		sender = &mail.Sender{}
	}
	var errs []error
	sent := 0
	for _, to := range recipients {
		m := msg
		m.To = to
		if _, err := sender.Send(ctx, settings, password, m); err != nil {
			err = fmt.Errorf("emailing the sync digest to %s: %w", to, err)
			err = redacted(err, password)
			n.log().Warn("email digest failed", "run", res.Run.ID, "to", to, "error", err)
			errs = append(errs, err)
			continue
		}
		sent++
		n.log().Info("email digest sent", "run", res.Run.ID, "to", to)
	}
	if sent > 0 {
		errs = append(errs, n.remember(ctx, topicDigest, map[string]string{"": fact}))
	}
	return errors.Join(errs...)
}

// redacted is err with the password masked. mail.Sender already promises errors without
// it; this is the second lock on the door, for any MailSender.
func redacted(err error, password string) error {
	if err == nil || len(password) < 4 || !strings.Contains(err.Error(), password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), password, "[password]"))
}

// billLine sums what the applied and the held changes do to the bill, at the additions'
// unit prices: "On the bill: +147.00 applied, +51.00 awaiting review (per billing cycle, at
// the additions' unit prices)." Empty when no change has a price.
func billLine(o outcome) string {
	sum := func(cs []syncer.Change) (float64, bool) {
		total, any := 0.0, false
		for _, c := range cs {
			if a, ok := c.BillChange(); ok {
				total, any = total+a, true
			}
		}
		return math.Round(total*100) / 100, any
	}
	var parts []string
	if a, ok := sum(o.applied); ok && a != 0 {
		parts = append(parts, formatAmountChange(a)+" applied")
	}
	if h, ok := sum(o.held); ok && h != 0 {
		parts = append(parts, formatAmountChange(h)+" awaiting review")
	}
	if len(parts) == 0 {
		return ""
	}
	return "On the bill: " + strings.Join(parts, ", ") + " (per billing cycle, at the additions' unit prices)."
}

// formatAmountChange writes an amount with its sign, thousands separators and cents:
// "+1,234.50", "−3.50" (as the Sync page does).
func formatAmountChange(a float64) string {
	sign := "+"
	if a < 0 {
		sign, a = "−", -a
	}
	cents := int64(math.Round(a * 100))
	whole := strconv.FormatInt(cents/100, 10)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return fmt.Sprintf("%s%s.%02d", sign, whole, cents%100)
}
