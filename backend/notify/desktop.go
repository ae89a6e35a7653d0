package notify

import (
	"strings"
	"sync"
	"unicode"

	"github.com/gen2brain/beeep"
)

// AppName is how notifications name their sender (D-Bus app_name, the Windows toast's app).
const AppName = "Manage Webroot Integration"

// Desktop shows one notification. The Notifier depends on this and not on beeep so its
// decisions (what, when, how grouped) are unit-tested with a Recorder.
type Desktop interface {
	Notify(title, body string) error
}

// Beeep shows notifications through the OS: org.freedesktop.Notifications over the D-Bus
// session bus on Linux (falling back to notify-send, then kdialog), Notification Center on
// macOS, toasts on Windows.
//
// beeep takes the session bus from godbus's dbus.SessionBus, a process-wide connection that
// godbus caches and re-dials once it is disconnected, so nothing here holds or closes a
// connection. A call goes to whichever process owns org.freedesktop.Notifications at that
// moment (the bus may start one on demand); with no owner it fails and beeep tries the
// fallbacks, whose combined error is returned.
type Beeep struct {
	// Icon is "" for none, a PNG file's path, or PNG bytes (build/appicon.png).
	Icon any
}

// beeepMu guards beeep.AppName, a package variable beeep reads while it sends.
var beeepMu sync.Mutex

// Notify shows the notification.
func (b Beeep) Notify(title, body string) error {
	icon := b.Icon
	if icon == nil {
		icon = ""
	}
	// Linux notification servers that announce body-markup parse the body as a subset of
	// XML: a company called "Smith & Sons <UK>" must be escaped there and nowhere else.
	if bodyMarkup() {
		body = escapeMarkup(body)
	}
	beeepMu.Lock()
	defer beeepMu.Unlock()
	beeep.AppName = AppName
	return beeep.Notify(title, body, icon)
}

// escapeMarkup escapes the characters the notification spec's markup gives meaning to.
func escapeMarkup(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Sent is one notification a Recorder was asked to show.
type Sent struct {
	Title string
	Body  string
}

// Recorder is a Desktop that remembers what it was asked to show, for tests of the
// Notifier and of the app's wiring.
type Recorder struct {
	mu   sync.Mutex
	sent []Sent
	// Fail, when set, is returned by Notify (nothing is recorded): no notification server.
	Fail error
}

// Notify records the notification.
func (r *Recorder) Notify(title, body string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		return r.Fail
	}
	r.sent = append(r.sent, Sent{Title: title, Body: body})
	return nil
}

// Sent returns a copy of what was shown so far.
func (r *Recorder) Sent() []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.sent...)
}

// Reset forgets what was shown.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = nil
}

// maxTitle and maxBody keep a notification readable in a toast: longer text is cut by
// the OS anyway, but mid-word and without saying so.
const (
	maxTitle = 80
	maxBody  = 300
)

// clean makes text safe to display: one line per paragraph, no control characters, and at
// most max runes with an ellipsis when cut.
func clean(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	s = strings.TrimSpace(strings.Join(lines, "\n"))
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}
