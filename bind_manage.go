package main

import (
	"context"
	"log/slog"
	"sync"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/manageconn"
)

// ManageAPI is the "Configure ConnectWise" page's, the dashboard card's and the mapping
// pickers' view of the ConnectWise Manage connection (window.go.main.ManageAPI). Every method
// returns quickly: the connection test and the cache refresh run in the background and report
// through the events manage:activity, manage:status and manage:cache, with Activity, Status
// and CacheSummary as the snapshot getters for a page that opens mid-way. The private key
// never crosses to the frontend: it sees only whether one is saved.
type ManageAPI struct {
	app *App

	once sync.Once
	svc  *manageconn.Service
}

// service returns the connection service once someone is logged in to the window, and who
// that is, for the audit log.
func (m *ManageAPI) service() (*manageconn.Service, context.Context, string, error) {
	_, user, err := m.app.accountAPI.actor()
	if err != nil {
		return nil, nil, "", err
	}
	inst, err := m.app.installation()
	if err != nil {
		return nil, nil, "", err
	}
	m.once.Do(func() {
		m.svc = manageconn.New(inst.Store, inst.Secrets, manageconn.Options{
			// Read the app's emitter at each event: it is the window's once started.
			Emitter:     events.EmitterFunc(func(name string, payload any) { m.app.emitter.Emit(name, payload) }),
			BaseContext: m.app.ctx,
			Logger:      slog.Default(),
		})
	})
	return m.svc, m.app.ctx, user.Email, nil
}

// GetConfig returns the saved settings (suggestions from the sign-up for a new connection)
// and whether the Private Key is saved.
func (m *ManageAPI) GetConfig() (manageconn.ConfigView, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return manageconn.ConfigView{}, err
	}
	return svc.GetConfig(ctx)
}

// SaveConfig validates and saves the settings; an empty Private Key keeps the saved one and
// an empty Client ID means the default. Validation errors name the form labels.
func (m *ManageAPI) SaveConfig(in manageconn.ConfigInput) (manageconn.SaveResult, error) {
	svc, ctx, actor, err := m.service()
	if err != nil {
		return manageconn.SaveResult{}, err
	}
	return svc.Save(ctx, actor, in)
}

// TestConnection starts testing the saved settings (and, when the test passes, refreshing
// the cache) and returns the started job at once.
func (m *ManageAPI) TestConnection() (manageconn.Activity, error) {
	svc, _, _, err := m.service()
	if err != nil {
		return manageconn.Activity{}, err
	}
	return svc.StartTest(), nil
}

// Refresh starts re-reading companies, agreements, additions and the catalog into the cache
// and returns at once.
func (m *ManageAPI) Refresh() (manageconn.Activity, error) {
	svc, _, _, err := m.service()
	if err != nil {
		return manageconn.Activity{}, err
	}
	return svc.StartRefresh(), nil
}

// Activity is the running or last background job.
func (m *ManageAPI) Activity() (manageconn.Activity, error) {
	svc, _, _, err := m.service()
	if err != nil {
		return manageconn.Activity{}, err
	}
	return svc.Activity(), nil
}

// Status is the connection's state and the cache's summary, for the dashboard card.
func (m *ManageAPI) Status() (manageconn.Status, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return manageconn.Status{}, err
	}
	return svc.Status(ctx)
}

// CacheSummary says when the cache was refreshed and how much it holds.
func (m *ManageAPI) CacheSummary() (manageconn.CacheSummary, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return manageconn.CacheSummary{}, err
	}
	return svc.CacheSummary(ctx)
}

// Companies lists the cached companies by name; search narrows them by name or identifier.
func (m *ManageAPI) Companies(search string) ([]manageconn.Company, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return nil, err
	}
	return svc.Companies(ctx, search)
}

// Agreements lists a company's cached agreements: those the app may write to, or all.
func (m *ManageAPI) Agreements(companyID int, includeBlocked bool) ([]manageconn.Agreement, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return nil, err
	}
	return svc.Agreements(ctx, companyID, includeBlocked)
}

// Additions lists an agreement's cached current additions.
func (m *ManageAPI) Additions(agreementID int) ([]manageconn.Addition, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return nil, err
	}
	return svc.Additions(ctx, agreementID)
}

// Catalog lists the cached catalog items (inactive ones only when asked).
func (m *ManageAPI) Catalog(includeInactive bool) ([]manageconn.CatalogItem, error) {
	svc, ctx, _, err := m.service()
	if err != nil {
		return nil, err
	}
	return svc.Catalog(ctx, includeInactive)
}

// CreateAddition adds a catalog product to an agreement (quantity 0) so a site can be mapped
// to it: the explicit, opt-in "create addition" of the Mappings page.
func (m *ManageAPI) CreateAddition(agreementID, catalogID int) (manageconn.Addition, error) {
	svc, ctx, actor, err := m.service()
	if err != nil {
		return manageconn.Addition{}, err
	}
	add, err := svc.CreateAddition(ctx, actor, agreementID, catalogID)
	if err == nil {
		m.app.emitter.Emit(eventMappingsChanged, nil)
	}
	return add, err
}
