-- An account's row is rewritten by nearly every operation (a hold, a charge, a credit), never in an indexed column.
-- Room left on each page lets PostgreSQL update it in place (a HOT update: no new entry in any of the table's four
-- indexes, no index pages dirtied) instead of writing a new tuple elsewhere and indexing it again.
ALTER TABLE users SET (fillfactor = 80);
