-- Key/value settings of the installation (theme, idle lock, sync options, ...).
-- Secrets never go here: they live in the OS keychain.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
