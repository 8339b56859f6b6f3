-- dakwacht schema, version 8 (SQLite): a stay recorded by mistake can be taken back. It is not
-- deleted but marked removed (by whom, when), so the case's history still shows it; and each stay
-- names the case version it made (`change_version`, NULL when it changed no field), so a removal
-- can put back what that version changed where nobody changed it since.
ALTER TABLE observations ADD COLUMN removed_at TEXT;
ALTER TABLE observations ADD COLUMN removed_by TEXT;
ALTER TABLE observations ADD COLUMN change_version INTEGER;
-- Stays recorded before this version were saved in one transaction with their change, at the
-- same moment and not by an import: that change is the stay's.
UPDATE observations SET change_version = (
    SELECT h.version FROM case_changes h
    WHERE h.case_id = observations.case_id AND h.changed_at = observations.recorded_at
      AND h.import_id IS NULL
    ORDER BY h.version DESC LIMIT 1
);
