-- The addition's unit price when the plan was made, so the Sync page and History can say
-- what a change does to the bill (NULL: Manage did not say, or the run predates this).
ALTER TABLE sync_changes ADD COLUMN unit_price REAL;
