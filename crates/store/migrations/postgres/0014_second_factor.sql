-- dakwacht schema (postgres): a second factor (TOTP, from an authenticator app) with recovery codes,
-- sessions in stages (the password checked, the code still to come), and an inactivity timeout.

-- The TOTP seed of an account that enrolled (base32, 160 random bits), and the last time step a
-- code was accepted for: a code works once (ASVS 5.0, 6.5.1).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_since TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- An organisation can ask a second factor of its professionals too (coordinators and
-- administrators always need one).
ALTER TABLE organisations ADD COLUMN second_factor_for_professionals BOOLEAN NOT NULL DEFAULT FALSE;

-- Codes to sign in with when the phone is lost: shown once, kept as SHA-256 (120 random bits
-- each, so a plain hash suffices: ASVS 5.0, 6.5.2), each usable once.
CREATE TABLE recovery_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    made_at    TEXT NOT NULL,
    used_at    TEXT,
    UNIQUE (user_id, code_hash)
);

-- A session is 'signed_in' only once every factor is checked; before that it opens nothing but
-- the page that asks for the code ('second_factor') or sets one up ('enrolment'). A secret being
-- set up waits in the session, not in the account. last_seen_at ends a session left alone.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'signed_in'
    CHECK (stage IN ('signed_in', 'second_factor', 'enrolment'));
ALTER TABLE sessions ADD COLUMN pending_secret TEXT;
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
UPDATE sessions SET last_seen_at = created_at;
