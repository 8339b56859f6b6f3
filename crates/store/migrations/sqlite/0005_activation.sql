-- dakwacht schema, version 5 (SQLite): activation links and a coordinator's approval.
--
-- An account made in the browser gets no password from whoever makes it: its password_hash is
-- empty (which no password matches) until its user sets one through a one-time activation link.
-- Accounts that exist keep their password. An account with case access that an administrator
-- makes in an organisation with a coordinator waits for that coordinator's approval
-- ('pending'); a rejected one is disabled as well.
ALTER TABLE users ADD COLUMN approval TEXT NOT NULL DEFAULT 'not_needed'
    CHECK (approval IN ('not_needed', 'pending', 'approved', 'rejected'));

-- The link holds a random token; the database keeps only its SHA-256 (as for sessions), so a copy
-- of the database does not let anyone activate an account. A used link is kept (used_at) so that
-- opening it again says it was used.
CREATE TABLE activation_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX activation_links_user ON activation_links (user_id);
