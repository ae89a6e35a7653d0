// Command simserve runs the simulated vendor services on loopback for end-to-end tests and
// manual trials: it prints one JSON line saying where they listen and which credentials they
// accept, then serves until standard input closes (its parent went away) or a signal.
//
//	go run ./backend/simulator/cmd/simserve [-seed demo|empty] [-latency 200ms]
//
// The app reaches a simulator like a real service: type its URL into "Site" (plain http://
// is accepted for loopback addresses only), so no test-only code path exists in the app.
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

// Info is the line simserve prints.
type Info struct {
	Webroot *WebrootInfo `json:"webroot,omitempty"`
}

func main() {
	seed := flag.String("seed", "demo", "data to start with: demo (a realistic MSP) or empty")
	latency := flag.Duration("latency", 0, "delay every answer by this much")
	untilEOF := flag.Bool("exit-on-eof", true, "exit when standard input closes")
	flag.Parse()

	sim := webrootsim.New(webrootsim.Options{})
	switch *seed {
	case "demo":
		sim.SeedDemo()
	case "empty":
	default:
		fmt.Fprintf(os.Stderr, "simserve: -seed must be demo or empty, not %q\n", *seed)
		os.Exit(2)
	}
	sim.SetLatency(*latency)
	url, err := sim.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "simserve: starting the Webroot simulator: %v\n", err)
		os.Exit(1)
	}
	defer sim.Close()
	con := sim.Console()
	info := Info{Webroot: &WebrootInfo{URL: url, ClientID: webrootsim.DefaultClientID, ClientSecret: webrootsim.DefaultClientSecret,
		Username: webrootsim.DefaultUsername, Password: webrootsim.DefaultPassword, GSMKey: webrootsim.DefaultGSMKey,
		ConsoleName: con.Name, Sites: len(sim.Sites()), TotalSeats: con.TotalSeatsAllowed}}
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
	// Let in-flight answers finish before the listener goes.
	time.Sleep(50 * time.Millisecond)
}
