-- Cache of the Webroot GSM console: its sites and their usage on every count basis, written
-- by backend/webrootconn. A refresh replaces the snapshot in one transaction.
--
-- A site that leaves the console keeps its row with removed_at set, so mappings can still
-- name it and first_seen_at survives if it comes back; first_seen_at is what marks new sites.
CREATE TABLE webroot_sites (
    site_id         TEXT PRIMARY KEY COLLATE NOCASE,  -- GSM SiteId (a GUID)
    name            TEXT NOT NULL,
    key_code        TEXT NOT NULL DEFAULT '',
    comments        TEXT NOT NULL DEFAULT '',         -- CompanyComments (cwm-id=<n> hints)
    devices_allowed INTEGER NOT NULL DEFAULT 0,
    total_endpoints INTEGER NOT NULL DEFAULT 0,
    suspended       INTEGER NOT NULL DEFAULT 0,
    deactivated     INTEGER NOT NULL DEFAULT 0,
    modules         TEXT NOT NULL DEFAULT '',         -- product-line modules, comma separated (DNSP, WSAT)
    first_seen_at   TEXT NOT NULL,                    -- RFC 3339 UTC: the refresh that first listed it
    last_seen_at    TEXT NOT NULL,                    -- the latest refresh that listed it
    removed_at      TEXT                              -- NULL while the console lists it
);
CREATE INDEX webroot_sites_removed ON webroot_sites(removed_at);

-- One row per current site and basis that was read. A basis that was not read for a site
-- (say not_deactivated for a deactivated site) has no row.
CREATE TABLE webroot_site_counts (
    site_id TEXT NOT NULL COLLATE NOCASE REFERENCES webroot_sites(site_id) ON DELETE CASCADE,
    basis   TEXT NOT NULL,              -- webroot.Basis: active_without_hidden, dns devices_seen, ...
    count   INTEGER NOT NULL,
    missing INTEGER NOT NULL DEFAULT 0, -- the report had no row or no count for the site: count is 0
    error   TEXT NOT NULL DEFAULT '',   -- why this basis failed for this site alone
    PRIMARY KEY (site_id, basis)
) WITHOUT ROWID;

-- What the current snapshot is: when it was read and which report day each basis counts.
CREATE TABLE webroot_snapshot (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    refreshed_at        TEXT NOT NULL,
    first_refreshed_at  TEXT NOT NULL,               -- the very first refresh: its sites are not "new"
    total_seats_allowed INTEGER NOT NULL DEFAULT 0,
    bases               TEXT NOT NULL DEFAULT '[]',  -- JSON array of the bases read
    report_dates        TEXT NOT NULL DEFAULT '{}',  -- JSON {basis: {requested, effective, fellBackToLatest}}
    report_only_sites   TEXT NOT NULL DEFAULT '[]'   -- JSON: report rows whose SiteId the site list lacks
);
