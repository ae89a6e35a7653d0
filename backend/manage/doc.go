// Package manage is the ConnectWise Manage (PSA) REST client: it finds a site's API base
// through companyinfo, authenticates with an API member's keys, reads companies, agreements,
// agreement additions and catalog items, and updates an addition's quantity.
//
// It follows shared/docs/manage-api.md. The transport is built for a long unattended sync:
// a bounded number of requests in flight, an optional pacer for a requests-per-minute
// budget, per-attempt timeouts, retries with exponential backoff and jitter on 429 (honouring
// Retry-After), 5xx and network errors, a codebase re-lookup after a 404, and errors
// classified into kinds with a message an MSP can act on. Secrets never reach an error or a
// log line.
package manage
