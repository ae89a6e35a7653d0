package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"cwm-webroot/backend/autostart"
	"cwm-webroot/backend/background"
	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/events"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/notify"
	"cwm-webroot/backend/scheduler"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/tray"
	"cwm-webroot/backend/webrootconn"
)

// EventNavigate asks the frontend to show a page (the tray's "N changes awaiting review").
const EventNavigate = "app:navigate"

// keyHideNoticeShown remembers that the user was told closing the window keeps the app in
// the tray, so it is said once.
const keyHideNoticeShown = "app.hide_notice_shown"

// startDesktop wires what lives beyond the window: the syncer shared by the window, tray
// and schedule; the tray; the login entry. It runs at the end of a successful startup.
func (a *App) startDesktop(ctx context.Context) {
	log := slog.Default()
	a.syncer = syncer.New(a.inst.Store,
		syncer.ConnectionSources(a.inst.Store, a.inst.Secrets,
			manageconn.Options{BaseContext: ctx}, webrootconn.Options{BaseContext: ctx}),
		syncer.Options{Emitter: a.emitter, LockDir: a.inst.DataDir, Logger: log})
	a.tray = tray.New(tray.Actions{
		Open:      a.showPage,
		SyncNow:   func() { _ = a.bg.SyncNow(syncer.TriggerUser, background.ActorTray) },
		SetPaused: func(p bool) { _ = a.bg.SetPaused(p) },
		Quit:      a.quit,
	}, time.Now, log)
	a.desktop = notify.Beeep{}
	if icons, err := tray.Icons(); err == nil {
		a.desktop = notify.Beeep{Icon: icons[tray.StateIdle].PNG}
	}
	// Notifications tell times in the company's zone, as the tray and schedule do.
	a.notifier = &notify.Notifier{Store: a.inst.Store, Secrets: a.inst.Secrets, Desktop: a.desktop, Logger: log,
		Now: func() time.Time { return time.Now().In(a.accounts.Location(ctx)) }}
	a.bg = background.New(background.Options{
		Syncer:   a.syncer,
		Tray:     a.tray,
		Notifier: a.notifier,
		Location: func() *time.Location { return a.accounts.Location(ctx) },
		Problem:  a.connectionProblem,
		Alert:    a.desktop.Notify,
		Describe: syncErrText,
		BeforeScheduled: func(ctx context.Context) {
			// Both connections are checked the way the Configure pages do, which records
			// their state: rejected keys become a notification and the tray's warning line.
			ms := manageconn.New(a.inst.Store, a.inst.Secrets, manageconn.Options{Emitter: a.emitter, BaseContext: ctx, Logger: log})
			if out, err := ms.Test(ctx); err != nil || !out.OK {
				log.Warn("ConnectWise Manage failed its check before the scheduled sync", "err", err)
			}
			ws := webrootconn.New(a.inst.Store, a.inst.Secrets, webrootconn.Options{Emitter: a.emitter, BaseContext: ctx, Logger: log})
			if _, err := ws.Refresh(ctx); err != nil {
				log.Warn("refreshing the Webroot sites before the scheduled sync failed", "err", err)
			}
		},
		Logger: log,
	})
	sched := scheduler.New(scheduler.Options{
		Store:    a.inst.Store,
		Location: a.companyZone(ctx),
		Run:      a.bg.RunScheduled,
		Emitter:  a.emitter,
		Logger:   log,
		Clock:    scheduler.SystemClock{},
	})
	// Only a running scheduler is kept: the Settings page says when it could not start
	// rather than show next runs that never come.
	if err := sched.Start(ctx); err != nil {
		log.Error("the schedule could not start", "err", err)
	} else {
		a.sched = sched
		a.bg.SetSchedule(background.FromScheduler(sched))
	}
	a.tray.Start()
	a.bg.Start()
	a.bg.Refresh()

	if a.demoDir == "" {
		a.autostart = a.newAutostart()
		if err := a.autostart.Refresh(ctx); err != nil {
			log.Warn("refreshing the login entry failed", "err", err)
		}
	}
}

// started says whether startup has finished; the fields it sets (tray, bg, sched) may be
// read only then (closing a.ready publishes them to other goroutines).
func (a *App) started() bool {
	select {
	case <-a.ready:
		return true
	default:
		return false
	}
}

// companyZone reads the company's zone for the scheduler, keeping the last zone read when
// the database cannot answer for a moment: a fall-back to UTC would look like a change of
// zone, after which a missed run would not be caught up.
func (a *App) companyZone(ctx context.Context) func() *time.Location {
	var mu sync.Mutex
	var last *time.Location
	return func() *time.Location {
		loc, err := a.accounts.Zone(ctx)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && last != nil {
			return last
		}
		last = loc
		return loc
	}
}

// observe sends every backend event to the window and, once started, to the background
// service.
func (a *App) observe(ctx context.Context) events.Emitter {
	return events.EmitterFunc(func(name string, payload any) {
		wruntime.EventsEmit(ctx, name, payload)
		if a.started() && a.bg != nil {
			a.bg.Observe(name, payload)
		}
	})
}

func (a *App) newAutostart() *autostart.Service {
	dir, isDefault := a.inst.DataDir, a.inst.IsDefault
	hash := ""
	if !isDefault {
		sum := sha256.Sum256([]byte(dir))
		hash = hex.EncodeToString(sum[:4])
	}
	cmd, err := autostart.Command(dir, isDefault)
	if err != nil {
		slog.Warn("start at login is unavailable", "err", err)
	}
	return &autostart.Service{Store: a.inst.Store, Command: cmd,
		Entry: autostart.OSEntry{Name: autostart.EntryName(hash), DisplayName: buildinfo.ProductName}}
}

// connectionProblem is the tray's warning line: a connection whose last check failed.
func (a *App) connectionProblem(ctx context.Context) string {
	if st, err := manageconn.New(a.inst.Store, a.inst.Secrets, manageconn.Options{}).Status(ctx); err == nil && st.State == connstate.Failing {
		return "ConnectWise Manage: " + st.Problem
	}
	if st, err := webrootconn.New(a.inst.Store, a.inst.Secrets, webrootconn.Options{}).Status(ctx); err == nil && st.State == connstate.Failing {
		return "Webroot: " + st.Problem
	}
	return ""
}

// showPage brings the window back from the tray, on a page when one is named.
func (a *App) showPage(page string) {
	wruntime.WindowUnminimise(a.ctx)
	wruntime.WindowShow(a.ctx)
	wruntime.Show(a.ctx)
	if page != "" {
		wruntime.EventsEmit(a.ctx, EventNavigate, page)
	}
}

// quit is the tray's Quit: the only way out while the tray keeps the app alive. While a
// sync runs the window opens and asks first (QuitPrompt), unless the user already chose to
// quit when it finishes: then the menu reads "Quit now" and does so.
func (a *App) quit() {
	if a.started() && a.bg != nil && a.bg.QuitPending() {
		a.quitNow()
		return
	}
	if !a.askBeforeQuit() {
		a.quitNow()
	}
}

// EventConfirmQuit asks the window whether to quit while a sync runs (a QuitPrompt).
const EventConfirmQuit = "app:confirm-quit"

// QuitPrompt is what the window needs to ask: how far the running sync has got. It is the
// whole snapshot because the window may have nobody logged in to ask for it.
type QuitPrompt struct {
	Progress syncer.Progress `json:"progress"`
}

// askBeforeQuit shows the window asking whether to quit when a sync is running, and says
// whether it asked. The answer comes back through DesktopAPI.QuitNow / QuitAfterSync /
// KeepRunning.
func (a *App) askBeforeQuit() bool {
	if !a.started() || a.bg == nil {
		return false
	}
	p := a.syncer.Progress()
	if !p.Running {
		return false
	}
	a.showPage("")
	wruntime.EventsEmit(a.ctx, EventConfirmQuit, QuitPrompt{Progress: p})
	return true
}

// quitNow quits without asking; a running sync records where it stopped.
func (a *App) quitNow() {
	a.quitting.Store(true)
	wruntime.Quit(a.ctx)
}

// beforeClose hides the window to the tray instead of quitting, while a tray can bring it
// back (on Linux only with a StatusNotifierWatcher). The first time, a notification says so.
// Without a tray closing quits, so it asks first while a sync runs.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	if a.quitting.Load() || !a.started() {
		return false
	}
	if a.tray == nil || !a.tray.Shown() || !tray.Available() {
		return a.askBeforeQuit()
	}
	wruntime.WindowHide(ctx)
	if _, shown, _ := a.inst.Store.Setting(ctx, keyHideNoticeShown); !shown && a.notifyHidden() {
		_ = a.inst.Store.SetSettings(ctx, map[string]string{keyHideNoticeShown: "true"})
	}
	return true
}

// domReady starts the macOS tray, which needs AppKit running. The page may be ready before
// startup has made the tray (a keychain prompt can take a while), so it waits for startup
// off the UI thread; DomReady only queues work on the main thread.
func (a *App) domReady(context.Context) {
	go func() {
		<-a.ready
		if a.tray != nil {
			a.tray.DomReady()
		}
	}()
}

// stopBackground stops the schedule, then cancels background work and waits for it.
func (a *App) stopBackground() {
	if a.sched != nil {
		a.sched.Stop()
	}
	if a.bg != nil {
		a.bg.Close()
	}
}

// stopTray removes the tray; only from OnShutdown (on macOS it stops the AppKit loop).
func (a *App) stopTray() {
	if a.tray != nil {
		a.tray.Stop()
	}
}

// notifyHidden tells the user that closing the window left the app running; false when
// the notification could not be shown (it is tried again at the next close).
func (a *App) notifyHidden() bool {
	if err := a.desktop.Notify(buildinfo.ProductName,
		"Still running in the tray, so scheduled syncs keep running. Use Quit in the tray menu to stop it."); err != nil {
		slog.Warn("the desktop notification could not be shown", "err", err)
		return false
	}
	return true
}
