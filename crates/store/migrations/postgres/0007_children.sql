-- dakwacht schema, version 7 (PostgreSQL): a record per child, as in SQLite
-- (migrations/sqlite/0009_children.sql, which explains it).
CREATE TABLE children (
    case_id                 BIGINT NOT NULL REFERENCES cases (id),
    child_no                BIGINT NOT NULL CHECK (child_no BETWEEN 1 AND 20),
    created_at              TEXT NOT NULL,
    created_by              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    age                     BIGINT CHECK (age BETWEEN 0 AND 17),
    stays_with              TEXT,
    separated               TEXT,
    school                  TEXT,
    school_days_missed      BIGINT CHECK (school_days_missed BETWEEN 0 AND 400),
    heard                   BOOLEAN,
    heard_by                TEXT,
    best_interest_assessed  BOOLEAN,
    youth_care              BOOLEAN,
    notes                   TEXT,
    extra                   TEXT,
    PRIMARY KEY (case_id, child_no)
);

CREATE TABLE child_changes (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    child_no    BIGINT NOT NULL,
    changed_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    import_id   BIGINT REFERENCES imports (id),
    changes     TEXT
);
CREATE INDEX child_changes_case ON child_changes (case_id, child_no);

CREATE TRIGGER child_changes_append_only BEFORE UPDATE ON child_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_append_only();
-- The function of case_changes serves: it reads only OLD.case_id.
CREATE TRIGGER child_changes_delete_closed_only BEFORE DELETE ON child_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_case_changes_delete();

INSERT INTO children (case_id, child_no, created_at, created_by, updated_at, age)
SELECT c.id, e.n, c.updated_at, 'migration:children_ages', c.updated_at,
       CASE WHEN trim(e.entry) = '?' THEN NULL ELSE trim(e.entry)::BIGINT END
FROM cases c, unnest(string_to_array(c.children_ages, ';')) WITH ORDINALITY AS e (entry, n)
WHERE c.children_ages IS NOT NULL;
