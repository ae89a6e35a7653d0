//go:build (linux || freebsd || netbsd || openbsd || illumos) && !nodbus

package notify

import (
	"context"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"
)

// bodyMarkup asks the notification server whether it parses markup in bodies. It uses the
// same cached session connection beeep will use; any failure means "no", and beeep's own
// attempt then reports what is wrong.
func bodyMarkup() bool {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var caps []string
	err = conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications").
		CallWithContext(ctx, "org.freedesktop.Notifications.GetCapabilities", 0).Store(&caps)
	return err == nil && slices.Contains(caps, "body-markup")
}
