-- One schema for SQLite and PostgreSQL: TEXT ids and BIGINT unix seconds mean the same in both,
-- and times are written by the database's own clock (the store's NOW), never by a process.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE factors (
    sid TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    friendly_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE login_attempts (
    challenge_sid TEXT PRIMARY KEY,
    -- what the browser polls with: random, unlike the SID, which the phone sees too
    poll_id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- pending, approved, denied, or consumed (approved and turned into a session, once)
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE webhook_events (
    uuid TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
