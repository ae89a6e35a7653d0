// Package managesim is an in-process, stateful imitation of one ConnectWise Manage site,
// served on the loopback interface. It follows shared/docs/manage-api.md: companyinfo, routing
// by codebase, Basic auth and the clientId header, the company, agreement, addition, catalog
// and system resources, the conditions language, fields, orderBy, navigable and forward-only
// paging with Link headers, JSON-patch of additions and the documented error bodies.
//
// On top of that it has knobs for what a real site does on a bad day: latency, throttling
// (429 with Retry-After), forced errors on chosen calls, malformed bodies, dropped connections,
// "false 200" answers to a PATCH, a codebase change after an upgrade and a member who lacks a
// permission. Every request is recorded so tests can assert what the client sent.
//
// The client tests use it, and `cwm-webroot demo` serves SeedDemo's data from it.
package managesim
