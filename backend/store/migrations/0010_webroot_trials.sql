-- The product lines a GSM site has on a trial licence (EP, DNSP, WSAT; comma separated), so
-- the Mappings page and the dashboard can warn before a trial is billed.
ALTER TABLE webroot_sites ADD COLUMN trials TEXT NOT NULL DEFAULT '';
