-- Sync runs and their changes (PRODUCT.md §2.4). Rows are written as the sync goes, not at
-- its end: a run row when it starts, every planned change when the plan is complete, and a
-- change's state before (applying) and after (applied, failed) each PATCH. A process killed
-- at any moment therefore leaves an exact record, and the next run reconciles rows still
-- marked pending or applying against Manage instead of applying them twice.
CREATE TABLE sync_runs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    trigger             TEXT NOT NULL CHECK (trigger IN ('schedule', 'user', 'cli')),
    actor               TEXT NOT NULL,
    dry_run             INTEGER NOT NULL DEFAULT 0,
    include_held        INTEGER NOT NULL DEFAULT 0,
    auto_apply          INTEGER NOT NULL DEFAULT 1,
    -- planning and applying while a process works on the run; then succeeded, partial,
    -- failed or no_changes. A run found in planning or applying by the next sync was
    -- interrupted (the sync lock proves nobody else works on it).
    status              TEXT NOT NULL CHECK (status IN ('planning', 'applying', 'succeeded', 'partial', 'failed', 'no_changes')),
    message             TEXT NOT NULL DEFAULT '',
    started_at          TEXT NOT NULL,
    planned_at          TEXT,
    finished_at         TEXT,
    pid                 INTEGER NOT NULL DEFAULT 0,
    review_share        INTEGER NOT NULL,
    requests_per_minute INTEGER NOT NULL,
    requests            INTEGER NOT NULL DEFAULT 0,
    throttled           INTEGER NOT NULL DEFAULT 0,
    -- the run that finished this one's business after it was interrupted
    reconciled_by       INTEGER REFERENCES sync_runs(id)
);
CREATE INDEX sync_runs_started ON sync_runs(started_at);
CREATE INDEX sync_runs_status ON sync_runs(status);

-- One row per mapped addition per run, unchanged ones included.
CREATE TABLE sync_changes (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id               INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
    addition_id          INTEGER NOT NULL,
    agreement_id         INTEGER NOT NULL,
    company_id           INTEGER NOT NULL,
    company_name         TEXT NOT NULL DEFAULT '',
    agreement_name       TEXT NOT NULL DEFAULT '',
    product              TEXT NOT NULL,
    product_identifier   TEXT NOT NULL DEFAULT '',
    basis                TEXT NOT NULL DEFAULT '',
    -- JSON array of the source sites: site id, name, basis and count
    sites                TEXT NOT NULL DEFAULT '[]',
    before_qty           REAL,
    proposed_qty         INTEGER NOT NULL,
    after_qty            INTEGER NOT NULL CHECK (after_qty >= 0),
    less_included_before REAL,
    less_included        INTEGER,
    minimum              INTEGER,
    plan                 TEXT NOT NULL CHECK (plan IN ('unchanged', 'change', 'needs_review', 'blocked', 'error')),
    state                TEXT NOT NULL CHECK (state IN ('unchanged', 'blocked', 'error', 'held', 'planned', 'pending',
                             'approved', 'skipped', 'applying', 'applied', 'failed', 'interrupted')),
    reason               TEXT NOT NULL DEFAULT '',
    message              TEXT NOT NULL DEFAULT '',
    request_id           TEXT NOT NULL DEFAULT '',
    adjusted             INTEGER NOT NULL DEFAULT 0,
    decided_by           TEXT NOT NULL DEFAULT '',
    decided_at           TEXT,
    attempted_at         TEXT,
    finished_at          TEXT,
    updated_at           TEXT NOT NULL,
    UNIQUE (run_id, addition_id)
);
CREATE INDEX sync_changes_addition ON sync_changes(addition_id, run_id);
CREATE INDEX sync_changes_open ON sync_changes(state) WHERE state IN ('pending', 'applying');
