package main

import (
	"errors"
	"fmt"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/attention"
	"cwm-webroot/backend/autostart"
	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/mail"
	"cwm-webroot/backend/notify"
	"cwm-webroot/backend/scheduler"
)

// DesktopAPI is the Settings page's background section: start at login (and, with the
// scheduler and notifier, the schedule and notifications).
type DesktopAPI struct{ app *App }

// StartAtLoginStatus is the setting, the command its login entry runs, and whether this
// copy of the app can start at login at all (the demo cannot).
type StartAtLoginStatus struct {
	autostart.Status
	Available bool   `json:"available"`
	Note      string `json:"note"`
}

// requireAdmin lets only a logged-in admin change installation-wide settings.
func (a *App) requireAdmin() error {
	_, err := a.adminEmail()
	return err
}

// adminEmail is requireAdmin that also names the admin, for the activity log.
func (a *App) adminEmail() (string, error) {
	if _, err := a.installation(); err != nil {
		return "", err
	}
	u, err := a.session.Current(a.ctx, a.accounts)
	if err != nil {
		return "", err
	}
	if u.Role != account.RoleAdmin {
		return "", account.ErrNotAdmin
	}
	return u.Email, nil
}

func (x *DesktopAPI) startAtLogin(set func(actor string) (autostart.Status, error)) (StartAtLoginStatus, error) {
	actor, err := x.app.adminEmail()
	if err != nil {
		return StartAtLoginStatus{}, err
	}
	if x.app.autostart == nil {
		return StartAtLoginStatus{Note: "The demo never starts at login."}, nil
	}
	st, err := set(actor)
	return StartAtLoginStatus{Status: st, Available: err == nil}, err
}

// StartAtLogin reports "Start at login".
func (x *DesktopAPI) StartAtLogin() (StartAtLoginStatus, error) {
	return x.startAtLogin(func(string) (autostart.Status, error) { return x.app.autostart.Status(x.app.ctx) })
}

// SetStartAtLogin turns "Start at login" on or off: the app then starts hidden in the tray
// when the user logs in to the computer.
func (x *DesktopAPI) SetStartAtLogin(on bool) (StartAtLoginStatus, error) {
	return x.startAtLogin(func(actor string) (autostart.Status, error) { return x.app.autostart.Set(x.app.ctx, actor, on) })
}

// ScheduleView is the schedule as saved and what it means now: next run, last run, and the
// zone its times are in.
type ScheduleView struct {
	Schedule scheduler.Schedule `json:"schedule"`
	Status   scheduler.Status   `json:"status"`
	TimeZone string             `json:"timeZone"`
}

func (x *DesktopAPI) scheduleView() (ScheduleView, error) {
	if x.app.sched == nil {
		return ScheduleView{}, errors.New("the schedule is not running: the app could not start it")
	}
	s, err := scheduler.LoadSchedule(x.app.ctx, x.app.inst.Store)
	if err != nil {
		return ScheduleView{}, err
	}
	return ScheduleView{Schedule: s, Status: x.app.sched.Status(), TimeZone: x.app.accounts.Location(x.app.ctx).String()}, nil
}

// Schedule is the sync schedule (any logged-in user may see it; the dashboard shows the
// next run).
func (x *DesktopAPI) Schedule() (ScheduleView, error) {
	if _, _, err := x.app.accountAPI.actor(); err != nil {
		return ScheduleView{}, err
	}
	return x.scheduleView()
}

// SaveSchedule checks and saves the schedule (errors name each field) and replans the next run.
func (x *DesktopAPI) SaveSchedule(s scheduler.Schedule) (ScheduleView, error) {
	actor, err := x.app.adminEmail()
	if err != nil {
		return ScheduleView{}, err
	}
	if x.app.sched == nil {
		return x.scheduleView()
	}
	if err := scheduler.SaveSchedule(x.app.ctx, x.app.inst.Store, actor, s); err != nil {
		return ScheduleView{}, err
	}
	if err := x.app.sched.Reload(); err != nil {
		return ScheduleView{}, err
	}
	return x.scheduleView()
}

// SetSchedulePaused pauses or resumes the schedule, as the tray's menu does.
func (x *DesktopAPI) SetSchedulePaused(paused bool) (ScheduleView, error) {
	if _, _, err := x.app.accountAPI.actor(); err != nil {
		return ScheduleView{}, err
	}
	if x.app.bg != nil {
		if err := x.app.bg.SetPaused(paused); err != nil {
			return ScheduleView{}, err
		}
	}
	return x.scheduleView()
}

// NotificationsView is the notification preferences and whether email can be sent at all
// (the digest needs the Email settings).
type NotificationsView struct {
	Preferences    notify.Preferences `json:"preferences"`
	MailConfigured bool               `json:"mailConfigured"`
}

func (x *DesktopAPI) notificationsView() (NotificationsView, error) {
	p, err := notify.LoadPreferences(x.app.ctx, x.app.inst.Store)
	if err != nil {
		return NotificationsView{}, err
	}
	ms, err := mail.Load(x.app.ctx, x.app.inst.Store, x.app.inst.Secrets)
	if err != nil {
		return NotificationsView{}, err
	}
	return NotificationsView{Preferences: p, MailConfigured: mail.Configured(ms)}, nil
}

// Notifications are the desktop-notification and email-digest preferences.
func (x *DesktopAPI) Notifications() (NotificationsView, error) {
	if err := x.app.requireAdmin(); err != nil {
		return NotificationsView{}, err
	}
	return x.notificationsView()
}

// SaveNotifications checks and saves every preference, or none (errors name each field).
func (x *DesktopAPI) SaveNotifications(p notify.Preferences) (NotificationsView, error) {
	actor, err := x.app.adminEmail()
	if err != nil {
		return NotificationsView{}, err
	}
	if err := notify.SavePreferences(x.app.ctx, x.app.inst.Store, actor, p); err != nil {
		return NotificationsView{}, err
	}
	return x.notificationsView()
}

// TestNotification shows a desktop notification now, so the user can check that this
// computer displays them.
func (x *DesktopAPI) TestNotification() error {
	if err := x.app.requireAdmin(); err != nil {
		return err
	}
	if err := x.app.desktop.Notify(buildinfo.ProductName, "Notifications work. You will hear about failed syncs, changes awaiting review and new sites here."); err != nil {
		return fmt.Errorf("this computer did not show the notification: %w", err)
	}
	return nil
}

// Attention is the dashboard's "Needs attention" list, problems first.
func (x *DesktopAPI) Attention() ([]attention.Item, error) {
	if _, _, err := x.app.accountAPI.actor(); err != nil {
		return nil, err
	}
	prefs, err := notify.LoadPreferences(x.app.ctx, x.app.inst.Store)
	if err != nil {
		return nil, err
	}
	stale := time.Duration(0)
	if prefs.StaleSync {
		stale = time.Duration(prefs.StaleDays) * 24 * time.Hour
	}
	return attention.List(x.app.ctx, attention.Sources{Store: x.app.inst.Store, Secrets: x.app.inst.Secrets, Now: time.Now, StaleAfter: stale})
}

// Quit is the window's way out, like the tray's Quit: while a sync runs it asks first
// (app:confirm-quit) and returns true; otherwise the app quits. Nobody needs to be logged in
// for that, as for the tray's Quit.
func (x *DesktopAPI) Quit() (asked bool) {
	if x.app.askBeforeQuit() {
		return true
	}
	x.app.quitNow()
	return false
}

// QuitNow is "Quit now" in that question: a running sync stops after the change in flight
// and records where it stopped; the next sync finishes the rest.
func (x *DesktopAPI) QuitNow() { x.app.quitNow() }

// QuitAfterSync is "Quit when the sync finishes": the app quits once no sync runs, after the
// run's notifications went out. It returns false when it quit at once.
func (x *DesktopAPI) QuitAfterSync() (waiting bool) {
	if !x.app.started() || x.app.bg == nil {
		x.app.quitNow()
		return false
	}
	return x.app.bg.QuitWhenIdle(x.app.quitNow)
}

// KeepRunning is "Keep running": a quit waiting for the sync is called off.
func (x *DesktopAPI) KeepRunning() {
	if x.app.started() && x.app.bg != nil {
		x.app.bg.KeepRunning()
	}
}
