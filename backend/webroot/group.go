package webroot

import (
	"context"
	"sync"
)

// boundedGroup runs tasks with at most n in flight and keeps the first error, cancelling
// the rest (a hand-written errgroup: golang.org/x/sync is not a dependency).
type boundedGroup struct {
	sem    chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func newBoundedGroup(n int, cancel context.CancelFunc) *boundedGroup {
	return &boundedGroup{sem: make(chan struct{}, max(n, 1)), cancel: cancel}
}

// Go starts f once a slot is free. It may be called from inside a running task.
func (g *boundedGroup) Go(ctx context.Context, f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		select {
		case g.sem <- struct{}{}:
		case <-ctx.Done():
			g.fail(&Error{Kind: KindCanceled, Op: "reading GSM usage", Err: ctx.Err()})
			return
		}
		defer func() { <-g.sem }()
		if err := f(); err != nil {
			g.fail(err)
		}
	}()
}

func (g *boundedGroup) fail(err error) {
	g.once.Do(func() {
		g.err = err
		g.cancel()
	})
}

// Wait returns the first error after every task has ended.
func (g *boundedGroup) Wait() error {
	g.wg.Wait()
	return g.err
}
