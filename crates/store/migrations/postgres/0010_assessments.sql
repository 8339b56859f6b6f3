-- dakwacht schema, version 10 (PostgreSQL): the best-interest assessment, as in SQLite
-- (migrations/sqlite/0012_assessments.sql, which explains it).
CREATE TABLE assessments (
    id                  BIGSERIAL PRIMARY KEY,
    case_id             BIGINT NOT NULL REFERENCES cases (id),
    child_no            BIGINT NOT NULL CHECK (child_no BETWEEN 1 AND 20),
    decision            TEXT NOT NULL,
    decision_described  TEXT,
    steps               TEXT NOT NULL,
    complete            BOOLEAN NOT NULL DEFAULT FALSE,
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL,
    FOREIGN KEY (case_id, child_no) REFERENCES children (case_id, child_no)
);
CREATE INDEX assessments_case ON assessments (case_id, child_no);

CREATE TABLE assessment_changes (
    id              BIGSERIAL PRIMARY KEY,
    assessment_id   BIGINT NOT NULL REFERENCES assessments (id),
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    changed_at      TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('created', 'saved', 'completed')),
    steps           TEXT
);
CREATE INDEX assessment_changes_case ON assessment_changes (case_id);

CREATE TRIGGER assessment_changes_append_only BEFORE UPDATE ON assessment_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_append_only();
CREATE TRIGGER assessment_changes_delete_closed_only BEFORE DELETE ON assessment_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_case_changes_delete();

ALTER TABLE children ADD COLUMN assessed BOOLEAN NOT NULL DEFAULT FALSE;
