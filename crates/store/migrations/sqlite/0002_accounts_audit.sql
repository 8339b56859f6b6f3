-- dakwacht schema, version 2 (SQLite): user accounts and the audit log.

-- Coordinators and professionals belong to one organisation; administrators and researchers to none.
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE,   -- lower-case, compared exactly
    role             TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'professional', 'researcher')),
    organisation_id  INTEGER REFERENCES organisations (id),
    password_hash    TEXT NOT NULL,          -- argon2id, PHC string (salt and parameters inside)
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    disabled_at      TEXT,
    CHECK ((role IN ('coordinator', 'professional')) = (organisation_id IS NOT NULL))
);

-- Every view, change, import and export of case data, and every change to accounts: who, when,
-- what, which case. Append-only. `detail` never holds personal data (counts, a file name, a filter).
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    organisation  TEXT,
    case_ref      TEXT,
    detail        TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_case ON audit_log (organisation, case_ref);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
