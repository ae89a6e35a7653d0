package manage

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
)

// Client talks to one Manage site. It is safe for concurrent use.
type Client struct {
	cfg      Config
	site     Site
	rc       *resty.Client
	authUser string // "{companyId}+{publicKey}", never logged
	redactor *strings.Replacer

	slots chan struct{} // one per request in flight

	// The API root, found through companyinfo. lookupLock serialises lookups and guards
	// the fields below; a channel so waiting honours the caller's context.
	lookupLock   chan struct{}
	base         atomic.Pointer[string]
	codebase     string
	provisional  bool      // the default codebase stands in for a failed lookup
	lastNoChange time.Time // when a 404 re-lookup last found the codebase unchanged

	gateMu sync.Mutex
	gate   time.Time // after a 429 no request starts before this

	requests, throttled, retries, lookups atomic.Int64
}

// Stats counts what the client did since it was made (for benchmarks and diagnostics).
type Stats struct {
	Requests        int64 // HTTP requests sent, every attempt and companyinfo included
	Throttled       int64 // 429 answers received
	Retries         int64 // attempts after the first, for any reason
	CodebaseLookups int64 // companyinfo calls
}

// New checks the configuration and makes a client. It does not call the site; the first
// call looks up the codebase. A configuration error is an *apperr.Validation naming the
// fields.
func New(cfg Config) (*Client, error) {
	site, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	hc := cfg.HTTPClient
	if hc == nil {
		tr := cfg.Transport
		if tr == nil {
			tr = defaultTransport(cfg.MaxInFlight)
		}
		hc = &http.Client{Transport: tr}
	}
	c := &Client{
		cfg:        cfg,
		site:       site,
		authUser:   cfg.CompanyID + "+" + cfg.PublicKey,
		slots:      make(chan struct{}, cfg.MaxInFlight),
		lookupLock: make(chan struct{}, 1),
	}
	token := base64.StdEncoding.EncodeToString([]byte(c.authUser + ":" + cfg.PrivateKey))
	c.redactor = newRedactor(cfg, token)
	c.rc = resty.NewWithClient(hc).
		SetRetryCount(0). // retries are ours: they honour Retry-After, the pacer and the slots
		SetDisableWarn(true).
		SetLogger(restyLogger{c}).
		SetResponseBodyLimit(64 << 20)
	return c, nil
}

// defaultTransport keeps enough idle connections for every request in flight, so a sync
// reuses connections instead of opening one per request.
func defaultTransport(inFlight int) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = inFlight + 2
	t.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 15 * time.Second
	return t
}

// Site is the parsed Site setting.
func (c *Client) Site() Site { return c.site }

// Stats returns the counters.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.requests.Load(), Throttled: c.throttled.Load(),
		Retries: c.retries.Load(), CodebaseLookups: c.lookups.Load()}
}

// CloseIdleConnections closes kept-alive connections, e.g. when the settings change.
func (c *Client) CloseIdleConnections() { c.rc.GetClient().CloseIdleConnections() }

// restyLogger routes resty's own messages to slog at debug level, redacted.
type restyLogger struct{ c *Client }

func (l restyLogger) Errorf(format string, v ...any) { l.log(format, v...) }
func (l restyLogger) Warnf(format string, v ...any)  { l.log(format, v...) }
func (l restyLogger) Debugf(format string, v ...any) { l.log(format, v...) }

func (l restyLogger) log(format string, v ...any) {
	l.c.cfg.Logger.Debug("resty", "message", l.c.redact(fmt.Sprintf(format, v...)))
}
