-- dakwacht schema, version 3 (SQLite): web sessions.
-- The browser holds a random token; the database holds only its SHA-256, so a copy of the database
-- does not let anyone sign in as somebody else.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
