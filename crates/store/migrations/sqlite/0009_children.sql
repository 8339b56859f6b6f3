-- dakwacht schema, version 9 (SQLite): a record per child (spec/children.md, issue 16).
--
-- A child belongs to its case and is numbered 1..children_count in the order of children_ages.
-- No names, no birth dates: the age is enough for every measure (AVG art. 5, data minimisation).
-- Codes are the interchange codes; yes/no columns 1, 0 or NULL (unknown), as in `cases`.
CREATE TABLE children (
    case_id                 INTEGER NOT NULL REFERENCES cases (id),
    child_no                INTEGER NOT NULL CHECK (child_no BETWEEN 1 AND 20),
    created_at              TEXT NOT NULL,
    created_by              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    age                     INTEGER CHECK (age BETWEEN 0 AND 17),
    stays_with              TEXT,
    separated               TEXT,
    school                  TEXT,
    school_days_missed      INTEGER CHECK (school_days_missed BETWEEN 0 AND 400),
    heard                   INTEGER,
    heard_by                TEXT,
    best_interest_assessed  INTEGER,
    youth_care              INTEGER,
    notes                   TEXT,
    extra                   TEXT,          -- JSON object of the free x_ columns, NULL when none
    PRIMARY KEY (case_id, child_no)
) WITHOUT ROWID;

-- Changes to child records after their creation, as `case_changes` keeps them for cases:
-- append-only, who / when / what ({"field": ["old", "new"]}, never the text of notes). The
-- entries of a closed case may go with the case (`dakwacht retention --apply`).
CREATE TABLE child_changes (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    child_no    INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    import_id   INTEGER REFERENCES imports (id),
    changes     TEXT
);
CREATE INDEX child_changes_case ON child_changes (case_id, child_no);

CREATE TRIGGER child_changes_append_only_update BEFORE UPDATE ON child_changes
BEGIN SELECT RAISE(ABORT, 'child history is append-only'); END;
CREATE TRIGGER child_changes_append_only_delete BEFORE DELETE ON child_changes
WHEN (SELECT closed_on FROM cases WHERE id = OLD.case_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'child history is append-only'); END;

-- Every case's children_ages ('2;5;?') become child records with only their age (NULL for '?'):
-- the children of existing cases are records from now on, nothing of the case changes.
INSERT INTO children (case_id, child_no, created_at, created_by, updated_at, age)
WITH RECURSIVE entries (case_id, child_no, entry, rest, at) AS (
    SELECT id, 0, NULL, children_ages || ';', updated_at FROM cases WHERE children_ages IS NOT NULL
    UNION ALL
    SELECT case_id, child_no + 1, substr(rest, 1, instr(rest, ';') - 1),
           substr(rest, instr(rest, ';') + 1), at
    FROM entries WHERE rest <> ''
)
SELECT case_id, child_no, at, 'migration:children_ages', at,
       CASE WHEN trim(entry) = '?' THEN NULL ELSE CAST(trim(entry) AS INTEGER) END
FROM entries WHERE child_no > 0;
