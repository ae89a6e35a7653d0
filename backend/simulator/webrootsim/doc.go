// Package webrootsim is a stateful, in-process Webroot Unity API (GSM console) on
// loopback, built from docs/webroot-api.md: token grants with rotating refresh tokens,
// scopes, the console and usage-report endpoints with paging and the documented error
// envelopes, plus knobs for the faults a real client must survive (latency, throttling,
// server errors, dropped connections, token expiry and revocation). Tests and
// `cwm-webroot demo` use it; SeedDemo builds a realistic MSP.
//
// Where the reference marks a behaviour unverified, Options selects which plausible
// behaviour to simulate, so the client can be tested against each.
package webrootsim
