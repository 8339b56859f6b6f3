-- dakwacht schema, version 1 (SQLite).
-- Dates are TEXT 'YYYY-MM-DD'; timestamps TEXT RFC 3339 in UTC, set by the application.
-- Codes are TEXT, exactly the interchange codes (lower-case), so the database reads like the spec.

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- One import of one file: who, when, and what it did.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    actor       TEXT NOT NULL,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cases (
    id                          INTEGER PRIMARY KEY,
    organisation_id             INTEGER NOT NULL REFERENCES organisations (id),
    case_ref                    TEXT NOT NULL,
    -- Raised by one on every change; lets a second editor's stale save be refused.
    version                     INTEGER NOT NULL,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    -- Who created the case, and through which import (NULL when entered by hand). Creation is the
    -- first entry of a case's history; keeping it here saves a history row per imported case.
    created_by                  TEXT NOT NULL,
    import_id                   INTEGER REFERENCES imports (id),

    reported_on                 TEXT NOT NULL,
    municipality                TEXT,
    municipality_key            TEXT,          -- trimmed, lower-case: what municipalities are compared by
    household                   TEXT,
    children_count              INTEGER NOT NULL CHECK (children_count BETWEEN 1 AND 20),
    children_ages               TEXT,          -- interchange notation '2;5;?'
    tenancy                     TEXT,
    home_lost_on                TEXT,          -- first day of the month when only the month is known
    home_lost_precision         TEXT CHECK (home_lost_precision IN ('day', 'month')),
    route                       TEXT,
    main_reason                 TEXT,
    other_reasons               TEXT,          -- interchange notation 'a;b'
    legal_support               TEXT,
    default_judgment            INTEGER,       -- 1 yes, 0 no, NULL unknown (also for the yes/no columns below)
    alternative_offered         TEXT,
    situation_after             TEXT,
    current_situation           TEXT,          -- NULL: out of view on reported_on
    last_seen_on                TEXT,
    last_seen_situation         TEXT,
    rehoused_on                 TEXT,
    child_heard                 INTEGER,
    best_interest_weighed       INTEGER,
    family_separated            TEXT,
    shelter_refused_no_binding  INTEGER,
    school_disrupted            INTEGER,
    notes                       TEXT,
    extra                       TEXT,          -- JSON object of the free x_ columns, NULL when none

    -- Derived on every write by the domain code (never edited by hand):
    children_age_unknown        INTEGER NOT NULL,
    homeless_months             INTEGER,       -- duration of homelessness as far as known
    profile                     INTEGER NOT NULL, -- packed statistical profile, see core::profile

    UNIQUE (organisation_id, case_ref)
);

-- The quickscan report reads only this index: one scan, grouped by profile.
CREATE INDEX cases_profile ON cases (profile, children_count, children_age_unknown);
CREATE INDEX cases_municipality ON cases (municipality_key);
CREATE INDEX cases_home_lost_on ON cases (home_lost_on);

-- Observations of the family's living situation beyond the interchange columns.
CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    observed_on  TEXT,
    precision    TEXT CHECK (precision IN ('day', 'month')),
    situation    TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX observations_case ON observations (case_id);

-- Changes to cases after their creation: append-only, who / when / what.
CREATE TABLE case_changes (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    version     INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    import_id   INTEGER REFERENCES imports (id),
    -- For updates: JSON {"field": ["old", "new"]}; the text of notes is never copied here.
    changes     TEXT
);
CREATE INDEX case_changes_case ON case_changes (case_id, version);

CREATE TRIGGER case_changes_append_only_update BEFORE UPDATE ON case_changes
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
CREATE TRIGGER case_changes_append_only_delete BEFORE DELETE ON case_changes
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
