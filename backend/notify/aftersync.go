package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cwm-webroot/backend/syncer"
)

// outcome sorts a run's changes the way notifications and the digest talk about them.
type outcome struct {
	applied, failed, held []syncer.Change
}

func sortChanges(res syncer.Result) outcome {
	var o outcome
	for _, c := range res.Changes {
		switch c.State {
		case syncer.StateApplied:
			o.applied = append(o.applied, c)
		case syncer.StateFailed, syncer.StateError, syncer.StateInterrupted:
			o.failed = append(o.failed, c)
		case syncer.StateHeld:
			o.held = append(o.held, c)
		}
	}
	return o
}

// problem is what went wrong with a failed change: Manage's answer, else the plan's reason.
func problem(c syncer.Change) string {
	if m := strings.TrimSpace(c.Message); m != "" {
		return m
	}
	if r := strings.TrimSpace(c.Reason); r != "" {
		return r
	}
	return "no reason was recorded"
}

// AfterSync tells the user about a finished run: a desktop notification when it failed or
// partly failed, another when it held changes for review, then the email digest. A dry run
// tells nothing (whoever started it is looking at the result), nor does a run that is not
// final yet.
//
// Repeats are suppressed: the same failures, or the same held changes, as the last
// notification of their kind are not shown again until something changes (a scheduled sync
// re-plans held changes every time). A run that succeeds ends a failure episode, so the
// next failure is shown even if it is the same as before. The digest follows the same
// rule: it is sent when the run applied, failed or held something and its content differs
// from the last digest's.
func (n *Notifier) AfterSync(ctx context.Context, res syncer.Result) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	run := res.Run
	if run.DryRun {
		return nil
	}
	switch run.Status {
	case syncer.StatusSucceeded, syncer.StatusPartial, syncer.StatusFailed, syncer.StatusNoChanges:
	default:
		return nil // planning or applying: AfterSync is called again when it ends
	}
	prefs, err := LoadPreferences(ctx, n.Store)
	if err != nil {
		return err
	}
	o := sortChanges(res)
	var errs []error
	errs = append(errs, n.syncFailed(ctx, prefs, run, o))
	errs = append(errs, n.heldChanges(ctx, prefs, res, o))
	if prefs.DigestEnabled {
		errs = append(errs, n.digest(ctx, prefs, res, o))
	}
	return errors.Join(errs...)
}

func (n *Notifier) syncFailed(ctx context.Context, prefs Preferences, run syncer.Run, o outcome) error {
	if run.Status != syncer.StatusFailed && run.Status != syncer.StatusPartial {
		// A final run without failures ends the episode: the next failure is news.
		return n.forget(ctx, topicSyncFailed)
	}
	if !prefs.SyncFailed {
		return nil
	}
	parts := []string{run.Status, run.Message}
	for _, c := range o.failed {
		parts = append(parts, strconv.FormatInt(c.AdditionID, 10)+":"+c.State+":"+problem(c))
	}
	fact := fingerprint(parts...)
	if rec, told, err := n.recall(ctx, topicSyncFailed, ""); err != nil || (told && rec.fact == fact) {
		return err
	}

	title := "Sync failed"
	var body string
	if run.Status == syncer.StatusPartial {
		title = "Sync partly failed"
		body = fmt.Sprintf("%d applied, %d failed.", len(o.applied), len(o.failed))
	} else if len(o.failed) > 0 {
		body = plural(len(o.failed), "change", "changes") + " failed."
	}
	switch {
	case len(o.failed) > 0:
		c := o.failed[0]
		body += "\nFirst error: " + changeName(c) + ": " + problem(c)
	case strings.TrimSpace(run.Message) != "":
		body = strings.TrimSpace(body + " " + run.Message)
	default:
		body = strings.TrimSpace(body + " The sync did not finish. Open History for details.")
	}
	if err := n.show("sync_failed", title, body); err != nil {
		return err
	}
	return n.remember(ctx, topicSyncFailed, map[string]string{"": fact})
}

// changeName names a change's addition briefly: "Acme Corp · Acme MSA".
func changeName(c syncer.Change) string {
	name := strings.TrimSpace(c.CompanyName)
	if a := strings.TrimSpace(c.AgreementName); a != "" {
		if name != "" {
			name += " · "
		}
		name += a
	}
	if name == "" {
		name = "Addition " + strconv.FormatInt(c.AdditionID, 10)
	}
	return name
}

func (n *Notifier) heldChanges(ctx context.Context, prefs Preferences, res syncer.Result, o outcome) error {
	if len(o.held) == 0 {
		if len(res.Changes) > 0 { // a run that planned and held nothing: the review is done
			return n.forget(ctx, topicHeld)
		}
		return nil
	}
	if !prefs.HeldChanges {
		return nil
	}
	var parts, companies []string
	for _, c := range o.held {
		parts = append(parts, fmt.Sprintf("%d=%d", c.AdditionID, c.After))
		companies = append(companies, strings.TrimSpace(c.CompanyName))
	}
	fact := fingerprint(uniqueSorted(parts)...)
	if rec, told, err := n.recall(ctx, topicHeld, ""); err != nil || (told && rec.fact == fact) {
		return err
	}
	companies = uniqueSorted(companies)
	if len(companies) > 0 && companies[0] == "" {
		companies = companies[1:]
	}
	body := plural(len(o.held), "change", "changes") + " awaiting review"
	if len(companies) > 0 {
		body += ": " + nameList(companies, namesShown)
	}
	body += ". Open Sync to approve, adjust or skip them."
	if err := n.show("held_changes", "Changes awaiting review", body); err != nil {
		return err
	}
	return n.remember(ctx, topicHeld, map[string]string{"": fact})
}
