-- dakwacht schema, version 6 (PostgreSQL): a stay can be taken back, as in SQLite
-- (migrations/sqlite/0008_stay_removal.sql, which explains it).
ALTER TABLE observations ADD COLUMN removed_at TEXT;
ALTER TABLE observations ADD COLUMN removed_by TEXT;
ALTER TABLE observations ADD COLUMN change_version BIGINT;
UPDATE observations SET change_version = (
    SELECT h.version FROM case_changes h
    WHERE h.case_id = observations.case_id AND h.changed_at = observations.recorded_at
      AND h.import_id IS NULL
    ORDER BY h.version DESC LIMIT 1
);
