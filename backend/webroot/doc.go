// Package webroot is the client for the Webroot Unity API (the GSM console, now branded
// OpenText Secure Cloud) as described in docs/webroot-api.md: it signs in with the
// password grant, keeps the access token fresh with the rotating refresh token, reads the
// GSM console and its sites, and reads per-site usage for every count basis the app bills
// on (PRODUCT.md §2.3).
//
// Everything a user can get wrong or a server can do wrong comes back as an *Error with a
// Kind and a UserMessage that says what to do next. Secrets (client secret, password,
// access and refresh tokens) never appear in logs or error text.
package webroot
