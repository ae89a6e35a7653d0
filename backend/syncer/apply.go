package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"cwm-webroot/backend/manage"
)

// apply sends the changes, as many at once as the client keeps in flight. Each change is
// recorded as applying before its PATCH leaves and as applied or failed when Manage has
// answered, so a process killed in between leaves a row the next run settles. A failure
// never stops the others; a stop (ctx) leaves unsent changes recorded as interrupted.
func (w *work) apply(ctx context.Context, todo []*Change) error {
	if len(todo) == 0 {
		return nil
	}
	dbctx := context.WithoutCancel(ctx)
	next := make(chan *Change)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var dbErr error
	for range min(w.inFlight, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				if err := w.applyOne(ctx, dbctx, c); err != nil {
					mu.Lock()
					dbErr = errors.Join(dbErr, err)
					mu.Unlock()
				}
			}
		}()
	}
	sent := 0
feed:
	for _, c := range todo {
		select {
		case next <- c:
			sent++
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, c := range todo[sent:] {
		if c.State == StatePending {
			msg := "Not sent: the sync was stopped before this change; the next sync applies it if it is still needed."
			if err := w.s.rec.markOutcome(dbctx, c.ID, StateInterrupted, msg, "", w.s.opts.Now()); err != nil {
				dbErr = errors.Join(dbErr, err)
			}
			c.State = StateInterrupted
		}
	}
	if dbErr == nil && ctx.Err() != nil {
		w.message = "Stopped before every change was applied; the next sync confirms and completes the rest."
	}
	return dbErr
}

// applyOne sends one change. The error is only for a record that could not be written;
// Manage's failures are recorded on the change.
func (w *work) applyOne(ctx, dbctx context.Context, c *Change) error {
	rec := w.s.rec
	ok, err := rec.markApplying(dbctx, c.ID, w.s.opts.Now())
	if err != nil {
		// Never send what could not be recorded: the row stays as it was.
		return err
	}
	if !ok {
		return nil // settled elsewhere meanwhile (skipped, or already applied)
	}
	c.State = StateApplying
	_, err = w.client.UpdateAdditionQuantity(ctx, int(c.AgreementID), int(c.AdditionID), c.After, c.LessIncluded)
	switch {
	case err == nil:
		c.State, c.Message, c.RequestID = StateApplied, "", ""
	case ctx.Err() != nil && manage.KindOf(err) == manage.KindCanceled:
		// Stopped while the PATCH may have reached Manage: the row stays "applying" and the
		// next run reads the addition to learn whether it was applied.
		return nil
	default:
		c.State = StateFailed
		c.Message, c.RequestID = failureMessage(err)
	}
	if err := rec.markOutcome(dbctx, c.ID, c.State, c.Message, c.RequestID, w.s.opts.Now()); err != nil {
		return err
	}
	w.s.track.update(func(p *Progress) {
		if c.State == StateApplied {
			p.Applied++
		} else {
			p.Failed++
		}
	})
	return nil
}

// failureMessage is a failed change's message, in words, with what Manage itself said
// (which UserMessage leaves out for some kinds), and Manage's request id.
func failureMessage(err error) (message, requestID string) {
	msg := userMessage(err)
	var me *manage.Error
	if errors.As(err, &me) {
		requestID = me.RequestID
		if me.Message != "" && !strings.Contains(msg, me.Message) {
			msg = fmt.Sprintf("%s Manage said: %q.", strings.TrimSpace(msg), me.Message)
		}
	}
	return msg, requestID
}
