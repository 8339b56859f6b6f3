-- dakwacht schema, version 3 (PostgreSQL): activation links and a coordinator's approval, as in
-- SQLite (migrations/sqlite/0005_activation.sql, which explains them).
ALTER TABLE users ADD COLUMN approval TEXT NOT NULL DEFAULT 'not_needed'
    CHECK (approval IN ('not_needed', 'pending', 'approved', 'rejected'));

CREATE TABLE activation_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX activation_links_user ON activation_links (user_id);
