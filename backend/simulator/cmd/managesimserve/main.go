// Command managesimserve runs the simulated ConnectWise Manage site on loopback for
// end-to-end tests and manual trials: it prints one JSON line saying where it listens and
// which credentials it accepts, then serves until standard input closes (its parent went
// away) or a signal.
//
//	go run ./backend/simulator/cmd/managesimserve [-seed demo|empty] [-latency 200ms]
//
// The app reaches it like a real site: type its URL into "Site" (plain http:// is accepted
// for loopback addresses only), so no test-only code path exists in the app. The simulator
// accepts only the app's own default Client ID, so the default is exercised too.
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
)

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

// Info is the line managesimserve prints.
type Info struct {
	Manage *ManageInfo `json:"manage"`
}

func main() {
	seed := flag.String("seed", "demo", "data to start with: demo (a realistic MSP) or empty")
	latency := flag.Duration("latency", 0, "delay every answer by this much")
	untilEOF := flag.Bool("exit-on-eof", true, "exit when standard input closes")
	flag.Parse()

	sim := managesim.New(managesim.Options{CompanyID: "bluewave", CompanyName: "Bluewave IT Services",
		ClientID: manageconn.DefaultClientID})
	switch *seed {
	case "demo":
		sim.SeedDemo(time.Now())
	case "empty":
	default:
		fmt.Fprintf(os.Stderr, "managesimserve: -seed must be demo or empty, not %q\n", *seed)
		os.Exit(2)
	}
	sim.SetLatency(*latency)
	url, err := sim.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "managesimserve: starting the Manage simulator: %v\n", err)
		os.Exit(1)
	}
	defer sim.Close()
	opts := sim.Options()
	info := ManageInfo{URL: url, CompanyID: opts.CompanyID, CompanyName: opts.CompanyName, PublicKey: opts.PublicKey,
		PrivateKey: opts.PrivateKey, ClientID: opts.ClientID, Agreements: len(sim.Agreements()), CatalogItems: len(sim.CatalogItems())}
	for _, c := range sim.Companies() {
		if !c.Deleted {
			info.Companies++
		}
	}
	line, _ := json.Marshal(Info{Manage: &info})
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
	// Let in-flight answers finish before the listener goes.
	time.Sleep(50 * time.Millisecond)
}
