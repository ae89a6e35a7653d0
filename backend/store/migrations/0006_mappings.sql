-- Which Manage agreement addition bills each GSM site's product line. A site x product line
-- maps once; several sites may map to one addition (their counts are summed). No foreign
-- keys to the caches: a mapping must survive a refresh in which its site or addition is
-- missing, so the sync can report it as blocked instead of losing it.
CREATE TABLE mappings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id        TEXT NOT NULL COLLATE NOCASE,
    product        TEXT NOT NULL CHECK (product IN ('endpoint', 'dns', 'wsat')),
    count_basis    TEXT NOT NULL,
    company_id     INTEGER NOT NULL,
    agreement_id   INTEGER NOT NULL,
    addition_id    INTEGER NOT NULL,
    less_included  INTEGER CHECK (less_included IS NULL OR less_included >= 0),
    minimum        INTEGER CHECK (minimum IS NULL OR minimum >= 0),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (site_id, product)
);
CREATE INDEX mappings_addition ON mappings(addition_id);

-- Site product lines the MSP does not bill (internal sites, trials, ...).
CREATE TABLE mapping_exclusions (
    site_id     TEXT NOT NULL COLLATE NOCASE,
    product     TEXT NOT NULL CHECK (product IN ('endpoint', 'dns', 'wsat')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (site_id, product)
) WITHOUT ROWID;
