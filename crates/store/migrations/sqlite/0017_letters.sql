-- dakwacht schema, version 17 (SQLite): the letters made for a case (spec/rights-and-letters.md,
-- "Letters"). Which letter, in which format, when and by whom is the case's history; the text
-- (subject and body as the writer left them, names and addresses included) is kept with it for
-- the case's own organisation only, and never leaves it: not in exports, figures or the audit log.
-- Append-only: a letter made stays made; the retention period deletes it with its case.
CREATE TABLE case_letters (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    letter    TEXT NOT NULL,
    format    TEXT NOT NULL CHECK (format IN ('pdf', 'docx')),
    made_at   TEXT NOT NULL,
    made_by   TEXT NOT NULL,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX case_letters_case ON case_letters (case_id);

CREATE TRIGGER case_letters_append_only_update BEFORE UPDATE ON case_letters
BEGIN SELECT RAISE(ABORT, 'the letters made for a case are append-only'); END;
