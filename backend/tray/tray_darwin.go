//go:build darwin

package tray

/*
#cgo CFLAGS: -x objective-c
#cgo LDFLAGS: -framework Foundation
#include <dispatch/dispatch.h>
extern void goTrayStart(void);
static void trayOnMain(void) { dispatch_async(dispatch_get_main_queue(), ^{ goTrayStart(); }); }
*/
import "C"

import (
	"sync"
	"sync/atomic"

	"fyne.io/systray"
)

type platformState struct {
	start, end func()
	once       sync.Once
	launched   atomic.Bool // start ran on the main thread
}

// Start registers the tray; AppKit is not running yet, so the status item is created
// later, on the main thread, by DomReady.
func (t *Tray) Start() {
	t.start, t.end = systray.RunWithExternalLoop(t.onReady, func() {})
	current = t
}

// DomReady creates the status item on the main thread (AppKit refuses other threads).
func (t *Tray) DomReady() { t.once.Do(func() { C.trayOnMain() }) }

// Stop removes the tray; call it only from OnShutdown (it stops the AppKit run loop).
func (t *Tray) Stop() {
	t.stopLoop()
	// Ending a tray that never started would stop AppKit for nothing.
	if t.end != nil && t.launched.Load() {
		t.end()
	}
}

// setPlatformIcon shows the plain state as a template (tinted for light and dark menu
// bars) and a state with a badge in colour, so the badge stays visible.
func setPlatformIcon(ic Icon) {
	if ic.Badged {
		systray.SetIcon(ic.PNG)
		return
	}
	systray.SetTemplateIcon(ic.Template, ic.PNG)
}
