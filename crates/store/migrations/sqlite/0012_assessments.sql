-- dakwacht schema, version 12 (SQLite): the best-interest assessment of a child for a decision
-- (spec/children.md, issue 16), along the Kinderombudsman's four steps.
--
-- An assessment belongs to one child record (case and child_no) and one decision. Its steps are
-- kept as one JSON document (core::AssessmentSteps): free text about a child, never read by
-- SQL, never in an export or a figure. `complete` is what the figures and the rules may know.
-- `version` goes up with every saved step, so a second editor cannot save over the first.
CREATE TABLE assessments (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases (id),
    child_no            INTEGER NOT NULL CHECK (child_no BETWEEN 1 AND 20),
    decision            TEXT NOT NULL,
    decision_described  TEXT,
    steps               TEXT NOT NULL,
    complete            INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL,
    FOREIGN KEY (case_id, child_no) REFERENCES children (case_id, child_no)
);
CREATE INDEX assessments_case ON assessments (case_id, child_no);

-- Every creation and saved step, append-only: who, when, which steps changed (never their text).
CREATE TABLE assessment_changes (
    id              INTEGER PRIMARY KEY,
    assessment_id   INTEGER NOT NULL REFERENCES assessments (id),
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    changed_at      TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('created', 'saved', 'completed')),
    steps           TEXT
);
CREATE INDEX assessment_changes_case ON assessment_changes (case_id);

CREATE TRIGGER assessment_changes_append_only_update BEFORE UPDATE ON assessment_changes
BEGIN SELECT RAISE(ABORT, 'assessment history is append-only'); END;
CREATE TRIGGER assessment_changes_append_only_delete BEFORE DELETE ON assessment_changes
WHEN (SELECT closed_on FROM cases WHERE id = OLD.case_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'assessment history is append-only'); END;

-- Whether a complete assessment exists for the child: kept with the record (and in its packed
-- profile) by every assessment write, so the child measures and the rules read one column.
ALTER TABLE children ADD COLUMN assessed INTEGER NOT NULL DEFAULT 0;
