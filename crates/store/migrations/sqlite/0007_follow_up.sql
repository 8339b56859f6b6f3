-- dakwacht schema, version 7 (SQLite): follow-up that acts. A case can be assigned to a
-- professional of its organisation ("mijn gezinnen"), by user name; and a coming eviction can be
-- registered before it happens, so the family is on the follow-up list in time. Neither is part
-- of the interchange format: files neither bring nor carry them.
ALTER TABLE cases ADD COLUMN assigned_to TEXT;
ALTER TABLE cases ADD COLUMN eviction_on TEXT;
CREATE INDEX cases_assigned_to ON cases (assigned_to);
