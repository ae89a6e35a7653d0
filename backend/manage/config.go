package manage

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/buildinfo"
)

// Field labels as the "Configure ConnectWise" page shows them; validation errors name them.
const (
	fieldSite       = "Site"
	fieldCompanyID  = "Company ID"
	fieldPublicKey  = "Public Key"
	fieldPrivateKey = "Private Key"
	fieldClientID   = "Client ID"
)

// AcceptHeader pins the API version (manage-api.md §3): models do not change under the app
// when ConnectWise releases a new one.
const AcceptHeader = "application/vnd.connectwise.com+json; version=2025.8"

// MaxPageSize is the API's hard limit of records per page.
const MaxPageSize = 1000

// Pacer spaces requests to a budget, e.g. a requests-per-minute limiter owned by the sync.
// Wait is called before every request is sent; Throttled after every 429, with the wait the
// server asked for (0 when it gave none), so the pacer can slow down.
type Pacer interface {
	Wait(ctx context.Context) error
	Throttled(retryAfter time.Duration)
}

// Config is what the client needs to reach one Manage site. Only the five connection
// settings are required; the rest have defaults suited to a background sync.
type Config struct {
	Site       string // na.myconnectwise.net, cw.example.com, or a URL
	CompanyID  string
	PublicKey  string
	PrivateKey string
	ClientID   string // the integration's clientId GUID

	// HTTPClient is used as given when set; otherwise Transport (or a tuned clone of
	// http.DefaultTransport) is wrapped in a new client.
	HTTPClient *http.Client
	Transport  http.RoundTripper

	RequestTimeout time.Duration // per attempt, body included; 30 s
	MaxInFlight    int           // requests in flight at once; 6
	MaxRetries     int           // retries after the first attempt; 0 means 5, negative means none
	RetryBaseDelay time.Duration // first backoff; 250 ms (429 without Retry-After starts at 1 s)
	RetryMaxDelay  time.Duration // backoff cap; 30 s
	// MaxRetryAfter is the longest Retry-After the client waits out; a longer one ends the
	// call with a Throttled error. 2 min.
	MaxRetryAfter time.Duration
	PageSize      int // records per page, 1..1000; 1000
	MaxPages      int // guard against a server that never stops paging; 10,000
	// RelookupInterval: after a 404 the client fetches companyinfo again to catch a codebase
	// change, but not more often than this when the codebase turned out unchanged (a sync
	// can meet many deleted additions). 15 s.
	RelookupInterval time.Duration
	UserAgent        string // "cwm-webroot/{version}"

	Pacer  Pacer
	Logger *slog.Logger // never sees keys or the Authorization header

	// Hooks for tests: the clock, the sleep between retries and the jitter source.
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func() float64 // uniform in [0, 1)
}

var guidPattern = regexp.MustCompile(`^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$`)

// Validate checks the connection settings and returns an *apperr.Validation naming every
// wrong field, or nil.
func (c Config) Validate() error {
	_, err := c.validate()
	return err
}

func (c Config) validate() (Site, error) {
	var v apperr.Validation
	site, err := ParseSite(c.Site)
	if err != nil {
		v.Fields = append(v.Fields, err.(apperr.FieldError))
	}
	switch id := strings.TrimSpace(c.CompanyID); {
	case id == "":
		v.Add(fieldCompanyID, "enter the company ID you type on the Manage login screen")
	case strings.ContainsAny(id, " \t+:/\\?#"):
		v.Add(fieldCompanyID, "the company ID cannot contain spaces or the characters + : / \\ ? #")
	}
	switch k := strings.TrimSpace(c.PublicKey); {
	case k == "":
		v.Add(fieldPublicKey, "enter the API member's public key")
	case strings.ContainsAny(k, " :"):
		v.Add(fieldPublicKey, "the public key cannot contain spaces or a colon; paste it again")
	}
	if strings.TrimSpace(c.PrivateKey) == "" {
		v.Add(fieldPrivateKey, "enter the API member's private key")
	}
	switch id := strings.TrimSpace(c.ClientID); {
	case id == "":
		v.Add(fieldClientID, "enter the clientId registered at developer.connectwise.com/ClientID")
	case !guidPattern.MatchString(id):
		v.Add(fieldClientID, "the Client ID is a GUID such as 3f2c9a4e-8b1d-4c7e-9f0a-2b6d5e8c1a7f")
	}
	return site, v.Err()
}

func fieldErr(field, msg string) error { return apperr.FieldError{Field: field, Message: msg} }

// withDefaults fills every unset tuning field.
func (c Config) withDefaults() Config {
	c.CompanyID = strings.TrimSpace(c.CompanyID)
	c.PublicKey = strings.TrimSpace(c.PublicKey)
	c.PrivateKey = strings.TrimSpace(c.PrivateKey)
	c.ClientID = strings.Trim(strings.TrimSpace(c.ClientID), "{}")
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.RequestTimeout, 30*time.Second)
	def(&c.RetryBaseDelay, 250*time.Millisecond)
	def(&c.RetryMaxDelay, 30*time.Second)
	def(&c.MaxRetryAfter, 2*time.Minute)
	def(&c.RelookupInterval, 15*time.Second)
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 6
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	} else if c.MaxRetries == 0 {
		c.MaxRetries = 5
	}
	if c.PageSize <= 0 || c.PageSize > MaxPageSize {
		c.PageSize = MaxPageSize
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 10000
	}
	if c.UserAgent == "" {
		c.UserAgent = buildinfo.ExecutableName + "/" + buildinfo.Version
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleepCtx
	}
	if c.Jitter == nil {
		c.Jitter = rand.Float64
	}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
