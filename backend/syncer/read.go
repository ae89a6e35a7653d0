package syncer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/webroot"
)

// additionFields are all a plan needs of an addition: manage-api.md §7.3 asks for partial
// answers, and a smaller body is a faster one over a slow link. The unit price only lets
// the plan say what a change does to the bill.
var additionFields = []string{"id", "product/identifier", "quantity", "lessIncluded", "unitPrice", "cancelledDate", "agreementStatus"}

// read gathers the plan's inputs: fresh Webroot counts and every needed agreement's
// additions, at the same time, since neither depends on the other.
func (w *work) read(ctx context.Context, maps []mapping.Mapping, open []Change) (planInput, error) {
	in := planInput{mappings: maps, reviewShare: w.set.ReviewShare, mode: w.mode, now: w.s.opts.Now()}
	var ids []int64
	for _, m := range maps {
		ids = append(ids, m.AgreementID)
	}
	for _, c := range open {
		if c.State == StateApplying {
			ids = append(ids, c.AgreementID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	var webErr error
	// Names only label history rows; reading them (from the caches) overlaps the network.
	wg.Add(1)
	go func() {
		defer wg.Done()
		in.names = w.s.loadNames(ctx)
	}()
	if len(maps) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.sites, webErr = w.readWebroot(ctx, maps)
			if webErr != nil {
				cancel(webErr)
			}
		}()
	}
	in.reads = w.readAgreements(ctx, cancel, ids)
	wg.Wait()
	// The first failure wins: the other side may only have seen the cancellation it caused.
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return in, cause
	}
	if webErr != nil {
		return in, webErr
	}
	if err := ctx.Err(); err != nil {
		return in, err
	}
	return in, nil
}

// readWebroot reads the counts on the bases the mappings use, and the endpoint lists only
// of the sites counted by not_deactivated (one or more requests each).
func (w *work) readWebroot(ctx context.Context, maps []mapping.Mapping) (map[string]webroot.SiteCounts, error) {
	opts := webroot.UsageOptions{Bases: []webroot.Basis{}, NotDeactivatedSites: []string{}}
	for _, m := range maps {
		b := webroot.Basis(m.CountBasis)
		if !b.Valid() {
			continue // planned as an error: Webroot gives no count on it
		}
		if !slices.Contains(opts.Bases, b) {
			opts.Bases = append(opts.Bases, b)
		}
		if b == webroot.BasisNotDeactivated && !slices.Contains(opts.NotDeactivatedSites, m.SiteID) {
			opts.NotDeactivatedSites = append(opts.NotDeactivatedSites, m.SiteID)
		}
	}
	snap, err := w.s.src.Webroot(ctx, opts)
	if err != nil {
		if IsConnectionFailure(err) {
			return nil, &ConnectionError{Vendor: "Webroot", Err: err}
		}
		return nil, fmt.Errorf("reading the Webroot counts: %w", err)
	}
	return snap.ByID(), nil
}

// readAgreements lists the additions of each agreement once, with as many calls in flight
// as the client allows, reporting progress as they come back. A failure that says the
// connection itself is broken (keys, site, permission) stops the rest through cancel: every
// other call would fail the same way.
func (w *work) readAgreements(ctx context.Context, cancel context.CancelCauseFunc, ids []int64) map[int64]agreementRead {
	w.s.track.update(func(p *Progress) { p.AgreementsTotal = len(ids) })
	out := make(map[int64]agreementRead, len(ids))
	var mu sync.Mutex
	next := make(chan int64)
	var wg sync.WaitGroup
	for range min(w.inFlight, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				adds, err := w.client.ListAdditions(ctx, int(id), additionsQuery())
				if err != nil && connectionBroken(err) {
					cancel(&ConnectionError{Vendor: "ConnectWise", Err: err})
				}
				r := agreementRead{err: err, additions: make(map[int64]manage.Addition, len(adds))}
				for _, a := range adds {
					r.additions[int64(a.ID)] = a
				}
				mu.Lock()
				out[id] = r
				mu.Unlock()
				w.s.track.update(func(p *Progress) { p.AgreementsRead++ })
			}
		}()
	}
feed:
	for _, id := range ids {
		select {
		case next <- id:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return out
}

// connectionBroken reports a Manage failure that every call would meet.
func connectionBroken(err error) bool {
	switch manage.KindOf(err) {
	case manage.KindUnknownCompany, manage.KindKeysRejected, manage.KindClientIDRejected,
		manage.KindPermissionDenied, manage.KindWrongSite, manage.KindSiteUnreachable, manage.KindTLSFailure:
		return true
	}
	return false
}

// loadNames reads display names from the caches. They only label history rows, so a
// failure leaves them empty rather than failing the run.
func (s *Syncer) loadNames(ctx context.Context) displayNames {
	n := displayNames{sites: map[string]string{}, companies: map[int64]string{}, agreements: map[int64]string{}}
	rows, err := s.maps.Rows(ctx)
	if err != nil {
		s.opts.Logger.Warn("sync: names unavailable", "err", err)
		return n
	}
	for _, r := range rows {
		if r.SiteName != "" {
			n.sites[r.SiteID] = r.SiteName
		}
		if r.Mapping != nil {
			if r.CompanyName != "" {
				n.companies[r.Mapping.CompanyID] = r.CompanyName
			}
			if r.AgreementName != "" {
				n.agreements[r.Mapping.AgreementID] = r.AgreementName
			}
		}
	}
	return n
}

// additionsQuery is the additions query of a plan: every addition (cancelled ones too, so
// the plan can say "cancelled" rather than "missing"), only the fields it needs.
func additionsQuery() manage.Query { return manage.Query{Fields: additionFields} }
