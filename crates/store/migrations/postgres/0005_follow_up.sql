-- dakwacht schema, version 5 (PostgreSQL): follow-up that acts, as in SQLite
-- (migrations/sqlite/0007_follow_up.sql, which explains it).
ALTER TABLE cases ADD COLUMN assigned_to TEXT;
ALTER TABLE cases ADD COLUMN eviction_on TEXT;
CREATE INDEX cases_assigned_to ON cases (assigned_to);
