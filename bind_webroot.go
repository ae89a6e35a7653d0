package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// WebrootAPI is the "Configure Webroot" page's and the dashboard card's view of the Webroot
// connection (window.go.main.WebrootAPI). Every method returns quickly: the connection test
// and the site refresh run in the background and report through the events
// webroot:activity, webroot:status and webroot:sites, with Activity, Status and Sites as the
// snapshot getters for a page that opens mid-way.
type WebrootAPI struct {
	app *App

	once sync.Once
	svc  *webrootconn.Service
}

// service returns the connection service once someone is logged in to the window (every
// method needs the session, as the rest of the window does) and who that is, for the audit
// log.
func (w *WebrootAPI) service() (*webrootconn.Service, context.Context, string, error) {
	_, user, err := w.app.accountAPI.actor()
	if err != nil {
		return nil, nil, "", err
	}
	inst, err := w.app.installation()
	if err != nil {
		return nil, nil, "", err
	}
	w.once.Do(func() {
		w.svc = webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{
			Emitter:     w.app.emitter,
			BaseContext: w.app.ctx,
			Version:     buildinfo.Version,
			Logger:      slog.Default(),
		})
	})
	return w.svc, w.app.ctx, user.Email, nil
}

// GetConfig returns the saved settings (defaults for a new connection) and, for each
// secret, only whether it is saved.
func (w *WebrootAPI) GetConfig() (webrootconn.ConfigView, error) {
	svc, ctx, _, err := w.service()
	if err != nil {
		return webrootconn.ConfigView{}, err
	}
	return svc.GetConfig(ctx)
}

// SaveConfig validates and saves the settings; an empty Client Secret or Admin Password
// keeps the saved one. Validation errors name the form labels.
func (w *WebrootAPI) SaveConfig(in webrootconn.ConfigInput) (webrootconn.SaveResult, error) {
	svc, ctx, actor, err := w.service()
	if err != nil {
		return webrootconn.SaveResult{}, err
	}
	return svc.Save(ctx, actor, in)
}

// TestConnection starts testing the saved settings (and, when the test passes, refreshing
// the sites) and returns the started job at once.
func (w *WebrootAPI) TestConnection() (webrootconn.Activity, error) {
	svc, _, _, err := w.service()
	if err != nil {
		return webrootconn.Activity{}, err
	}
	return svc.StartTest(), nil
}

// RefreshSites starts re-reading the GSM sites and their counts and returns at once.
func (w *WebrootAPI) RefreshSites() (webrootconn.Activity, error) {
	svc, _, _, err := w.service()
	if err != nil {
		return webrootconn.Activity{}, err
	}
	return svc.StartRefresh(), nil
}

// Activity is the running or last background job.
func (w *WebrootAPI) Activity() (webrootconn.Activity, error) {
	svc, _, _, err := w.service()
	if err != nil {
		return webrootconn.Activity{}, err
	}
	return svc.Activity(), nil
}

// Sites returns the cached GSM sites with their counts on every basis.
func (w *WebrootAPI) Sites() (webrootconn.SiteList, error) {
	svc, ctx, _, err := w.service()
	if err != nil {
		return webrootconn.SiteList{}, err
	}
	return svc.Sites(ctx)
}

// Status is the connection's state for the dashboard card.
func (w *WebrootAPI) Status() (webrootconn.Status, error) {
	svc, ctx, _, err := w.service()
	if err != nil {
		return webrootconn.Status{}, err
	}
	return svc.Status(ctx)
}

// deviceListCSV reads a site's device list (every endpoint, every page) and returns the
// site and the CSV's text; errors are in words the user can act on.
func (w *WebrootAPI) deviceListCSV(siteID string) (webroot.Site, string, error) {
	svc, ctx, _, err := w.service()
	if err != nil {
		return webroot.Site{}, "", err
	}
	site, err := svc.FindSite(ctx, siteID)
	if err != nil {
		return webroot.Site{}, "", errors.New(webrootconn.UserMessage(err))
	}
	list, err := svc.DeviceList(ctx, site)
	if err != nil {
		return webroot.Site{}, "", errors.New(webrootconn.UserMessage(err))
	}
	var b bytes.Buffer
	if err := list.WriteCSV(&b); err != nil {
		return webroot.Site{}, "", err
	}
	return site, b.String(), nil
}

// DeviceListCSV returns the text of a site's device list export (see
// webrootconn.DeviceList for the columns).
func (w *WebrootAPI) DeviceListCSV(siteID string) (string, error) {
	_, text, err := w.deviceListCSV(siteID)
	return text, err
}

// SaveDeviceList reads a site's device list, asks where to save it (devices-<site>-<date>.csv
// suggested) and writes it; "" when the user cancels. The list is read before the dialog
// opens, so a failure is told first.
func (w *WebrootAPI) SaveDeviceList(siteID string) (string, error) {
	site, text, err := w.deviceListCSV(siteID)
	if err != nil {
		return "", err
	}
	return saveCSVExport(w.app.ctx, "Export the device list of "+site.Name, webrootconn.DeviceListFileName(site.Name, time.Now()),
		func() (string, error) { return text, nil })
}
