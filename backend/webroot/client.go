package webroot

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"cwm-webroot/backend/buildinfo"
)

// Client talks to one GSM console. It is safe for concurrent use.
type Client struct {
	cfg      Config
	baseURL  string
	host     string
	gsmKey   string
	scope    string
	http     *resty.Client
	log      *slog.Logger
	tokens   *tokenManager
	redactor *redactor
}

// New validates cfg (returning an *apperr.Validation naming each bad field) and returns a
// client. It makes no request.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	base, _ := NormalizeSite(cfg.Site) // validated above
	key, _ := NormalizeGSMKey(cfg.GSMKey)
	cfg.ClientID = strings.TrimSpace(cfg.ClientID)
	cfg.ClientSecret = strings.TrimSpace(cfg.ClientSecret)
	cfg.Username = strings.TrimSpace(cfg.Username)
	applyDefaults(&cfg)

	u, _ := url.Parse(base)
	c := &Client{
		cfg:     cfg,
		baseURL: base,
		host:    u.Host,
		gsmKey:  key,
		scope:   strings.Join(scopeFields(cfg.Scope), " "),
		log:     cfg.Logger,
	}
	c.redactor = newRedactor(cfg.ClientSecret, cfg.Password)
	c.http = newRestyClient(cfg, base)
	c.tokens = newTokenManager(c)
	return c, nil
}

func applyDefaults(cfg *Config) {
	if cfg.Version == "" {
		cfg.Version = buildinfo.Version
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 4
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = 500 * time.Millisecond
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = 30 * time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 2 * time.Minute
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 1000
	}
	if cfg.RefreshMargin <= 0 {
		cfg.RefreshMargin = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepContext
	}
	if cfg.Jitter == nil {
		cfg.Jitter = rand.Float64
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Tokens == nil {
		cfg.Tokens = NewMemoryTokenStore("")
	}
}

// newRestyClient builds the transport: our own retry loop (resty's retries cannot take an
// injected sleep or honour Retry-After the way §6 wants), no cookies, no resty logging (it
// could print headers), and the User-Agent Webroot requires (§1).
func newRestyClient(cfg Config, base string) *resty.Client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: cfg.Transport}
		if hc.Transport == nil {
			hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
		}
	}
	r := resty.NewWithClient(hc).
		SetBaseURL(base).
		SetRetryCount(0).
		SetLogger(discardLogger{}).
		SetDebug(false).
		SetHeader("User-Agent", userAgent(cfg.Version)).
		SetHeader("Accept", "application/json").
		SetResponseBodyLimit(64 << 20)
	return r
}

// userAgent is "cwm-webroot/<version>": one name/version pair without spaces (§1).
func userAgent(version string) string {
	v := strings.Map(func(r rune) rune {
		if r <= ' ' || r == '/' || r > '~' {
			return '-'
		}
		return r
	}, strings.TrimSpace(version))
	if v == "" {
		v = "0"
	}
	return buildinfo.ExecutableName + "/" + v
}

// GSMKey is the normalised Parent Keycode the client uses.
func (c *Client) GSMKey() string { return c.gsmKey }

// BaseURL is the normalised API base URL.
func (c *Client) BaseURL() string { return c.baseURL }

func (c *Client) now() time.Time { return c.cfg.Now() }

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// discardLogger silences resty's own logger.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
