// Package syncer is the job the product exists for (PRODUCT.md §2.4): it keeps each mapped
// ConnectWise Manage agreement addition's quantity equal to the Webroot GSM usage of the
// sites mapped to it.
//
// A sync
//   - takes the installation's sync lock (package synclock), so one sync runs at a time
//     across the window, the tray's schedule and the command line;
//   - reads fresh counts from Webroot (only the bases the mappings use) and, at the same
//     time, every mapped agreement's additions from Manage: one list call per distinct
//     agreement asking only for the fields the plan needs, as many in flight as the pace
//     allows;
//   - first settles any earlier run that was interrupted, using those same reads: a change
//     that was being applied is recorded as applied when Manage already holds its target,
//     so nothing is ever applied twice;
//   - builds the plan: per mapped addition the current quantity, the new one (the sum of
//     its sites' counts, raised to the minimum), and a verdict: unchanged, change, needs
//     review (a drop to 0, or a move larger than the review share), blocked or error;
//   - applies the changes that need no review (when applying is on), each a PATCH of
//     quantity (and lessIncluded when mapped) checked against Manage's answer. A failure
//     never stops the others.
//
// Everything is written to SQLite as it happens: the run row at the start, the plan as one
// transaction, and each change's state before (applying) and after (applied, failed) its
// PATCH. Held changes wait for Approve, Adjust or Skip, and ApplyApproved applies them.
//
// Calls to Manage go through a Pacer that spaces them to the "Requests per minute" setting
// and slows down when Manage answers 429. Progress reaches the UI as events
// (EventProgress, EventDone), with Progress as the snapshot for late listeners.
package syncer
