package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"cwm-webroot/backend/mail"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// Services named by CredentialsRejected, as notifications spell them.
const (
	ServiceManage  = "ConnectWise Manage"
	ServiceWebroot = "Webroot"
)

// MailSender sends one email; *mail.Sender is the real one.
type MailSender interface {
	Send(ctx context.Context, st mail.Settings, password string, msg mail.Message) (string, error)
}

// Notifier decides which desktop notifications and digests to send and sends them. The app
// holds one and calls it after each sync (AfterSync), when a vendor refuses the saved
// credentials (CredentialsRejected), after a Webroot refresh (CheckSites) and on a timer
// (CheckStale).
//
// What it told is remembered in the notify_sent table, so the same notification is never
// shown twice in a row across restarts, the window, the tray and the command line. Methods
// are serialized within the process; two processes checking at the very same moment could
// both notify once, which is preferred over holding a database lock during a D-Bus call.
//
// Every method returns an error only for the app's log: notifications are a side channel,
// and their failures (no notification server, SMTP down) must never become error toasts
// of their own. The SMTP password is read from the keychain for each digest and appears in
// no log line and no error.
type Notifier struct {
	Store   *store.Store
	Secrets secrets.Store
	// Desktop shows notifications; nil shows none (the command line).
	Desktop Desktop
	// Mail sends digests; nil uses a default mail.Sender.
	Mail MailSender
	// Now is the clock [time.Now]; its location is the one times are shown in.
	Now func() time.Time
	// Logger receives what was sent or skipped, and why [discard].
	Logger *slog.Logger

	mu sync.Mutex
}

func (n *Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

func (n *Notifier) log() *slog.Logger {
	if n.Logger != nil {
		return n.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// show sends one desktop notification, made safe for display.
func (n *Notifier) show(kind, title, body string) error {
	title, body = clean(title, maxTitle), clean(body, maxBody)
	if n.Desktop == nil {
		n.log().Debug("notification not shown: no desktop", "kind", kind, "title", title)
		return nil
	}
	if err := n.Desktop.Notify(title, body); err != nil {
		n.log().Warn("desktop notification failed", "kind", kind, "title", title, "error", err)
		return fmt.Errorf("showing the %q notification: %w", title, err)
	}
	n.log().Info("desktop notification shown", "kind", kind, "title", title)
	return nil
}

// CredentialsRejected tells the user that service (ServiceManage or ServiceWebroot)
// refused the saved credentials, once per episode: it stays quiet until
// CredentialsAccepted is called for the same service, since every sync and refresh in
// between fails for the same reason.
func (n *Notifier) CredentialsRejected(ctx context.Context, service string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	service = strings.TrimSpace(service)
	if service == "" {
		return errors.New("notify: CredentialsRejected needs the service's name")
	}
	prefs, err := LoadPreferences(ctx, n.Store)
	if err != nil {
		return err
	}
	if !prefs.CredentialsRejected {
		return nil
	}
	if _, told, err := n.recall(ctx, topicCredentials, service); err != nil || told {
		return err
	}
	err = n.show("credentials_rejected", service+" credentials rejected",
		service+" refused the saved credentials, so syncing has stopped. Open the "+service+
			" connection settings and enter current credentials.")
	if err != nil {
		return err
	}
	return n.remember(ctx, topicCredentials, map[string]string{service: "rejected"})
}

// CredentialsAccepted ends a rejection episode: call it after a successful connection test,
// refresh or sync, so the next rejection is told again.
func (n *Notifier) CredentialsAccepted(ctx context.Context, service string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.forget(ctx, topicCredentials, strings.TrimSpace(service))
}

// plural is "1 change" or "3 changes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// nameList groups names for one notification: "A", "A and B", "A, B and C",
// "A, B, C and 2 more".
func nameList(names []string, show int) string {
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return names[0]
	case len(names) <= show:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names[:show], ", ") + fmt.Sprintf(" and %d more", len(names)-show)
}

// namesShown is how many names a grouped notification spells out.
const namesShown = 3

// uniqueSorted drops repeats and sorts, so a fact does not depend on listing order.
func uniqueSorted(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
