package webroot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

// No client secret, password, access token or refresh token may appear in a log line,
// an error string or a user message, even when the server echoes them back.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	e.sim.EchoSecretsInErrors(true)
	ctx := context.Background()
	var texts []string
	collect := func(err error) {
		if err == nil {
			return
		}
		texts = append(texts, err.Error())
		if we, ok := err.(*webroot.Error); ok {
			texts = append(texts, we.UserMessage(), we.Description)
		}
	}

	// A full, healthy session: sign-in, every basis, rotation.
	_, err := e.client.SitesWithCounts(ctx, webroot.UsageOptions{})
	collect(err)
	e.clock.Advance(6 * time.Minute)
	res, err := e.client.TestConnection(ctx)
	collect(err)
	for _, s := range res.Steps {
		texts = append(texts, s.Message)
	}
	// Token refused mid-run: the server quotes the token it refused.
	e.sim.ExpireAccessTokens()
	collect(e.consoleCall())
	// Refresh refused: the server quotes the refresh token.
	e.sim.RefuseRefreshTokens(true)
	e.clock.Advance(6 * time.Minute)
	collect(e.consoleCall())
	e.sim.RefuseRefreshTokens(false)
	// Wrong password and wrong secret: the server quotes what it was sent.
	for _, mutate := range []func(*webroot.Config){
		func(c *webroot.Config) { c.Password = "Typo-" + webrootsim.DefaultPassword },
		func(c *webroot.Config) { c.ClientSecret = "Typo-" + webrootsim.DefaultClientSecret },
	} {
		cfg := e.cfg
		mutate(&cfg)
		c, err := webroot.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Console(ctx)
		collect(err)
		r, _ := c.TestConnection(ctx)
		for _, s := range r.Steps {
			texts = append(texts, s.Message)
		}
	}

	secrets := append(e.sim.IssuedTokens(), webrootsim.DefaultClientSecret, webrootsim.DefaultPassword,
		"Typo-"+webrootsim.DefaultPassword, "Typo-"+webrootsim.DefaultClientSecret)
	if len(secrets) < 8 {
		t.Fatalf("only %d secrets issued; the session did not exercise rotation", len(secrets))
	}
	all := e.logs.String() + "\n" + strings.Join(texts, "\n")
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("secret %q… leaked", s[:6])
		}
	}
	// The server did echo each kind of secret, and the client scrubbed it: the test can fail.
	for _, echoed := range []string{"invalid token [redacted]", "refresh token [redacted]", "incorrect: " + webrootsim.DefaultUsername + " / [redacted]",
		webrootsim.DefaultClientID + ":[redacted]"} {
		if !strings.Contains(all, echoed) {
			t.Errorf("no %q in the output: the simulator did not echo that secret, so this test proves nothing for it", echoed)
		}
	}
	if !strings.Contains(e.logs.String(), "webroot token obtained") {
		t.Error("token events are not logged at all")
	}
}
