package demo

import (
	"context"
	"fmt"
	"time"

	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webrootconn"
)

// Simulators are the demo's Webroot and Manage services, on loopback for this process only.
type Simulators struct {
	Manage  *managesim.Server
	Webroot *webrootsim.Server
	manage  string
	webroot string
}

// StartSimulators starts both services with the realistic demo MSP: dozens of sites with
// name variations, several product lines, agreements with existing additions, and a few
// problems to find (a site over its seat limit, a cancelled agreement, an unmapped newcomer).
func StartSimulators(now time.Time) (*Simulators, error) {
	// Webroot first: Manage's quantities follow its usage.
	ws := webrootsim.New(webrootsim.Options{})
	ws.SeedDemo()
	ms := managesim.New(managesim.Options{CompanyID: DemoCompany.ManageCompanyID, CompanyName: DemoCompany.CompanyName,
		ClientID: manageconn.DefaultClientID})
	seedManage(ms, now, webrootUsage(ws))
	murl, err := ms.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the simulated ConnectWise Manage: %w", err)
	}
	wurl, err := ws.Start()
	if err != nil {
		ms.Close()
		return nil, fmt.Errorf("starting the simulated Webroot: %w", err)
	}
	return &Simulators{Manage: ms, Webroot: ws, manage: murl, webroot: wurl}, nil
}

// Close stops both services.
func (s *Simulators) Close() {
	s.Manage.Close()
	s.Webroot.Close()
}

// Connect configures both connections of the demo installation to the simulators, tests
// them and fills the caches, as a user would on the two Configure pages.
func (s *Simulators) Connect(ctx context.Context, inst *install.Installation, actor string) error {
	mo := s.Manage.Options()
	mc := manageconn.New(inst.Store, inst.Secrets, manageconn.Options{BaseContext: ctx})
	if _, err := mc.Save(ctx, actor, manageconn.ConfigInput{Site: s.manage, CompanyID: mo.CompanyID, Username: "api-billing",
		PublicKey: mo.PublicKey, PrivateKey: mo.PrivateKey}); err != nil {
		return fmt.Errorf("configuring the demo ConnectWise connection: %w", err)
	}
	if _, err := mc.Test(ctx); err != nil {
		return fmt.Errorf("testing the demo ConnectWise connection: %w", err)
	}
	if _, err := mc.Refresh(ctx); err != nil {
		return fmt.Errorf("reading the demo ConnectWise data: %w", err)
	}
	wc := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{BaseContext: ctx})
	if _, err := wc.Save(ctx, actor, webrootconn.ConfigInput{Site: s.webroot, Scope: "*", ClientID: webrootsim.DefaultClientID,
		ClientSecret: webrootsim.DefaultClientSecret, GSMKey: webrootsim.DefaultGSMKey, Username: webrootsim.DefaultUsername,
		Password: webrootsim.DefaultPassword}); err != nil {
		return fmt.Errorf("configuring the demo Webroot connection: %w", err)
	}
	if _, err := wc.Test(ctx); err != nil {
		return fmt.Errorf("testing the demo Webroot connection: %w", err)
	}
	if _, err := wc.Refresh(ctx); err != nil {
		return fmt.Errorf("reading the demo Webroot sites: %w", err)
	}
	return nil
}
