-- What backend/notify last told the user about each fact, so the same notification is never
-- shown twice in a row and a reminder waits its turn. One row per topic and subject; a row
-- is removed when its fact stops being true (credentials accepted again, a site back within
-- its seat limit, a sync that succeeded), so the next occurrence is reported afresh.
CREATE TABLE notify_sent (
    topic   TEXT NOT NULL,                         -- sync_failed, held_changes, credentials, new_site, over_limit, stale_sync, digest
    subject TEXT NOT NULL DEFAULT '' COLLATE NOCASE, -- a GSM site id or a service name; '' for installation-wide facts
    fact    TEXT NOT NULL DEFAULT '',              -- a fingerprint of what was said
    sent_at TEXT NOT NULL,                         -- RFC 3339 UTC
    PRIMARY KEY (topic, subject)
) WITHOUT ROWID;
