package main

import (
	"context"
	"time"

	"cwm-webroot/backend/mail"
)

// MailAPI is the Settings → Email section: outgoing mail for account links and digests.
type MailAPI struct{ app *App }

func (a *App) newAccountMailer() *mail.AccountMailer {
	return &mail.AccountMailer{Store: a.inst.Store, Secrets: a.inst.Secrets,
		Location: func(ctx context.Context) *time.Location { return a.accounts.Location(ctx) }}
}

// GetSettings returns the SMTP settings; the password only as saved / not saved.
func (x *MailAPI) GetSettings() (mail.Settings, error) {
	if err := x.app.requireAdmin(); err != nil {
		return mail.Settings{}, err
	}
	return mail.Load(x.app.ctx, x.app.inst.Store, x.app.inst.Secrets)
}

// SaveSettings validates and saves the settings. replacePassword false keeps the saved
// password; true with an empty password deletes it.
func (x *MailAPI) SaveSettings(s mail.Settings, replacePassword bool, password string) error {
	actor, err := x.app.adminEmail()
	if err != nil {
		return err
	}
	var pw *string
	if replacePassword {
		pw = &password
	}
	return mail.Save(x.app.ctx, x.app.inst.Store, x.app.inst.Secrets, actor, s, pw)
}

// SendTest sends a test message with the saved settings and reports the server's answer.
func (x *MailAPI) SendTest(to string) (mail.Result, error) {
	if err := x.app.requireAdmin(); err != nil {
		return mail.Result{}, err
	}
	s, err := mail.Load(x.app.ctx, x.app.inst.Store, x.app.inst.Secrets)
	if err != nil {
		return mail.Result{}, err
	}
	pw, err := mail.LoadPassword(x.app.inst.Secrets)
	if err != nil {
		return mail.Result{}, err
	}
	return (&mail.Sender{}).SendTest(x.app.ctx, s, pw, to)
}
