-- dakwacht schema, version 17 (PostgreSQL): the cases whose kept signals are due; as SQLite's
-- 0021. The triggers are per statement (with the rows as a table), as in 0011. An import notes
-- none of the cases it creates (it says so with the setting `dakwacht.importing`), nor does a
-- statement that creates more than 10,000: they are worked out in one pass over all cases, which
-- needs no list.
CREATE TABLE signals_due (
    case_id BIGINT PRIMARY KEY
);

INSERT INTO signals_due
SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_signals s WHERE s.case_id = c.id);

CREATE FUNCTION signals_due_cases_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('dakwacht.importing', true) IS DISTINCT FROM 'on'
       AND (SELECT COUNT(*) FROM (SELECT 1 FROM added LIMIT 10001) AS few) <= 10000 THEN
        INSERT INTO signals_due SELECT id FROM added ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER signals_due_cases_added AFTER INSERT ON cases
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION signals_due_cases_added();

-- Also fired by the cascade when a case is deleted: a case that is gone is not due.
CREATE FUNCTION signals_due_forgotten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO signals_due
    SELECT f.case_id FROM forgotten f WHERE EXISTS (SELECT 1 FROM cases c WHERE c.id = f.case_id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER signals_due_forgotten AFTER DELETE ON case_signals
    REFERENCING OLD TABLE AS forgotten
    FOR EACH STATEMENT EXECUTE FUNCTION signals_due_forgotten();

CREATE FUNCTION signals_due_cases_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM signals_due d USING removed r WHERE d.case_id = r.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER signals_due_cases_removed AFTER DELETE ON cases
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION signals_due_cases_removed();
