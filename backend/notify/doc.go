// Package notify tells the MSP about what needs their attention while the app runs in the
// background (PRODUCT.md §2.5): desktop notifications for failed syncs, held changes,
// rejected credentials, new unmapped Webroot sites, sites over their GSM seat limit and no
// successful sync for too long, and an optional email digest of each sync through the SMTP
// server configured under Settings → Email.
//
// Preferences live in the settings table under "notify.*" keys. What was already told
// lives in the notify_sent table (migration 0008), so a fact is told once, not after every
// sync, refresh or restart. Notifications carry short plain text built from company, site
// and agreement names, counts and the error texts history already shows; never a
// credential. The SMTP password is read from the keychain (backend/secrets) only to send a
// digest.
package notify
