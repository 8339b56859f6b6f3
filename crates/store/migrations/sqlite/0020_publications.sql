-- dakwacht schema (sqlite): the figures of every publication bundle, kept as published. A case
-- erased later (AVG art. 17) no longer counts in new figures, but what was handed on can still
-- be shown exactly: its figures are here, not recomputed. Aggregates only, after disclosure
-- control: no case data. Never changed; the audit line of each names its SHA-256.
CREATE TABLE publications (
    id              INTEGER PRIMARY KEY,
    made_at         TEXT NOT NULL,
    made_by         TEXT NOT NULL,
    organisation    TEXT,
    scope           TEXT NOT NULL,
    figures         TEXT NOT NULL,   -- cijfers.json, as in the bundle
    figures_sha256  TEXT NOT NULL
);
