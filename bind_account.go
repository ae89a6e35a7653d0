package main

import (
	"strings"
	"sync"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/settings"
)

// AccountAPI is the frontend's door to sign-up, log-in and user administration.
type AccountAPI struct {
	app *App

	mu          sync.Mutex
	pendingLink string // an account link handed over by the OS, waiting for the login screen
}

// AuthState is what the frontend needs to decide which screen to show.
type AuthState struct {
	SignedUp        bool             `json:"signedUp"`
	Company         *account.Company `json:"company"`
	User            *account.User    `json:"user"`
	Demo            bool             `json:"demo"`
	MailConfigured  bool             `json:"mailConfigured"`
	IdleLockMinutes int              `json:"idleLockMinutes"`
	PendingLink     string           `json:"pendingLink"`
	CloudSites      []string         `json:"cloudSites"`
}

func (x *AccountAPI) service() (*account.Service, error) {
	if _, err := x.app.installation(); err != nil {
		return nil, err
	}
	return x.app.accounts, nil
}

// State reports sign-up and log-in state.
func (x *AccountAPI) State() (AuthState, error) {
	svc, err := x.service()
	if err != nil {
		return AuthState{}, err
	}
	ctx := x.app.ctx
	st := AuthState{Demo: x.app.demoDir != "", CloudSites: account.CloudSites, MailConfigured: x.app.mailer.Configured(ctx)}
	c, ok, err := svc.Company(ctx)
	if err != nil {
		return st, err
	}
	if ok {
		st.SignedUp, st.Company = true, &c
	}
	if u, err := x.app.session.Current(ctx, svc); err == nil {
		st.User = &u
	}
	prefs, err := settings.Load(ctx, x.app.inst.Store)
	if err != nil {
		return st, err
	}
	st.IdleLockMinutes = prefs.IdleLockMinutes
	x.mu.Lock()
	st.PendingLink = x.pendingLink
	x.mu.Unlock()
	return st, nil
}

// receiveLink keeps a link from the OS (first or second launch) and tells the window.
func (x *AccountAPI) receiveLink(link string) {
	if !strings.HasPrefix(strings.ToLower(link), "cwm-webroot://") {
		return
	}
	x.mu.Lock()
	x.pendingLink = link
	x.mu.Unlock()
	x.app.emitter.Emit("account:link", link)
}

// TakePendingLink returns the link handed over by the OS once.
func (x *AccountAPI) TakePendingLink() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	l := x.pendingLink
	x.pendingLink = ""
	return l
}

// SignUp registers the company and its first admin.
func (x *AccountAPI) SignUp(in account.SignUpInput) (account.LinkOutcome, error) {
	svc, err := x.service()
	if err != nil {
		return account.LinkOutcome{}, err
	}
	return svc.SignUp(x.app.ctx, in)
}

// CheckLink validates an account link without using it.
func (x *AccountAPI) CheckLink(link string) (account.LinkInfo, error) {
	svc, err := x.service()
	if err != nil {
		return account.LinkInfo{}, err
	}
	return svc.CheckLink(x.app.ctx, link)
}

// SetPassword uses a link to set a password, then logs the user in.
func (x *AccountAPI) SetPassword(link, password, retype string) (account.User, error) {
	svc, err := x.service()
	if err != nil {
		return account.User{}, err
	}
	u, err := svc.SetPassword(x.app.ctx, link, password, retype)
	if err != nil {
		return u, err
	}
	x.app.session.Start(u)
	return u, nil
}

// Login checks the email and password and starts the session.
func (x *AccountAPI) Login(email, password string) (account.User, error) {
	svc, err := x.service()
	if err != nil {
		return account.User{}, err
	}
	u, err := svc.Login(x.app.ctx, email, password)
	if err != nil {
		return u, err
	}
	x.app.session.Start(u)
	return u, nil
}

// Unlock re-checks the logged-in user's password after the idle lock.
func (x *AccountAPI) Unlock(password string) error {
	svc, err := x.service()
	if err != nil {
		return err
	}
	u, err := x.app.session.Current(x.app.ctx, svc)
	if err != nil {
		return err
	}
	_, err = svc.Login(x.app.ctx, u.Email, password)
	return err
}

// Logout ends the session.
func (x *AccountAPI) Logout() {
	x.app.session.End()
}

// ForgotPassword emails a reset link when mail is configured.
func (x *AccountAPI) ForgotPassword(email string) error {
	svc, err := x.service()
	if err != nil {
		return err
	}
	return svc.ForgotPassword(x.app.ctx, email)
}

func (x *AccountAPI) actor() (*account.Service, account.User, error) {
	svc, err := x.service()
	if err != nil {
		return nil, account.User{}, err
	}
	u, err := x.app.session.Current(x.app.ctx, svc)
	return svc, u, err
}

// Users lists the users (any logged-in user may see who has access).
func (x *AccountAPI) Users() ([]account.User, error) {
	svc, _, err := x.actor()
	if err != nil {
		return nil, err
	}
	return svc.Users(x.app.ctx)
}

// Invite invites a user by email.
func (x *AccountAPI) Invite(in account.InviteInput) (account.LinkOutcome, error) {
	svc, actor, err := x.actor()
	if err != nil {
		return account.LinkOutcome{}, err
	}
	return svc.Invite(x.app.ctx, actor, in)
}

// ResendInvite sends a pending user a new invitation.
func (x *AccountAPI) ResendInvite(userID int64) (account.LinkOutcome, error) {
	svc, actor, err := x.actor()
	if err != nil {
		return account.LinkOutcome{}, err
	}
	return svc.ResendInvite(x.app.ctx, actor, userID)
}

// ResetUserPassword sends a user a password reset link.
func (x *AccountAPI) ResetUserPassword(userID int64) (account.LinkOutcome, error) {
	svc, actor, err := x.actor()
	if err != nil {
		return account.LinkOutcome{}, err
	}
	return svc.ResetPassword(x.app.ctx, actor, userID)
}

// SetUserDisabled disables or enables a user.
func (x *AccountAPI) SetUserDisabled(userID int64, disabled bool) error {
	svc, actor, err := x.actor()
	if err != nil {
		return err
	}
	return svc.SetDisabled(x.app.ctx, actor, userID, disabled)
}

// RemoveUser deletes a user.
func (x *AccountAPI) RemoveUser(userID int64) error {
	svc, actor, err := x.actor()
	if err != nil {
		return err
	}
	return svc.Remove(x.app.ctx, actor, userID)
}

// SetIdleLockMinutes changes how long the window may stay idle before it locks (admins).
func (x *AccountAPI) SetIdleLockMinutes(minutes int) error {
	_, actor, err := x.actor()
	if err != nil {
		return err
	}
	if actor.Role != account.RoleAdmin {
		return account.ErrNotAdmin
	}
	return settings.SetIdleLockMinutes(x.app.ctx, x.app.inst.Store, actor.Email, minutes)
}
