//go:build (linux || freebsd || netbsd || openbsd || illumos) && !nodbus

package notify

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// The test run wraps go test in scripts/with-keyring.sh, which starts a private D-Bus
// session. Without a session bus these tests skip, unless CWM_REQUIRE_DBUS is set (CI sets
// it), where a missing bus is a failure: otherwise a broken CI image would silently stop
// testing the real notification path.
const requireDBusEnv = "CWM_REQUIRE_DBUS"

const (
	notificationsName = "org.freedesktop.Notifications"
	notificationsPath = "/org/freedesktop/Notifications"
)

// notifyCall is one org.freedesktop.Notifications.Notify call as the fake server got it.
type notifyCall struct {
	AppName, AppIcon, Summary, Body string
	ReplacesID                      uint32
	Actions                         []string
	Hints                           map[string]dbus.Variant
	Timeout                         int32
}

// fakeNotifications is a notification server: the four methods of the desktop
// notifications spec, recording what it is asked to show.
type fakeNotifications struct {
	mu    sync.Mutex
	caps  []string
	calls []notifyCall
	next  uint32
}

func (f *fakeNotifications) Notify(appName string, replacesID uint32, appIcon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, notifyCall{AppName: appName, AppIcon: appIcon, Summary: summary, Body: body,
		ReplacesID: replacesID, Actions: actions, Hints: hints, Timeout: timeout})
	f.next++
	return f.next, nil
}

func (f *fakeNotifications) GetCapabilities() ([]string, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.caps...), nil
}

func (f *fakeNotifications) GetServerInformation() (name, vendor, version, specVersion string, err *dbus.Error) {
	return "cwm-webroot-test", "cwm-webroot", "1.0", "1.2", nil
}

func (f *fakeNotifications) CloseNotification(id uint32) *dbus.Error { return nil }

func (f *fakeNotifications) setCaps(caps ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.caps = caps
}

func (f *fakeNotifications) taken() []notifyCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.calls
	f.calls = nil
	return out
}

// startFakeNotifications exports the fake on its own connection to the session bus and
// owns org.freedesktop.Notifications before returning, so a Notify sent afterwards can only
// reach it (beeep calls the well-known name, and without an owner it would fall back to
// notify-send and kdialog).
func startFakeNotifications(t *testing.T) *fakeNotifications {
	t.Helper()
	skipOrFail := func(format string, args ...any) {
		t.Helper()
		if os.Getenv(requireDBusEnv) != "" {
			t.Fatalf(format+" (%s is set: a session bus is required)", append(args, requireDBusEnv)...)
		}
		t.Skipf(format+" (run under scripts/with-keyring.sh; set %s to make this a failure)", append(args, requireDBusEnv)...)
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		skipOrFail("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		skipOrFail("cannot connect to the D-Bus session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	fake := &fakeNotifications{}
	if err := conn.Export(fake, notificationsPath, notificationsName); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(notificationsName, dbus.NameFlagDoNotQueue)
	if err != nil {
		t.Fatalf("requesting %s: %v", notificationsName, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		// A desktop session's own notification daemon already owns the name.
		skipOrFail("another notification server owns %s on this session bus (reply %d)", notificationsName, reply)
	}
	t.Cleanup(func() { conn.ReleaseName(notificationsName) })
	return fake
}

func TestBeeepDesktopOverDBus(t *testing.T) {
	fake := startFakeNotifications(t)

	// A server without body-markup gets the text as it is.
	fake.setCaps("body", "actions")
	if err := (Beeep{}).Notify("Sync failed", "Smith & Sons <UK>: 2 changes failed."); err != nil {
		t.Fatal(err)
	}
	calls := fake.taken()
	if len(calls) != 1 {
		t.Fatalf("the fake server got %d Notify calls, want 1", len(calls))
	}
	c := calls[0]
	if c.AppName != AppName || c.Summary != "Sync failed" || c.Body != "Smith & Sons <UK>: 2 changes failed." {
		t.Errorf("got app %q summary %q body %q", c.AppName, c.Summary, c.Body)
	}
	if c.AppIcon != "" || c.ReplacesID != 0 || len(c.Actions) != 0 {
		t.Errorf("got icon %q replaces %d actions %v", c.AppIcon, c.ReplacesID, c.Actions)
	}

	// A server that parses markup gets it escaped, so it shows the same words.
	fake.setCaps("body", "body-markup")
	if err := (Beeep{}).Notify("Sync failed", "Smith & Sons <UK>: 2 changes failed."); err != nil {
		t.Fatal(err)
	}
	calls = fake.taken()
	if len(calls) != 1 || calls[0].Body != "Smith &amp; Sons &lt;UK&gt;: 2 changes failed." {
		t.Fatalf("got %+v, want the body escaped for markup", calls)
	}
}

func TestNotifierThroughDBus(t *testing.T) {
	fake := startFakeNotifications(t)
	f := newFixture(t)
	f.Desktop = Beeep{}
	if err := f.CredentialsRejected(context.Background(), ServiceManage); err != nil {
		t.Fatal(err)
	}
	calls := fake.taken()
	if len(calls) != 1 {
		t.Fatalf("the fake server got %d Notify calls, want 1", len(calls))
	}
	if c := calls[0]; c.AppName != AppName || c.Summary != "ConnectWise Manage credentials rejected" ||
		c.Body != "ConnectWise Manage refused the saved credentials, so syncing has stopped. "+
			"Open the ConnectWise Manage connection settings and enter current credentials." {
		t.Errorf("got %+v", c)
	}
	// Told once: a second rejection reaches no server.
	if err := f.CredentialsRejected(context.Background(), ServiceManage); err != nil {
		t.Fatal(err)
	}
	if calls := fake.taken(); len(calls) != 0 {
		t.Errorf("a repeat reached the server: %+v", calls)
	}
}
