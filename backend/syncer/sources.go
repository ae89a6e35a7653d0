package syncer

import (
	"context"
	"errors"

	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// Sources are where a sync reads and writes. The app and the command line use
// ConnectionSources; tests point them straight at the simulators.
type Sources struct {
	// Manage builds the Manage client for one run. tune installs the run's pacer and
	// in-flight limit and must be applied to the configuration before the client is made.
	Manage func(ctx context.Context, tune func(*manage.Config)) (*manage.Client, error)
	// Webroot reads fresh site counts on the given bases.
	Webroot func(ctx context.Context, opts webroot.UsageOptions) (*webroot.UsageSnapshot, error)
}

// ConnectionSources reads and writes through the saved connections ("Configure ConnectWise",
// "Configure Webroot"), with their secrets from the keychain. The options are those the
// caller gives its own connection services (a test transport, a logger); their
// ClientConfig hooks run before the sync's tuning.
func ConnectionSources(st *store.Store, sec secrets.Store, mo manageconn.Options, wo webrootconn.Options) Sources {
	return Sources{
		Manage: func(ctx context.Context, tune func(*manage.Config)) (*manage.Client, error) {
			opts := mo
			base := mo.ClientConfig
			opts.ClientConfig = func(c *manage.Config) {
				if base != nil {
					base(c)
				}
				tune(c)
			}
			return manageconn.New(st, sec, opts).Client(ctx)
		},
		Webroot: func(ctx context.Context, opts webroot.UsageOptions) (*webroot.UsageSnapshot, error) {
			c, err := webrootconn.New(st, sec, wo).Client(ctx)
			if err != nil {
				return nil, err
			}
			return c.SitesWithCounts(ctx, opts)
		},
	}
}

// IsConnectionFailure reports an error that says Manage or Webroot (or the way to them)
// failed, as opposed to configuration or a local problem: the command line exits 3.
func IsConnectionFailure(err error) bool {
	var ce *ConnectionError
	if errors.As(err, &ce) {
		return true
	}
	return manageconn.IsConnectionFailure(err) || webrootconn.IsConnectionFailure(err)
}

// ConnectionError is a run that could not reach a vendor at all.
type ConnectionError struct {
	Vendor string // "ConnectWise" or "Webroot"
	Err    error
}

func (e *ConnectionError) Error() string {
	return e.Vendor + ": " + userMessage(e.Err)
}

func (e *ConnectionError) Unwrap() error { return e.Err }

// userMessage is an error in words a user can act on, whichever vendor it came from.
func userMessage(err error) string {
	if err == nil {
		return ""
	}
	var me *manage.Error
	if errors.As(err, &me) {
		return me.UserMessage()
	}
	var we *webroot.Error
	if errors.As(err, &we) {
		return webrootconn.UserMessage(err)
	}
	var ce *ConnectionError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	return err.Error()
}
