//go:build binarytest

// The production binary on a real D-Bus session under Xvfb (make test-tray): the tray
// registers with a StatusNotifierWatcher, its menu reads as the user would see it,
// --autostart starts with the window hidden, a second launch shows the first instance's
// window, and Quit in the tray menu ends the app.
package tray_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

var binary = flag.String("binary", "", "the production binary to test")

// watcher is a StatusNotifierWatcher, as KDE or GNOME's AppIndicator extension run one.
type watcher struct {
	mu    sync.Mutex
	items []string // bus names of registered items
	got   chan struct{}
}

func (w *watcher) RegisterStatusNotifierItem(service string, sender dbus.Sender) *dbus.Error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if strings.HasPrefix(service, "/") { // a path: the item is on the sender's connection
		service = string(sender)
	}
	w.items = append(w.items, service)
	select {
	case w.got <- struct{}{}:
	default:
	}
	return nil
}

func startWatcher(t *testing.T, conn *dbus.Conn) *watcher {
	t.Helper()
	w := &watcher{got: make(chan struct{}, 1)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("could not own the watcher name (%v, %v): is another tray running on this bus?", reply, err)
	}
	return w
}

// notifications is a desktop notification server (org.freedesktop.Notifications) that
// keeps what it was asked to show.
type notifications struct {
	mu   sync.Mutex
	sent []string // "summary: body"
}

func (n *notifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent = append(n.sent, summary+": "+body)
	return uint32(len(n.sent)), nil
}

func (n *notifications) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }

func (n *notifications) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "test", "cwm-webroot", "1", "1.2", nil
}

func (n *notifications) CloseNotification(uint32) *dbus.Error { return nil }

func (n *notifications) all() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.sent...)
}

func startNotifications(t *testing.T, conn *dbus.Conn) *notifications {
	t.Helper()
	n := &notifications{}
	if err := conn.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("could not own the notifications name (%v, %v)", reply, err)
	}
	return n
}

// closeWindow asks the app's window to close as a window manager's close button does: a
// WM_DELETE_WINDOW client message.
func closeWindow(t *testing.T) {
	t.Helper()
	out, err := exec.Command("xwininfo", "-name", "Manage Webroot Integration").CombinedOutput()
	if err != nil {
		t.Fatalf("xwininfo: %v %s", err, out)
	}
	var id uint32
	for _, line := range strings.Split(string(out), "\n") {
		if i := strings.Index(line, "Window id: 0x"); i >= 0 {
			v, err := strconv.ParseUint(strings.Fields(line[i+len("Window id: "):])[0][2:], 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			id = uint32(v)
		}
	}
	if id == 0 {
		t.Fatalf("no window id in %s", out)
	}
	x, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(x, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	ev := xproto.ClientMessageEvent{Format: 32, Window: xproto.Window(id), Type: atom("WM_PROTOCOLS"),
		Data: xproto.ClientMessageDataUnionData32New([]uint32{uint32(atom("WM_DELETE_WINDOW")), 0, 0, 0, 0})}
	if err := xproto.SendEventChecked(x, false, xproto.Window(id), xproto.EventMaskNoEvent, string(ev.Bytes())).Check(); err != nil {
		t.Fatal(err)
	}
}

// menuItem is one entry of the dbusmenu layout.
type menuItem struct {
	ID      int32
	Label   string
	Visible bool
	Enabled bool
}

func readMenu(t *testing.T, conn *dbus.Conn, service string) []menuItem {
	t.Helper()
	var revision uint32
	var layout struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	obj := conn.Object(service, "/StatusNotifierItem/menu")
	if err := obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&revision, &layout); err != nil {
		t.Fatalf("GetLayout: %v", err)
	}
	var out []menuItem
	for _, c := range layout.Children {
		fields, ok := c.Value().([]any)
		if !ok || len(fields) < 2 {
			continue
		}
		props, _ := fields[1].(map[string]dbus.Variant)
		it := menuItem{ID: fields[0].(int32), Visible: true, Enabled: true}
		if v, ok := props["label"]; ok {
			it.Label, _ = v.Value().(string)
		}
		if v, ok := props["visible"]; ok {
			it.Visible, _ = v.Value().(bool)
		}
		if v, ok := props["enabled"]; ok {
			it.Enabled, _ = v.Value().(bool)
		}
		if v, ok := props["type"]; ok && v.Value() == "separator" {
			continue
		}
		out = append(out, it)
	}
	return out
}

// windowViewable says whether the app's window is mapped and viewable on the X display.
func windowViewable() bool {
	out, err := exec.Command("xwininfo", "-name", "Manage Webroot Integration").CombinedOutput()
	return err == nil && bytes.Contains(out, []byte("Map State: IsViewable"))
}

func waitFor(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}

func TestTrayAutostartSecondLaunchAndQuit(t *testing.T) {
	if *binary == "" || os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("needs -binary, an X display (scripts/xvfb.sh) and a D-Bus session (scripts/with-keyring.sh)")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	w := startWatcher(t, conn)
	notes := startNotifications(t, conn)

	data := t.TempDir()
	env := append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "WEBKIT_DISABLE_DMABUF_RENDERER=1")
	var logs bytes.Buffer
	app := exec.Command(*binary, "--autostart", "--data-dir", data)
	app.Env, app.Stdout, app.Stderr = env, &logs, &logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		if app.ProcessState == nil {
			_ = app.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("app output:\n%s", logs.String())
		}
	}()

	// The tray registers on the bus.
	select {
	case <-w.got:
	case err := <-exited:
		t.Fatalf("the app exited before its tray registered: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the tray never registered with the StatusNotifierWatcher")
	}
	w.mu.Lock()
	service := w.items[0]
	w.mu.Unlock()
	if err := conn.Object(service, "/StatusNotifierItem").Call("org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierItem", "ToolTip").Err; err != nil {
		t.Fatalf("the registered item does not answer as a StatusNotifierItem: %v", err)
	}

	// Its menu, as a user reads it: a fresh installation with the default daily schedule.
	var labels []string
	var quitID int32 = -1
	waitFor(t, "the menu is built", 10*time.Second, func() bool {
		labels, quitID = nil, -1
		for _, it := range readMenu(t, conn, service) {
			if it.Visible {
				labels = append(labels, it.Label)
			}
			if it.Label == "Quit" {
				quitID = it.ID
			}
		}
		return len(labels) >= 6 && quitID >= 0
	})
	want := []string{"Open Manage Webroot Integration", "Sync now", "Pause schedule", "Last sync: never", "Quit"}
	for _, l := range want {
		found := false
		for _, got := range labels {
			found = found || got == l
		}
		if !found {
			t.Errorf("menu lacks %q: %q", l, labels)
		}
	}
	next := false
	for _, l := range labels {
		next = next || strings.HasPrefix(l, "Next sync: ")
	}
	if !next {
		t.Errorf("menu does not say when the next sync runs: %q", labels)
	}

	// --autostart: the window stays hidden.
	time.Sleep(2 * time.Second)
	if windowViewable() {
		t.Fatal("--autostart showed the window; it must start hidden in the tray")
	}

	// A second launch hands over to the first and exits; the first shows its window.
	second := exec.Command(*binary, "--data-dir", data)
	second.Env = env
	done := make(chan error, 1)
	go func() { done <- second.Run() }()
	select {
	case err := <-done:
		if err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("second launch: %v", err)
			}
		}
	case <-time.After(30 * time.Second):
		_ = second.Process.Kill()
		t.Fatal("the second launch kept running instead of handing over to the first")
	}
	waitFor(t, "the first instance shows its window", 15*time.Second, windowViewable)

	// Closing the window hides it to the tray and keeps the app running; the first time, a
	// notification says so, and only the first time.
	for round := 1; round <= 2; round++ {
		closeWindow(t)
		waitFor(t, "the closed window is hidden", 10*time.Second, func() bool { return !windowViewable() })
		select {
		case err := <-exited:
			t.Fatalf("closing the window ended the app (%v); it must stay in the tray", err)
		default:
		}
		if round == 1 {
			waitFor(t, "the hidden-to-tray notice", 10*time.Second, func() bool { return len(notes.all()) > 0 })
			if got := notes.all(); len(got) != 1 || !strings.Contains(got[0], "Still running in the tray") {
				t.Fatalf("notifications %q", got)
			}
			// (Wails ends a second instance with status 1 once it has handed over.)
			again := exec.Command(*binary, "--data-dir", data)
			again.Env = env
			var ee *exec.ExitError
			if err := again.Run(); err != nil && !errors.As(err, &ee) {
				t.Fatalf("second launch: %v", err)
			}
			waitFor(t, "the window is shown again", 15*time.Second, windowViewable)
		}
	}
	time.Sleep(time.Second)
	if got := notes.all(); len(got) != 1 {
		t.Fatalf("the hidden-to-tray notice must be shown once; notifications: %q", got)
	}

	// Quit in the tray menu ends the app cleanly.
	if err := conn.Object(service, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.Event", 0,
		quitID, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err; err != nil {
		t.Fatalf("clicking Quit: %v", err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the app did not exit cleanly after Quit: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Quit in the tray menu did not end the app")
	}
	if _, err := os.Stat(filepath.Join(data, "cwm-webroot.db")); err != nil {
		t.Fatalf("no database in the data folder: %v", err)
	}
}
