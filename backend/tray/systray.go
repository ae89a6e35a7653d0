package tray

import (
	"runtime"

	"fyne.io/systray"
)

// systrayPlatform draws on fyne.io/systray.
type systrayPlatform struct{}

type systrayItem struct{ *systray.MenuItem }

func (i systrayItem) Clicked() <-chan struct{} { return i.ClickedCh }

func (systrayPlatform) SetIcon(ic Icon) { setPlatformIcon(ic) }

func (systrayPlatform) SetTooltip(s string) { systray.SetTooltip(s) }

func (systrayPlatform) AddItem(title string) item {
	return systrayItem{systray.AddMenuItem(title, "")}
}

func (systrayPlatform) AddSeparator() { systray.AddSeparator() }

func (t *Tray) onReady() {
	systray.SetTitle("")
	// Windows users expect a left click on a tray icon to open the app, and the right
	// click to show the menu; elsewhere a click opens the menu (SetOnTapped would replace it).
	if runtime.GOOS == "windows" {
		systray.SetOnTapped(func() { t.run(func() { t.actions.Open("") }) })
	}
	t.build(systrayPlatform{})
}
