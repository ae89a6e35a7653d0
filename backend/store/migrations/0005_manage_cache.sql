-- Cache of the ConnectWise Manage data the mapping pickers need, written by
-- backend/manageconn. A refresh replaces every table below in one transaction, so readers see
-- the old snapshot or the new one, never a mix. Syncs always read quantities live from
-- Manage; this cache is for choosing, not for billing.

-- Companies not in the recycle bin (deletedFlag=false). Same-name companies exist, so the
-- pickers show id and identifier too.
CREATE TABLE manage_companies (
    id          INTEGER PRIMARY KEY,          -- Manage company record id
    identifier  TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT ''      -- status/name, e.g. Active
);
CREATE INDEX manage_companies_name ON manage_companies(name COLLATE NOCASE);

-- Every agreement, active or not, with what the pickers need to leave out those the app
-- must not write to.
CREATE TABLE manage_agreements (
    id              INTEGER PRIMARY KEY,      -- Manage agreement record id
    company_id      INTEGER NOT NULL,         -- not a foreign key: the company may be deleted
    name            TEXT NOT NULL,
    type_name       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT '', -- agreementStatus: Active, Cancelled, Expired, Inactive, or ''
    cancelled       INTEGER NOT NULL DEFAULT 0,
    start_date      TEXT,                     -- RFC 3339 UTC, NULL when Manage has none
    end_date        TEXT,
    no_ending_date  INTEGER NOT NULL DEFAULT 0,
    parent_id       INTEGER,                  -- set for child agreements
    -- Why the app may not write to its additions, as of the refresh: cancelled, expired,
    -- inactive, ended; '' when it may. The additions of blocked agreements are not cached.
    blocked_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX manage_agreements_company ON manage_agreements(company_id);

-- The current additions (no cancelledDate, or one in the future) of agreements that are not
-- blocked.
CREATE TABLE manage_additions (
    id                  INTEGER PRIMARY KEY,  -- Manage addition record id (unique across agreements)
    agreement_id        INTEGER NOT NULL REFERENCES manage_agreements(id) ON DELETE CASCADE,
    product_id          INTEGER NOT NULL DEFAULT 0,
    product_identifier  TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    quantity            REAL,                 -- NULL when Manage has none
    less_included       REAL,
    billed_quantity     REAL,
    bill_customer       TEXT NOT NULL DEFAULT '',
    effective_date      TEXT,
    cancelled_date      TEXT                  -- a future cancellation, else NULL
);
CREATE INDEX manage_additions_agreement ON manage_additions(agreement_id);

-- The product catalog, inactive items included (flagged) so existing additions of a retired
-- product still have a name.
CREATE TABLE manage_catalog (
    id             INTEGER PRIMARY KEY,       -- Manage catalog item record id
    identifier     TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    inactive       INTEGER NOT NULL DEFAULT 0,
    product_class  TEXT NOT NULL DEFAULT '',
    recurring      INTEGER NOT NULL DEFAULT 0,
    price          REAL,
    cost           REAL
);
CREATE INDEX manage_catalog_identifier ON manage_catalog(identifier COLLATE NOCASE);

-- What the current snapshot is.
CREATE TABLE manage_snapshot (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    refreshed_at  TEXT NOT NULL,              -- RFC 3339 UTC
    duration_ms   INTEGER NOT NULL DEFAULT 0,
    requests      INTEGER NOT NULL DEFAULT 0, -- HTTP requests the refresh made
    warnings      TEXT NOT NULL DEFAULT '[]'  -- JSON array of sentences (catalog not readable, …)
);
