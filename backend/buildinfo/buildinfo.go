// Package buildinfo holds the names and version stamped into the binary.
package buildinfo

// Version and Commit are set at link time:
//
//	go build -ldflags "-X cwm-webroot/backend/buildinfo.Version=1.2.3 -X cwm-webroot/backend/buildinfo.Commit=abc1234"
var (
	Version = "0.1.0-dev"
	Commit  = "unknown"
)

const (
	// ProductName is the display name used in windows, the tray and notifications.
	ProductName = "Manage Webroot Integration"
	// ExecutableName is the binary, the keychain service and the data folder name.
	ExecutableName = "cwm-webroot"
)

// String is the one-line version shown by `cwm-webroot version` and the About panel.
func String() string {
	return ProductName + " (" + ExecutableName + ") " + Version + " commit " + Commit
}
