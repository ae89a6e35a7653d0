package tray

import "fyne.io/systray"

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
	t.build(systrayPlatform{})
}
