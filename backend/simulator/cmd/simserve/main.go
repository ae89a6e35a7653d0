// Command simserve runs the simulated vendor services on loopback for end-to-end tests and
// manual trials: it prints one JSON line saying where they listen and which credentials they
// accept, then serves until standard input closes (its parent went away) or a signal.
//
//	go run ./backend/simulator/cmd/simserve [-webroot] [-manage] [-seed demo|empty] [-latency 200ms]
//
// -webroot serves the Webroot Unity API, -manage a ConnectWise Manage site; with neither, it
// serves both. The line is {"webroot": {…}, "manage": {…}}, with the services it serves.
//
// The app reaches a simulator like a real service: type its URL into "Site" (plain http://
// is accepted for loopback addresses only), so no test-only code path exists in the app. The
// Manage simulator accepts only the app's own default Client ID, so the default is exercised
// too.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
)

// WebrootInfo is how to reach and sign in to the simulated Webroot Unity API.
type WebrootInfo struct {
	URL          string `json:"url"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	Username     string `json:"username"`
	Password     string `json:"password"`
	GSMKey       string `json:"gsmKey"`
	ConsoleName  string `json:"consoleName"`
	Sites        int    `json:"sites"`
	TotalSeats   int    `json:"totalSeats"`
}

// ManageInfo is how to reach and sign in to the simulated Manage site.
type ManageInfo struct {
	URL          string `json:"url"`
	CompanyID    string `json:"companyId"`
	CompanyName  string `json:"companyName"`
	PublicKey    string `json:"publicKey"`
	PrivateKey   string `json:"privateKey"`
	ClientID     string `json:"clientId"`
	Companies    int    `json:"companies"`  // not in the recycle bin
	Agreements   int    `json:"agreements"` // all of them
	CatalogItems int    `json:"catalogItems"`
}

// Info is the line simserve prints.
type Info struct {
	Webroot *WebrootInfo `json:"webroot,omitempty"`
	Manage  *ManageInfo  `json:"manage,omitempty"`
}

// options are the command line's choices.
type options struct {
	demo    bool // seed the demo data (else start empty)
	latency time.Duration
}

func main() {
	serveWebroot := flag.Bool("webroot", false, "serve the Webroot Unity API (with neither -webroot nor -manage: both)")
	serveManage := flag.Bool("manage", false, "serve a ConnectWise Manage site (with neither -webroot nor -manage: both)")
	seed := flag.String("seed", "demo", "data to start with: demo (a realistic MSP) or empty")
	latency := flag.Duration("latency", 0, "delay every answer by this much")
	untilEOF := flag.Bool("exit-on-eof", true, "exit when standard input closes")
	flag.Parse()

	if *seed != "demo" && *seed != "empty" {
		fmt.Fprintf(os.Stderr, "simserve: -seed must be demo or empty, not %q\n", *seed)
		os.Exit(2)
	}
	if !*serveWebroot && !*serveManage {
		*serveWebroot, *serveManage = true, true
	}
	opts := options{demo: *seed == "demo", latency: *latency}

	var info Info
	if *serveWebroot {
		wi, stop, err := startWebroot(opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "simserve: starting the Webroot simulator: %v\n", err)
			os.Exit(1)
		}
		defer stop()
		info.Webroot = wi
	}
	if *serveManage {
		mi, stop, err := startManage(opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "simserve: starting the Manage simulator: %v\n", err)
			os.Exit(1)
		}
		defer stop()
		info.Manage = mi
	}
	line, _ := json.Marshal(info)
	fmt.Println(string(line))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	eof := make(chan struct{})
	if *untilEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			close(eof)
		}()
	}
	select {
	case <-stop:
	case <-eof:
	}
	// Let in-flight answers finish before the listeners go.
	time.Sleep(50 * time.Millisecond)
}

func startWebroot(opts options) (*WebrootInfo, func(), error) {
	sim := webrootsim.New(webrootsim.Options{})
	if opts.demo {
		sim.SeedDemo()
	}
	sim.SetLatency(opts.latency)
	url, err := sim.Start()
	if err != nil {
		return nil, nil, err
	}
	con := sim.Console()
	return &WebrootInfo{URL: url, ClientID: webrootsim.DefaultClientID, ClientSecret: webrootsim.DefaultClientSecret,
		Username: webrootsim.DefaultUsername, Password: webrootsim.DefaultPassword, GSMKey: webrootsim.DefaultGSMKey,
		ConsoleName: con.Name, Sites: len(sim.Sites()), TotalSeats: con.TotalSeatsAllowed}, func() { sim.Close() }, nil
}

func startManage(opts options) (*ManageInfo, func(), error) {
	sim := managesim.New(managesim.Options{CompanyID: "bluewave", CompanyName: "Bluewave IT Services",
		ClientID: manageconn.DefaultClientID})
	if opts.demo {
		sim.SeedDemo(time.Now())
	}
	sim.SetLatency(opts.latency)
	url, err := sim.Start()
	if err != nil {
		return nil, nil, err
	}
	so := sim.Options()
	info := &ManageInfo{URL: url, CompanyID: so.CompanyID, CompanyName: so.CompanyName, PublicKey: so.PublicKey,
		PrivateKey: so.PrivateKey, ClientID: so.ClientID, Agreements: len(sim.Agreements()), CatalogItems: len(sim.CatalogItems())}
	for _, c := range sim.Companies() {
		if !c.Deleted {
			info.Companies++
		}
	}
	return info, sim.Close, nil
}
