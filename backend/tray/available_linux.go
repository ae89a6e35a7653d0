package tray

import "github.com/godbus/dbus/v5"

// Available says whether a tray icon can be seen: on Linux only when a
// StatusNotifierWatcher (KDE, XFCE's SNI plugin, GNOME's AppIndicator extension) runs on
// the session bus. Without one, hiding the window on close would leave no way back to it.
func Available() bool {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has); err != nil {
		return false
	}
	return has
}
