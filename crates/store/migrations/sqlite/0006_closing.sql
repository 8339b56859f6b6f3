-- dakwacht schema, version 6 (SQLite): closing a case, and deleting it after the retention period
-- (issue 15.8; AVG art. 5 lid 1 e).
--
-- A closed case has the day it was closed ('YYYY-MM-DD', Dutch time) and why (a code of
-- core::ClosingReason); an open case has neither. Closing touches no other field: the case stays
-- in the figures as it was. Cases that exist stay open.
ALTER TABLE cases ADD COLUMN closed_on TEXT;
ALTER TABLE cases ADD COLUMN closing_reason TEXT;
-- `dakwacht retention` finds the cases closed longest ago without reading the others.
CREATE INDEX cases_closed_on ON cases (closed_on) WHERE closed_on IS NOT NULL;

-- Closing and reopening are entries of the case's history. SQLite cannot change a CHECK, so the
-- history table is made again with the wider one and every entry copied into it, ids and all.
-- The history stays append-only, with one exception: the entries of a closed case may go with
-- the case itself, which only `dakwacht retention --apply` does (an open case's history can
-- still not be deleted, not even by mistake).
CREATE TABLE case_changes_new (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    version     INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated', 'closed', 'reopened')),
    import_id   INTEGER REFERENCES imports (id),
    -- For updates: JSON {"field": ["old", "new"]}; the text of notes is never copied here. For
    -- closing and reopening: {"closed_on": [old, new], "closing_reason": [old, new]}.
    changes     TEXT
);
INSERT INTO case_changes_new (id, case_id, version, changed_at, actor, action, import_id, changes)
    SELECT id, case_id, version, changed_at, actor, action, import_id, changes FROM case_changes;
-- Dropping a table fires no DELETE trigger; its own triggers and index go with it.
DROP TABLE case_changes;
ALTER TABLE case_changes_new RENAME TO case_changes;
CREATE INDEX case_changes_case ON case_changes (case_id, version);

CREATE TRIGGER case_changes_append_only_update BEFORE UPDATE ON case_changes
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
CREATE TRIGGER case_changes_append_only_delete BEFORE DELETE ON case_changes
WHEN (SELECT closed_on FROM cases WHERE id = OLD.case_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
