package main

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/applog"
	"cwm-webroot/backend/autostart"
	"cwm-webroot/backend/background"
	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/datadir"
	"cwm-webroot/backend/demo"
	"cwm-webroot/backend/events"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/notify"
	"cwm-webroot/backend/scheduler"
	"cwm-webroot/backend/settings"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/tray"
)

// App is the desktop application: lifecycle hooks and the methods bound to the frontend.
// Bound methods only delegate to backend packages.
type App struct {
	inv     cli.Invocation
	ctx     context.Context
	ready   chan struct{} // closed when OnStartup has finished, successfully or not
	inst    *install.Installation
	initErr error
	demoDir string
	emitter events.Emitter

	accounts   *account.Service
	session    account.Session
	mailer     account.Mailer
	accountAPI *AccountAPI
	sims       *demo.Simulators // the demo's simulated services; nil otherwise

	// Beyond the window (desktop.go): one syncer for window, tray and schedule.
	syncer    *syncer.Syncer
	bg        *background.Service
	sched     *scheduler.Scheduler
	notifier  *notify.Notifier
	desktop   notify.Desktop
	tray      *tray.Tray
	autostart *autostart.Service // nil in the demo, which must not start at login
	quitting  atomic.Bool
	log       *applog.Log // nil until startup opened it
}

// NewApp prepares the app without touching disk or network: `wails generate module` runs
// main() up to wails.Run.
func NewApp(inv cli.Invocation) *App {
	a := &App{inv: inv, ready: make(chan struct{}), emitter: events.Discard}
	a.accountAPI = &AccountAPI{app: a}
	return a
}

func (a *App) options(assets embed.FS) *options.App {
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		log.Fatal(err)
	}
	return &options.App{
		Title:            buildinfo.ProductName,
		Width:            1200,
		Height:           780,
		MinWidth:         960,
		MinHeight:        620,
		StartHidden:      a.inv.Autostart,
		BackgroundColour: &options.RGBA{R: 248, G: 250, B: 252, A: 255},
		AssetServer:      &assetserver.Options{Assets: dist},
		OnStartup:        a.startup,
		OnDomReady:       a.domReady,
		OnBeforeClose:    a.beforeClose,
		OnShutdown:       a.shutdown,
		Bind:             a.bindings(),
		ErrorFormatter:   apperr.Format,
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               a.instanceID(),
			OnSecondInstanceLaunch: a.onSecondInstance,
		},
		Linux: &linux.Options{ProgramName: buildinfo.ExecutableName, WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		Mac: &mac.Options{About: &mac.AboutInfo{Title: buildinfo.ProductName, Message: buildinfo.Version},
			OnUrlOpen: a.onURLOpen},
		Windows: &windows.Options{},
	}
}

// instanceID keeps one window per data folder: the demo and test instances get their own
// lock and never hand over to (or block) the real installation.
func (a *App) instanceID() string {
	if a.inv.Command == "demo" {
		return fmt.Sprintf("com.cwm-webroot.demo.%d", os.Getpid())
	}
	dir, isDefault, err := datadir.Resolve(a.inv.DataDir)
	if err != nil || isDefault {
		return "com.cwm-webroot.app"
	}
	sum := sha256.Sum256([]byte(dir))
	return "com.cwm-webroot.app." + hex.EncodeToString(sum[:6])
}

func (a *App) startup(ctx context.Context) {
	defer close(a.ready)
	a.ctx = ctx
	a.emitter = a.observe(ctx)
	if a.inv.Command == "demo" {
		dir, err := demo.NewDataDir()
		if err != nil {
			a.initErr = err
			return
		}
		a.demoDir = dir
		a.inst, a.initErr = install.OpenDir(ctx, dir, false)
	} else {
		a.inst, a.initErr = install.Open(ctx, a.inv.DataDir)
	}
	if a.initErr != nil {
		return
	}
	a.startLog()
	a.mailer = a.newAccountMailer()
	a.accounts = account.New(a.inst.Store, a.mailer, nil)
	if a.demoDir != "" {
		u, err := demo.SeedAccount(ctx, a.accounts)
		if err != nil {
			a.initErr = err
			return
		}
		a.session.Start(u)
		// The demo opens connected to simulated services, with their data already read.
		if a.sims, err = demo.StartSimulators(time.Now()); err != nil {
			a.initErr = err
			return
		}
		if err := a.sims.Connect(ctx, a.inst, u.Email); err != nil {
			a.initErr = err
			return
		}
	}
	if a.inv.Link != "" {
		a.accountAPI.receiveLink(a.inv.Link)
	}
	a.startDesktop(ctx)
}

func (a *App) shutdown(context.Context) {
	// Background work first (a sync records where it stopped); the tray last, because on
	// Linux it closes the shared session-bus connection the keychain also uses.
	defer a.stopTray()
	a.stopBackground()
	if a.sims != nil {
		a.sims.Close()
	}
	if a.inst != nil {
		_ = a.inst.Close()
	}
	a.stopLog()
	if a.demoDir != "" {
		if a.inst != nil {
			_ = a.inst.Keychain.DeleteAll()
		}
		_ = os.RemoveAll(a.demoDir)
	}
}

func (a *App) onSecondInstance(data options.SecondInstanceData) {
	if !a.started() {
		return
	}
	for _, arg := range data.Args {
		a.accountAPI.receiveLink(arg)
	}
	a.showPage("")
}

// onURLOpen receives cwm-webroot:// links on macOS, where the system hands them to the
// running app instead of starting a second process. It may come before startup has
// finished (a link that launched the app), so it waits for startup off the UI thread.
func (a *App) onURLOpen(link string) {
	go func() {
		<-a.ready
		if a.initErr != nil {
			return
		}
		a.accountAPI.receiveLink(link)
		a.showPage("")
	}()
}

// installation waits for start-up and returns the open installation or why it failed.
func (a *App) installation() (*install.Installation, error) {
	<-a.ready
	if a.initErr != nil {
		return nil, fmt.Errorf("the app could not open its data folder: %w", a.initErr)
	}
	if a.inst == nil {
		return nil, errors.New("the app has not started")
	}
	return a.inst, nil
}

// About describes the version, data folder and keychain state.
func (a *App) About() (install.About, error) {
	inst, err := a.installation()
	if err != nil {
		return install.About{}, err
	}
	return inst.Describe(a.ctx, buildinfo.ProductName, buildinfo.Version, buildinfo.Commit, a.demoDir != "")
}

// GetPreferences returns the user-interface preferences.
func (a *App) GetPreferences() (settings.Preferences, error) {
	inst, err := a.installation()
	if err != nil {
		return settings.Preferences{}, err
	}
	return settings.Load(a.ctx, inst.Store)
}

// SetTheme saves the theme: "system", "light" or "dark".
func (a *App) SetTheme(theme string) error {
	inst, err := a.installation()
	if err != nil {
		return err
	}
	return settings.SetTheme(a.ctx, inst.Store, theme)
}

// LaunchDemo starts `cwm-webroot demo` as a separate process: its own window and throw-away
// data folder, so the real installation is never touched.
func (a *App) LaunchDemo() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the app to start the demo: %w", err)
	}
	cmd := exec.Command(exe, "demo")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the demo: %w", err)
	}
	go func() { _ = cmd.Wait() }() // reap it when it exits
	return nil
}
