-- dakwacht schema, version 2 (PostgreSQL): a session is either a browser's (cookie) or an API
-- client's (bearer token), and one kind's token never opens the other: a stolen cookie value is no
-- API token, and an API token is not a browser session (which would skip the form's CSRF token).
-- Sessions made before this version cannot be told apart, so they end: everyone signs in again.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'web' CHECK (kind IN ('web', 'api'));
