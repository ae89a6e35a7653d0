// Package mail sends the app's outgoing email (account links, test messages, digests)
// through the SMTP server the MSP configures under Settings → Email.
//
// The server settings live in the settings table under keys prefixed "mail."; the SMTP
// password lives only in the OS keychain (secrets.SMTPPassword) and is never stored, logged,
// returned to the frontend or included in an error. Connections are always encrypted
// (STARTTLS or implicit TLS) except to a server on this computer, and STARTTLS never falls
// back to plain text.
package mail
