-- dakwacht schema, version 13 (PostgreSQL): the letters made for a case, as in SQLite
-- (migrations/sqlite/0017_letters.sql, which explains it).
CREATE TABLE case_letters (
    id        BIGSERIAL PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    letter    TEXT NOT NULL,
    format    TEXT NOT NULL CHECK (format IN ('pdf', 'docx')),
    made_at   TEXT NOT NULL,
    made_by   TEXT NOT NULL,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX case_letters_case ON case_letters (case_id);

CREATE FUNCTION case_letters_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the letters made for a case are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_letters_append_only_update BEFORE UPDATE ON case_letters
FOR EACH ROW EXECUTE FUNCTION case_letters_append_only();
