-- dakwacht schema, version 1 (PostgreSQL): the same tables as the SQLite schema (versions 1-3),
-- so that one row type (src/rows.rs) reads both.
-- Dates are TEXT 'YYYY-MM-DD' and timestamps TEXT RFC 3339 in UTC, set by the application, exactly
-- as in SQLite: text order is date order, and the domain code parses both the same way.
-- Names and references sort byte-wise (COLLATE "C"), as in SQLite, so the case list pages the same
-- way on both databases whatever the server's locale.
-- Every whole number is BIGINT (read as i64 on both databases); yes/no columns are BOOLEAN.

CREATE TABLE organisations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE imports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor       TEXT NOT NULL,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    created     BIGINT NOT NULL DEFAULT 0,
    updated     BIGINT NOT NULL DEFAULT 0,
    unchanged   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE cases (
    id                          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id             BIGINT NOT NULL REFERENCES organisations (id),
    case_ref                    TEXT COLLATE "C" NOT NULL,
    version                     BIGINT NOT NULL,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    created_by                  TEXT NOT NULL,
    import_id                   BIGINT REFERENCES imports (id),

    reported_on                 TEXT NOT NULL,
    municipality                TEXT,
    municipality_key            TEXT,
    household                   TEXT,
    children_count              BIGINT NOT NULL CHECK (children_count BETWEEN 1 AND 20),
    children_ages               TEXT,
    tenancy                     TEXT,
    home_lost_on                TEXT,
    home_lost_precision         TEXT CHECK (home_lost_precision IN ('day', 'month')),
    route                       TEXT,
    main_reason                 TEXT,
    other_reasons               TEXT,
    legal_support               TEXT,
    default_judgment            BOOLEAN,
    alternative_offered         TEXT,
    situation_after             TEXT,
    current_situation           TEXT,
    last_seen_on                TEXT,
    last_seen_situation         TEXT,
    rehoused_on                 TEXT,
    child_heard                 BOOLEAN,
    best_interest_weighed       BOOLEAN,
    family_separated            TEXT,
    shelter_refused_no_binding  BOOLEAN,
    school_disrupted            BOOLEAN,
    notes                       TEXT,
    extra                       TEXT,

    children_age_unknown        BIGINT NOT NULL,
    homeless_months             BIGINT,
    profile                     BIGINT NOT NULL,

    UNIQUE (organisation_id, case_ref)
);

CREATE INDEX cases_profile ON cases (profile, children_count, children_age_unknown);
CREATE INDEX cases_municipality ON cases (municipality_key);
CREATE INDEX cases_home_lost_on ON cases (home_lost_on);

CREATE TABLE observations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    observed_on  TEXT,
    precision    TEXT CHECK (precision IN ('day', 'month')),
    situation    TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX observations_case ON observations (case_id);

CREATE TABLE case_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    version     BIGINT NOT NULL,
    changed_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    import_id   BIGINT REFERENCES imports (id),
    changes     TEXT
);
CREATE INDEX case_changes_case ON case_changes (case_id, version);

CREATE TABLE users (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username         TEXT COLLATE "C" NOT NULL UNIQUE,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'professional', 'researcher')),
    organisation_id  BIGINT REFERENCES organisations (id),
    password_hash    TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    disabled_at      TEXT,
    CHECK ((role IN ('coordinator', 'professional')) = (organisation_id IS NOT NULL))
);

CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    organisation  TEXT,
    case_ref      TEXT,
    detail        TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_case ON audit_log (organisation, case_ref);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The case history and the audit log are append-only, as in SQLite.
CREATE FUNCTION dakwacht_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER case_changes_append_only BEFORE UPDATE OR DELETE ON case_changes
    FOR EACH ROW EXECUTE FUNCTION dakwacht_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION dakwacht_append_only();
