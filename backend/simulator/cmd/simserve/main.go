// Command simserve runs the simulated vendor services on loopback for end-to-end tests and
// manual trials: it prints one JSON line saying where they listen and which credentials they
// accept, then serves until standard input closes (its parent went away) or a signal.
//
//	go run ./backend/simulator/cmd/simserve [-webroot] [-manage] [-seed demo|empty] [-latency 200ms]
//
// -webroot serves the Webroot Unity API, -manage a ConnectWise Manage site; with neither, it
// serves both. The line is {"webroot": {…}, "manage": {…}}, with the services it serves.
// A line "latency 1.5s" on standard input changes the answer delay while it runs.
//
// The app reaches a simulator like a real service: type its URL into "Site" (plain http://
// is accepted for loopback addresses only), so no test-only code path exists in the app. The
// Manage simulator accepts only the app's own default Client ID, so the default is exercised
// too.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
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
	var setLatency []func(time.Duration)
	if *serveWebroot {
		wi, stop, err := startWebroot(opts, &setLatency)
		if err != nil {
			fmt.Fprintf(os.Stderr, "simserve: starting the Webroot simulator: %v\n", err)
			os.Exit(1)
		}
		defer stop()
		info.Webroot = wi
	}
	if *serveManage {
		mi, stop, err := startManage(opts, &setLatency)
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
			readCommands(os.Stdin, setLatency)
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

// readCommands obeys the lines a test writes to standard input until it closes:
// "latency 1.5s" changes every simulator's answer delay (a test that needs a slow sync
// after a quick set-up).
func readCommands(in io.Reader, setLatency []func(time.Duration)) {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		verb, arg, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		switch verb {
		case "latency":
			d, err := time.ParseDuration(arg)
			if err != nil {
				fmt.Fprintf(os.Stderr, "simserve: latency %q: %v\n", arg, err)
				continue
			}
			for _, set := range setLatency {
				set(d)
			}
			fmt.Fprintf(os.Stderr, "simserve: latency now %s\n", d)
		case "":
		default:
			fmt.Fprintf(os.Stderr, "simserve: unknown command %q (known: latency DURATION)\n", verb)
		}
	}
}

func startWebroot(opts options, setLatency *[]func(time.Duration)) (*WebrootInfo, func(), error) {
	sim := webrootsim.New(webrootsim.Options{})
	if opts.demo {
		sim.SeedDemo()
	}
	sim.SetLatency(opts.latency)
	*setLatency = append(*setLatency, sim.SetLatency)
	url, err := sim.Start()
	if err != nil {
		return nil, nil, err
	}
	con := sim.Console()
	return &WebrootInfo{URL: url, ClientID: webrootsim.DefaultClientID, ClientSecret: webrootsim.DefaultClientSecret,
		Username: webrootsim.DefaultUsername, Password: webrootsim.DefaultPassword, GSMKey: webrootsim.DefaultGSMKey,
		ConsoleName: con.Name, Sites: len(sim.Sites()), TotalSeats: con.TotalSeatsAllowed}, func() { sim.Close() }, nil
}

func startManage(opts options, setLatency *[]func(time.Duration)) (*ManageInfo, func(), error) {
	sim := managesim.New(managesim.Options{CompanyID: "bluewave", CompanyName: "Bluewave IT Services",
		ClientID: manageconn.DefaultClientID})
	if opts.demo {
		sim.SeedDemo(time.Now())
	}
	sim.SetLatency(opts.latency)
	*setLatency = append(*setLatency, sim.SetLatency)
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
