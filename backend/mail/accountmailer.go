package mail

import (
	"context"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// AccountMailer sends the account service's links through the configured SMTP server; it
// implements account.Mailer.
type AccountMailer struct {
	Store   *store.Store
	Secrets secrets.Store
	Sender  *Sender
	// Location renders the expiry time in the company's zone.
	Location func(ctx context.Context) *time.Location
}

// Configured reports whether outgoing mail is set up and complete.
func (m *AccountMailer) Configured(ctx context.Context) bool {
	s, err := Load(ctx, m.Store, m.Secrets)
	return err == nil && Configured(s)
}

// SendLink emails an account link.
func (m *AccountMailer) SendLink(ctx context.Context, purpose string, to account.User, companyName, inviterName, link string, expires time.Time) error {
	s, err := Load(ctx, m.Store, m.Secrets)
	if err != nil {
		return err
	}
	password, err := LoadPassword(m.Secrets)
	if err != nil {
		return err
	}
	if m.Location != nil {
		expires = expires.In(m.Location(ctx))
	}
	sender := m.Sender
	if sender == nil {
		sender = &Sender{}
	}
	msg, err := AccountEmail{Kind: purpose, CompanyName: companyName, RecipientName: to.Name, InvitedBy: inviterName,
		Link: link, Expires: expires, Now: time.Now()}.Message()
	if err != nil {
		return err
	}
	msg.To, msg.ToName = to.Email, to.Name
	_, err = sender.Send(ctx, s, password, msg)
	return err
}
