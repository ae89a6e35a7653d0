package manage

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// CompanyInfo is the answer of /login/companyinfo/{companyId} (PascalCase keys; IsCloud
// arrives as the string "True"/"False"). Go's JSON decoding matches keys case-insensitively,
// so SiteUrl is read whatever its casing (its presence is unverified).
type CompanyInfo struct {
	CompanyName   string `json:"CompanyName"`
	Codebase      string `json:"Codebase"`
	VersionCode   string `json:"VersionCode"`
	VersionNumber string `json:"VersionNumber"`
	CompanyID     string `json:"CompanyID"`
	IsCloud       bool   `json:"IsCloud"`
	SiteURL       string `json:"SiteUrl"`
}

// UnmarshalJSON reads IsCloud as a "True"/"False" string or a real boolean.
func (ci *CompanyInfo) UnmarshalJSON(data []byte) error {
	type plain CompanyInfo
	var v struct {
		plain
		IsCloud flexBool `json:"IsCloud"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*ci = CompanyInfo(v.plain)
	ci.IsCloud = bool(v.IsCloud)
	return nil
}

// flexBool reads "True"/"False" strings as well as real booleans.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.Trim(strings.ToLower(string(bytes.TrimSpace(data))), `"`)
	*b = s == "true" || s == "1" || s == "yes"
	return nil
}

// CompanyInfo looks the company up on the site (no authentication). A company the site does
// not know is a KindUnknownCompany error (the body is null with a 2xx status).
func (c *Client) CompanyInfo(ctx context.Context) (CompanyInfo, error) {
	c.lookups.Add(1)
	cl := &call{op: "look up the company", method: http.MethodGet,
		url: c.site.companyInfoURL(c.cfg.CompanyID), idempotent: true}
	r, err := c.do(ctx, cl)
	if err != nil {
		return CompanyInfo{}, err
	}
	body := bytes.TrimSpace(r.body)
	if len(body) == 0 || bytes.Equal(body, []byte("null")) {
		e := c.newError(cl)
		e.Kind, e.Status, e.RequestID = KindUnknownCompany, r.status, r.requestID
		return CompanyInfo{}, e
	}
	var info CompanyInfo
	if err := json.Unmarshal(body, &info); err != nil {
		return CompanyInfo{}, c.badJSON(cl, r, err)
	}
	cb, ok := cleanCodebase(info.Codebase)
	if !ok {
		e := c.newError(cl)
		e.Kind, e.Status, e.RequestID = KindBadResponse, r.status, r.requestID
		e.Message = "companyinfo gave no usable codebase: " + clip(info.Codebase, 40)
		return CompanyInfo{}, e
	}
	info.Codebase = cb
	return info, nil
}

// APIBase returns the API root, looking the codebase up on first use.
func (c *Client) APIBase(ctx context.Context) (string, error) {
	if b := c.base.Load(); b != nil {
		return *b, nil
	}
	if err := c.lock(ctx); err != nil {
		return "", err
	}
	defer c.unlock()
	if b := c.base.Load(); b != nil {
		return *b, nil
	}
	if c.site.FixedBase != "" {
		c.setBase(c.site.FixedBase, "")
		return c.site.FixedBase, nil
	}
	if err := c.adopt(c.CompanyInfo(ctx)); err != nil {
		return "", err
	}
	return *c.base.Load(), nil
}

// adopt sets the base from a lookup's outcome (the lookup lock held). Many clients hard-code
// v4_6_release on cloud hosts and it works, so a lookup that fails for a reason other than
// those below (network, odd answer) does not stop calls: the default codebase stands in, and
// the next 404 triggers a fresh lookup (manage-api.md §2.2). The error is returned only when
// it is fatal.
func (c *Client) adopt(info CompanyInfo, err error) error {
	switch KindOf(err) {
	case "":
		if err != nil {
			return err
		}
		c.provisional = false
		c.setBase(c.site.baseFor(info.Codebase), info.Codebase)
	case KindUnknownCompany, KindTLSFailure, KindCanceled, KindWrongSite:
		return err
	default:
		c.cfg.Logger.Warn("manage: companyinfo failed; assuming the default codebase",
			"site", c.site.APIHost, "kind", KindOf(err), "err", c.redact(err.Error()))
		c.provisional = true
		c.setBase(c.site.baseFor(DefaultCodebase), DefaultCodebase)
	}
	return nil
}

func (c *Client) setBase(base, codebase string) {
	c.base.Store(&base)
	c.codebase = codebase
}

// relookup runs after a 404: Manage upgrades change the codebase, and a wrong codebase also
// answers 404. It reports whether the base changed so the call should be retried once.
// routeError is the plain "Cannot route. Codebase/company is invalid" answer, which always
// warrants a lookup.
func (c *Client) relookup(ctx context.Context, usedBase string, routeError bool) (bool, error) {
	if c.site.FixedBase != "" {
		return false, nil
	}
	if err := c.lock(ctx); err != nil {
		return false, err
	}
	defer c.unlock()
	if b := c.base.Load(); b != nil && *b != usedBase {
		return true, nil // another call already found the new codebase
	}
	now := c.cfg.Now()
	if !routeError && !c.provisional && !c.lastNoChange.IsZero() &&
		now.Sub(c.lastNoChange) < c.cfg.RelookupInterval {
		return false, nil
	}
	info, err := c.CompanyInfo(ctx)
	if err != nil {
		if IsKind(err, KindUnknownCompany) {
			return false, err
		}
		c.cfg.Logger.Warn("manage: codebase re-lookup failed", "site", c.site.APIHost,
			"kind", KindOf(err))
		return false, nil
	}
	c.provisional = false
	newBase := c.site.baseFor(info.Codebase)
	if newBase == usedBase {
		c.lastNoChange = now
		return false, nil
	}
	c.cfg.Logger.Info("manage: codebase changed", "site", c.site.APIHost,
		"from", c.codebase, "to", info.Codebase)
	c.setBase(newBase, info.Codebase)
	return true, nil
}

func (c *Client) lock(ctx context.Context) error {
	select {
	case c.lookupLock <- struct{}{}:
		return nil
	case <-ctx.Done():
		e := &Error{Kind: KindCanceled, Op: "look up the company", Host: c.site.APIHost, Err: ctx.Err()}
		if ctx.Err() == context.DeadlineExceeded {
			e.Kind = KindTimeout
		}
		return e
	}
}

func (c *Client) unlock() { <-c.lookupLock }
