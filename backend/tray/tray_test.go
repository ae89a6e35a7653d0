package tray

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"sync"
	"testing"
	"time"
)

var ny = mustLoad("America/New_York")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestMenuSaysWhatHappenedAndWhatIsNext(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, ny)
	next := time.Date(2026, 12, 4, 6, 0, 0, 0, ny)
	v := render(Status{
		Last:       &LastRun{At: time.Date(2026, 12, 3, 6, 0, 12, 0, ny), Outcome: "succeeded"},
		ScheduleOn: true, NextRun: &next, Location: ny,
	}, now)
	if v.Icon != StateIdle || v.Last.Title != "Last sync: today 06:00, succeeded" ||
		v.Next.Title != "Next sync: tomorrow 06:00" || v.Pause.Title != "Pause schedule" || !v.Pause.Visible {
		t.Fatalf("%+v", v)
	}
	if v.Held.Visible || v.Problem.Visible || !v.SyncNow.Enabled {
		t.Fatalf("nothing to review, no problem: %+v", v)
	}
	if v.Tooltip != "Manage Webroot Integration: last sync today 06:00, succeeded" {
		t.Fatalf("tooltip %q", v.Tooltip)
	}

	// Times are the company's: 06:00 New York is 11:00 UTC.
	v = render(Status{Last: &LastRun{At: time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC), Outcome: "failed", Failed: true}, Location: ny}, now)
	if v.Last.Title != "Last sync: Tue 1 Dec 06:00, failed" || v.Icon != StateAttention {
		t.Fatalf("%+v", v)
	}
	if v.Pause.Visible || v.Next.Visible {
		t.Fatal("no schedule: pause and next run must be hidden")
	}
}

func TestHeldChangesPausedScheduleAndSyncing(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, ny)
	v := render(Status{Held: 3, ScheduleOn: true, Paused: true, Location: ny}, now)
	if !v.Held.Visible || v.Held.Title != "3 changes awaiting review" || v.Icon != StateAttention {
		t.Fatalf("%+v", v)
	}
	if v.Pause.Title != "Resume schedule" || v.Next.Title != "Schedule paused" || v.Last.Title != "Last sync: never" {
		t.Fatalf("%+v", v)
	}
	if render(Status{Held: 1}, now).Held.Title != "1 change awaiting review" {
		t.Fatal("singular")
	}
	v = render(Status{Held: 3, Syncing: true, Progress: "12 of 40 applied"}, now)
	if v.Icon != StateSyncing || v.SyncNow.Enabled || v.SyncNow.Title != "Syncing… 12 of 40 applied" || v.Quit.Title != "Quit" {
		t.Fatalf("%+v", v)
	}
	// "Quit when the sync finishes" was chosen: the menu and tooltip say so; Quit still works.
	v = render(Status{Syncing: true, QuitPending: true}, now)
	if v.Quit.Title != "Quit now (quitting when the sync finishes)" || !v.Quit.Enabled ||
		v.Tooltip != "Manage Webroot Integration: syncing, then quitting" {
		t.Fatalf("%+v", v)
	}
	v = render(Status{Problem: "Webroot rejected the credentials"}, now)
	if !v.Problem.Visible || v.Problem.Title != "⚠ Webroot rejected the credentials" || v.Icon != StateAttention ||
		v.Tooltip != "Manage Webroot Integration: Webroot rejected the credentials" {
		t.Fatalf("%+v", v)
	}
}

func TestWhenAcrossYearsAndDaylightSaving(t *testing.T) {
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, ny) // the spring-forward day
	if got := when(time.Date(2026, 3, 7, 6, 0, 0, 0, ny), now, ny); got != "yesterday 06:00" {
		t.Fatal(got)
	}
	if got := when(time.Date(2025, 12, 30, 6, 0, 0, 0, ny), now, ny); got != "30 Dec 2025 06:00" {
		t.Fatal(got)
	}
	if got := when(time.Date(2026, 3, 8, 3, 30, 0, 0, ny), now, ny); got != "today 03:30" {
		t.Fatal(got)
	}
}

type fakeItem struct {
	mu      sync.Mutex
	title   string
	visible bool
	enabled bool
	clicks  chan struct{}
}

func (f *fakeItem) SetTitle(s string)        { f.mu.Lock(); f.title = s; f.mu.Unlock() }
func (f *fakeItem) Show()                    { f.mu.Lock(); f.visible = true; f.mu.Unlock() }
func (f *fakeItem) Hide()                    { f.mu.Lock(); f.visible = false; f.mu.Unlock() }
func (f *fakeItem) Enable()                  { f.mu.Lock(); f.enabled = true; f.mu.Unlock() }
func (f *fakeItem) Disable()                 { f.mu.Lock(); f.enabled = false; f.mu.Unlock() }
func (f *fakeItem) Clicked() <-chan struct{} { return f.clicks }
func (f *fakeItem) get() (string, bool, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.title, f.visible, f.enabled
}

type fakePlatform struct {
	mu      sync.Mutex
	order   []*fakeItem
	icon    Icon
	tooltip string
}

func (p *fakePlatform) SetIcon(i Icon)      { p.mu.Lock(); p.icon = i; p.mu.Unlock() }
func (p *fakePlatform) SetTooltip(s string) { p.mu.Lock(); p.tooltip = s; p.mu.Unlock() }
func (p *fakePlatform) AddSeparator()       {}
func (p *fakePlatform) AddItem(title string) item {
	it := &fakeItem{title: title, visible: true, enabled: true, clicks: make(chan struct{})}
	p.order = append(p.order, it)
	return it
}

func TestClicksReachTheirActions(t *testing.T) {
	calls := make(chan string, 10)
	tr := New(Actions{
		Open:      func(page string) { calls <- "open:" + page },
		SyncNow:   func() { calls <- "sync" },
		SetPaused: func(p bool) { calls <- map[bool]string{true: "pause", false: "resume"}[p] },
		Quit:      func() { calls <- "quit" },
	}, func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, ny) }, nil)
	defer tr.stopLoop()
	tr.Update(Status{Held: 2, ScheduleOn: true, Location: ny}) // before the tray is ready
	p := &fakePlatform{}
	tr.build(p)
	<-tr.Ready()
	open, problem, syncNow, pause, last, next, held, quit := p.order[0], p.order[1], p.order[2], p.order[3], p.order[4], p.order[5], p.order[6], p.order[7]

	if title, vis, _ := held.get(); title != "2 changes awaiting review" || !vis {
		t.Fatalf("status given before ready not shown: %q %v", title, vis)
	}
	if _, vis, _ := problem.get(); vis {
		t.Fatal("problem line shown without a problem")
	}
	if title, _, enabled := last.get(); title != "Last sync: never" || enabled {
		t.Fatalf("last line %q enabled=%v: it is information, not a button", title, enabled)
	}
	if title, _, _ := next.get(); title != "Next sync: not planned" {
		t.Fatal(title)
	}
	if !bytes.Equal(p.icon.PNG, mustIcons(t)[StateAttention].PNG) {
		t.Fatal("held changes must show the attention icon")
	}

	for _, c := range []struct {
		it   *fakeItem
		want string
	}{{open, "open:"}, {held, "open:sync"}, {syncNow, "sync"}, {pause, "pause"}, {quit, "quit"}} {
		c.it.clicks <- struct{}{}
		select {
		case got := <-calls:
			if got != c.want {
				t.Fatalf("clicked %q → %q, want %q", c.it.title, got, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("click on %q did nothing", c.it.title)
		}
	}

	tr.Update(Status{ScheduleOn: true, Paused: true, Syncing: true, Location: ny})
	eventually(t, "the pause line says Resume", func() bool { title, _, _ := pause.get(); return title == "Resume schedule" })
	pause.clicks <- struct{}{}
	if got := <-calls; got != "resume" {
		t.Fatalf("paused schedule: click → %q, want resume", got)
	}
	eventually(t, "Sync now disabled while syncing", func() bool { title, _, enabled := syncNow.get(); return !enabled && title == "Syncing…" })
	if _, vis, _ := held.get(); vis {
		t.Fatal("held line still shown with nothing held")
	}
}

// eventually waits for the painting goroutine to have shown what ok checks.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("the tray never showed: %s", what)
}

type blockingPlatform struct {
	fakePlatform
	release chan struct{}
}

func (p *blockingPlatform) SetTooltip(s string) { <-p.release; p.fakePlatform.SetTooltip(s) }

// On macOS a systray call waits for the main thread, which stops at shutdown: Update and
// clicks must never wait for the platform.
func TestUpdateAndClicksNeverWaitForTheTray(t *testing.T) {
	quit := make(chan struct{}, 1)
	tr := New(Actions{Quit: func() { quit <- struct{}{} }}, nil, nil)
	defer tr.stopLoop()
	p := &blockingPlatform{release: make(chan struct{})}
	close(p.release) // the first paint goes through
	tr.build(p)
	p.release = make(chan struct{}) // from now on the platform hangs
	done := make(chan struct{})
	go func() {
		for i := 0; i < 50; i++ {
			tr.Update(Status{Syncing: i%2 == 0, Progress: "x"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Update waited for a hanging tray")
	}
	p.order[7].clicks <- struct{}{}
	select {
	case <-quit:
	case <-time.After(5 * time.Second):
		t.Fatal("a click was not handled while the tray hung")
	}
	close(p.release)
}

func mustIcons(t *testing.T) map[State]Icon {
	t.Helper()
	ic, err := Icons()
	if err != nil {
		t.Fatal(err)
	}
	return ic
}

func TestIconsDifferPerStateAndWindowsGetsAnICO(t *testing.T) {
	ic := mustIcons(t)
	for st, want := range map[State][3]uint8{StateSyncing: {0x16, 0xa3, 0x4a}, StateAttention: {0xf5, 0x9e, 0x0b}} {
		img, err := png.Decode(bytes.NewReader(ic[st].PNG))
		if err != nil {
			t.Fatal(err)
		}
		size := img.Bounds().Dx()
		r, g, b, _ := img.At(size-size/5, size-size/5).RGBA()
		if [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)} != want {
			t.Errorf("%s: badge colour %x %x %x", st, r>>8, g>>8, b>>8)
		}
		if !ic[st].Badged {
			t.Errorf("%s not badged", st)
		}
	}
	if bytes.Equal(ic[StateIdle].PNG, ic[StateAttention].PNG) || ic[StateIdle].Badged {
		t.Fatal("idle icon must not carry a badge")
	}
	ico := ic[StateIdle].ICO
	var hdr [3]uint16
	_ = binary.Read(bytes.NewReader(ico), binary.LittleEndian, &hdr)
	if hdr != [3]uint16{0, 1, 1} || ico[6] != 64 || !bytes.Equal(ico[22:], ic[StateIdle].PNG) ||
		binary.LittleEndian.Uint32(ico[14:]) != uint32(len(ic[StateIdle].PNG)) {
		t.Fatalf("bad ICO header % x", ico[:22])
	}
	if _, err := png.Decode(bytes.NewReader(ic[StateIdle].Template)); err != nil {
		t.Fatal(err)
	}
}
