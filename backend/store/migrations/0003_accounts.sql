-- The MSP's company (one per installation) and the people who may use the app.
CREATE TABLE company (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name              TEXT NOT NULL,
    time_zone         TEXT NOT NULL,
    manage_company_id TEXT NOT NULL,
    manage_site       TEXT NOT NULL,
    created_at        TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    -- pending: has not set a password yet; active; disabled by an admin.
    status          TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
    password_hash   TEXT,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL,
    last_login_at   TEXT
);

-- One-time account links. Only a SHA-256 of the token is kept: a copy of the database does
-- not let anyone use an outstanding link.
CREATE TABLE account_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('activate', 'invite', 'reset')),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX account_tokens_user ON account_tokens(user_id);
