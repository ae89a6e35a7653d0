//go:build !darwin

package tray

import (
	"runtime"

	"fyne.io/systray"
)

type platformState struct{ started bool }

// Start shows the tray; call it once, from the app's OnStartup. systray runs its own loop
// on a locked OS thread: Windows needs the tray window created and pumped on one thread.
func (t *Tray) Start() {
	t.mu.Lock()
	if t.started {
		t.mu.Unlock()
		return
	}
	t.started = true
	t.mu.Unlock()
	go func() {
		// Linux without a session bus panics inside systray; the app works on without a tray.
		defer func() {
			if r := recover(); r != nil {
				t.log.Warn("the tray could not start", "panic", r)
			}
		}()
		runtime.LockOSThread()
		systray.Run(t.onReady, func() {})
	}()
}

// DomReady is for macOS, where the tray must start on the main thread once AppKit runs.
func (t *Tray) DomReady() {}

// Stop removes the tray; call it only from OnShutdown.
func (t *Tray) Stop() {
	t.stopLoop()
	t.mu.Lock()
	started := t.started
	t.mu.Unlock()
	if !started {
		return
	}
	defer func() { _ = recover() }()
	systray.Quit()
}

func setPlatformIcon(ic Icon) {
	if runtime.GOOS == "windows" {
		systray.SetIcon(ic.ICO)
		return
	}
	systray.SetIcon(ic.PNG)
}
