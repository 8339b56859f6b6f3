-- dakwacht schema, version 11 (PostgreSQL): each case's signals, kept; as SQLite's 0013.
--
-- The triggers on the child records are per statement (with the changed rows as a table): an
-- import writes thousands of records in one statement, and a trigger per row would cost more
-- than the import itself.
CREATE TABLE case_signals (
    case_id  BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    rules    BIGINT NOT NULL,
    signals  BIGINT NOT NULL,
    problems BIGINT NOT NULL
);

CREATE FUNCTION case_signals_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM case_signals s USING changed c WHERE s.case_id = c.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_signals_case_changed AFTER UPDATE ON cases
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION case_signals_case_changed();

CREATE FUNCTION case_signals_child_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM case_signals s USING changed c WHERE s.case_id = c.case_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_signals_child_added AFTER INSERT ON children
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION case_signals_child_changed();

CREATE TRIGGER case_signals_child_changed AFTER UPDATE ON children
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION case_signals_child_changed();

CREATE TRIGGER case_signals_child_removed AFTER DELETE ON children
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION case_signals_child_changed();
