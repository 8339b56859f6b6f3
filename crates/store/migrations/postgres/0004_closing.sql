-- dakwacht schema, version 4 (PostgreSQL): closing a case, and deleting it after the retention
-- period, as in SQLite (migrations/sqlite/0006_closing.sql, which explains them).
ALTER TABLE cases ADD COLUMN closed_on TEXT;
ALTER TABLE cases ADD COLUMN closing_reason TEXT;
CREATE INDEX cases_closed_on ON cases (closed_on) WHERE closed_on IS NOT NULL;

ALTER TABLE case_changes DROP CONSTRAINT case_changes_action_check;
ALTER TABLE case_changes ADD CONSTRAINT case_changes_action_check
    CHECK (action IN ('created', 'updated', 'closed', 'reopened'));

-- Append-only, except that the entries of a closed case may go with the case itself.
DROP TRIGGER case_changes_append_only ON case_changes;
CREATE TRIGGER case_changes_append_only BEFORE UPDATE ON case_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_append_only();
CREATE FUNCTION dakwacht_case_changes_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cases WHERE id = OLD.case_id AND closed_on IS NOT NULL) THEN
        RAISE EXCEPTION 'case_changes is append-only';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER case_changes_delete_closed_only BEFORE DELETE ON case_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_case_changes_delete();
