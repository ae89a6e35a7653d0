//go:build unix

package syncer

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/store"
)

// Environment of the child process TestKillDuringApplyThenRerun starts.
const (
	envKillChild   = "CWM_SYNCER_KILL_CHILD"
	envKillDir     = "CWM_SYNCER_KILL_DIR"
	envKillManage  = "CWM_SYNCER_KILL_MANAGE"
	envKillWebroot = "CWM_SYNCER_KILL_WEBROOT"
	childInFlight  = 4
	passFirst      = 5 // PATCHes the proxy lets through before it starts holding them
)

// stallingProxy sits between the child and Manage. It lets the first PATCHes through;
// after that it holds every PATCH until the client goes away, alternately before passing it
// on (Manage never sees it) and after Manage has applied it (the answer never comes back).
// That fixes the worst moments of a kill in place: a change sent and applied but not
// recorded, a change recorded as applying but never sent, changes not yet sent at all.
type stallingProxy struct {
	rp      *httputil.ReverseProxy
	mu      sync.Mutex
	patches int
	stuck   atomic.Int32
	release chan struct{} // closed when the test ends
}

func (p *stallingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPatch {
		p.rp.ServeHTTP(w, r)
		return
	}
	p.mu.Lock()
	p.patches++
	n := p.patches
	p.mu.Unlock()
	switch {
	case n <= passFirst:
		p.rp.ServeHTTP(w, r)
		return
	case n%2 == 1:
		p.rp.ServeHTTP(httptest.NewRecorder(), r) // applied in Manage; the answer is dropped
	default:
		// Read the body, as the server only notices a closed connection after that.
		_, _ = io.Copy(io.Discard, r.Body)
	}
	p.stuck.Add(1)
	select {
	case <-r.Context().Done():
	case <-p.release:
	}
}

func TestKillDuringApplyThenRerun(t *testing.T) {
	if os.Getenv(envKillChild) == "1" {
		killChild()
		return
	}
	f := newFixture(t)
	const n = 24
	var adds []int
	for i := range n {
		agr := f.agreement(nil)
		add := f.addition(agr, 1, 10, nil)
		f.mapRow(f.site("Site "+itoa(i), webrootsim.EndpointMix{Active: 11}), "endpoint", "active_without_hidden", agr, add, nil, nil)
		adds = append(adds, add)
	}
	target, _ := url.Parse(f.ms.URL())
	proxy := &stallingProxy{rp: httputil.NewSingleHostReverseProxy(target), release: make(chan struct{})}
	ps := httptest.NewServer(proxy)
	defer ps.Close()
	defer close(proxy.release)

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringApplyThenRerun$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillChild+"=1", envKillDir+"="+f.dir, envKillManage+"="+ps.URL, envKillWebroot+"="+f.ws.URL())
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	for proxy.stuck.Load() < childInFlight {
		select {
		case err := <-exited:
			t.Fatalf("the child finished before it could be killed (%v):\n%s", err, childOut.String())
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("the child never got %d PATCHes stuck (%d):\n%s", childInFlight, proxy.stuck.Load(), childOut.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err == nil {
		t.Fatal("the child exited normally")
	}

	// What the killed run left behind: recorded as it happened.
	states := map[string]int{}
	rows, err := f.st.DB.Query(`SELECT state, COUNT(*) FROM sync_changes GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		var c int
		rows.Scan(&s, &c)
		states[s] = c
	}
	rows.Close()
	if states[StateApplied] != passFirst || states[StateApplying] != childInFlight || states[StatePending] != n-passFirst-childInFlight {
		t.Fatalf("after the kill: %v", states)
	}
	appliedUnrecorded := map[int]bool{}
	for _, a := range adds {
		if f.quantity(a) == 11 {
			appliedUnrecorded[a] = true
		}
	}
	if len(appliedUnrecorded) != passFirst+childInFlight/2 {
		t.Fatalf("%d additions applied in Manage, want %d", len(appliedUnrecorded), passFirst+childInFlight/2)
	}

	// The next run settles the killed one and finishes the job.
	s := f.syncer()
	res := f.sync(s, RunOptions{})
	for _, a := range adds {
		if q := f.quantity(a); q != 11 {
			t.Errorf("addition %d ends at %v", a, q)
		}
		effective := 0
		for _, r := range f.ms.RequestsTo("PATCH", "/finance/agreements/*/additions/"+itoa(a)) {
			if r.Status == http.StatusOK {
				effective++
			}
		}
		if effective != 1 {
			t.Errorf("addition %d got %d effective PATCHes", a, effective)
		}
	}
	if want := n - passFirst - childInFlight/2; res.Run.Status != StatusSucceeded || res.Run.Counts.Applied != want {
		t.Errorf("rerun applied %d, want %d: %+v", res.Run.Counts.Applied, want, res.Run)
	}
	killed, err := s.GetRun(context.Background(), res.Run.ID-1)
	if err != nil {
		t.Fatal(err)
	}
	if killed.Status != StatusPartial || killed.ReconciledBy == nil || *killed.ReconciledBy != res.Run.ID || killed.FinishedAt == nil {
		t.Errorf("killed run %+v", killed)
	}
	if killed.Counts.Applied != passFirst+childInFlight/2 || killed.Counts.Interrupted != n-passFirst-childInFlight/2 || killed.Counts.Applying+killed.Counts.Pending != 0 {
		t.Errorf("killed run's changes: %+v", killed.Counts)
	}
}

// killChild is the process the test kills: a CLI sync through the stalling proxy.
func killChild() {
	st, err := store.Open(context.Background(), os.Getenv(envKillDir))
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	s := New(st, urlSources(os.Getenv(envKillManage), os.Getenv(envKillWebroot)), Options{MaxInFlight: childInFlight})
	_, err = s.Sync(context.Background(), RunOptions{Trigger: TriggerCLI, Actor: "child"})
	if err != nil {
		os.Stderr.WriteString(err.Error())
	}
	os.Exit(0)
}
