package tray

import (
	"log/slog"
	"sync"
	"time"
)

// Actions are what the menu does. Each runs in its own goroutine, so a slow action (a
// sync) never blocks the menu.
type Actions struct {
	// Open shows the window on a page ("" keeps the current one, "sync" the Sync page).
	Open func(page string)
	// SyncNow starts a sync as if from the window.
	SyncNow func()
	// SetPaused pauses or resumes the schedule.
	SetPaused func(paused bool)
	// Quit ends the app; while a sync runs the app asks first.
	Quit func()
}

// item is one menu entry; systray's MenuItem in the app, a fake in tests.
type item interface {
	SetTitle(string)
	Show()
	Hide()
	Enable()
	Disable()
	Clicked() <-chan struct{}
}

// platform is what the tray draws on; systray in the app, a fake in tests.
type platform interface {
	SetIcon(Icon)
	SetTooltip(string)
	AddItem(title string) item
	AddSeparator()
}

// Tray keeps the tray's icon and menu in step with Update and dispatches clicks.
type Tray struct {
	actions Actions
	now     func() time.Time
	log     *slog.Logger

	mu      sync.Mutex
	status  Status
	items   *items // nil until the tray is ready
	plat    platform
	shown   view
	dirty   chan struct{} // a status waits to be painted
	stopped chan struct{}
	stopOne sync.Once
	ready   chan struct{}
	readyOn sync.Once

	platformState // per-OS start/stop state
}

type items struct {
	open, problem, syncNow, pause, last, next, held, quit item
}

// New makes a tray; Start shows it.
func New(a Actions, now func() time.Time, log *slog.Logger) *Tray {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Tray{actions: a, now: now, log: log, dirty: make(chan struct{}, 1), stopped: make(chan struct{}), ready: make(chan struct{})}
}

// Ready is closed once the menu exists.
func (t *Tray) Ready() <-chan struct{} { return t.ready }

// Shown says whether the menu exists: until then a hidden window could not be brought back
// from the tray.
func (t *Tray) Shown() bool {
	select {
	case <-t.ready:
		return true
	default:
		return false
	}
}

// Update shows a new status; before the tray is ready it is kept for then. It never
// waits for the tray: on macOS every systray call waits for the main thread, which no
// longer runs once the app is shutting down, so the painting goroutine does the calls.
func (t *Tray) Update(s Status) {
	t.mu.Lock()
	t.status = s
	t.mu.Unlock()
	select {
	case t.dirty <- struct{}{}:
	default:
	}
}

// build creates the menu on p and starts the click loop; systray calls it once, from
// its onReady.
func (t *Tray) build(p platform) {
	t.mu.Lock()
	it := &items{}
	it.open = p.AddItem("Open")
	it.problem = p.AddItem("")
	p.AddSeparator()
	it.syncNow = p.AddItem("Sync now")
	it.pause = p.AddItem("Pause schedule")
	p.AddSeparator()
	it.last = p.AddItem("Last sync")
	it.next = p.AddItem("Next sync")
	it.held = p.AddItem("")
	p.AddSeparator()
	it.quit = p.AddItem("Quit")
	t.items, t.plat = it, p
	t.mu.Unlock()
	t.apply(true)
	t.readyOn.Do(func() { close(t.ready) })
	go t.loop(it)
	go t.paint()
}

// paint applies new statuses as they come, and re-renders each minute so "today" and
// "yesterday" stay true.
func (t *Tray) paint() {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-t.stopped:
			return
		case <-t.dirty:
		case <-tick.C:
		}
		t.apply(false)
	}
}

// loop receives every click: systray drops a click nobody is receiving, so this loop
// never does anything slow itself.
func (t *Tray) loop(it *items) {
	for {
		select {
		case <-t.stopped:
			return
		case <-it.open.Clicked():
			t.run(func() { t.actions.Open("") })
		case <-it.problem.Clicked():
			t.run(func() { t.actions.Open("") })
		case <-it.held.Clicked():
			t.run(func() { t.actions.Open("sync") })
		case <-it.syncNow.Clicked():
			t.run(t.actions.SyncNow)
		case <-it.pause.Clicked():
			t.mu.Lock()
			paused := t.status.Paused
			t.mu.Unlock()
			t.run(func() { t.actions.SetPaused(!paused) })
		case <-it.quit.Clicked():
			t.run(t.actions.Quit)
		}
	}
}

func (t *Tray) run(f func()) {
	if f == nil {
		return
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				t.log.Error("tray action failed", "panic", r)
			}
		}()
		f()
	}()
}

// apply copies what changed to the platform (everything when force), outside the lock so
// a slow platform call never holds up Update or the click loop.
func (t *Tray) apply(force bool) {
	select {
	case <-t.stopped:
		return
	default:
	}
	t.mu.Lock()
	if t.items == nil {
		t.mu.Unlock()
		return
	}
	v := render(t.status, t.now())
	old, it, plat := t.shown, t.items, t.plat
	t.mu.Unlock()

	if force || v.Icon != old.Icon {
		if icons, err := Icons(); err != nil {
			t.log.Error("tray icon", "err", err)
		} else {
			plat.SetIcon(icons[v.Icon])
		}
	}
	if force || v.Tooltip != old.Tooltip {
		plat.SetTooltip(v.Tooltip)
	}
	for _, p := range []struct {
		it       item
		new, old line
	}{
		{it.open, v.Open, old.Open}, {it.problem, v.Problem, old.Problem},
		{it.syncNow, v.SyncNow, old.SyncNow}, {it.pause, v.Pause, old.Pause},
		{it.last, v.Last, old.Last}, {it.next, v.Next, old.Next},
		{it.held, v.Held, old.Held}, {it.quit, v.Quit, old.Quit},
	} {
		setLine(p.it, p.new, p.old, force)
	}
	t.mu.Lock()
	t.shown = v
	t.mu.Unlock()
}

// setLine changes only what differs: menus do not refresh while open, and each change is
// a D-Bus round trip on Linux.
func setLine(it item, n, o line, force bool) {
	if force || n.Title != o.Title {
		it.SetTitle(n.Title)
	}
	if force || n.Enabled != o.Enabled {
		if n.Enabled {
			it.Enable()
		} else {
			it.Disable()
		}
	}
	if force || n.Visible != o.Visible {
		if n.Visible {
			it.Show()
		} else {
			it.Hide()
		}
	}
}

// stopLoop ends the click loop.
func (t *Tray) stopLoop() { t.stopOne.Do(func() { close(t.stopped) }) }
