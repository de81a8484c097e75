-- One schema for SQLite and PostgreSQL: only portable types (TEXT, BIGINT), ids are UUID strings,
-- times are RFC 3339 UTC strings (they sort correctly as text).

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- tower-sessions records (JSON), so sign-ins survive restarts and work across instances.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- One Lean customer per user (Lean: "a Customer maps 1:1 to a user in your database").
CREATE TABLE customers (
    user_id     TEXT PRIMARY KEY REFERENCES users(id),
    customer_id TEXT NOT NULL UNIQUE,
    app_user_id TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- Bank connections, as the webhooks describe them.
CREATE TABLE entities (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL,
    bank_identifier  TEXT NOT NULL,
    bank_name        TEXT NOT NULL,
    bank_logo        TEXT,
    main_color       TEXT,
    background_color TEXT,
    permissions      TEXT NOT NULL,
    status           TEXT NOT NULL,
    refresh_status   TEXT,
    reconnect_id     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX entities_by_customer ON entities (customer_id);

-- Every Link SDK callback, so support can quote lean_correlation_id.
CREATE TABLE flow_attempts (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id),
    method              TEXT NOT NULL,
    status              TEXT NOT NULL,
    secondary_status    TEXT,
    message             TEXT,
    exit_point          TEXT,
    lean_correlation_id TEXT,
    bank_identifier     TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX flow_attempts_by_user ON flow_attempts (user_id, created_at);

-- Inbound webhooks, stored before the 200 goes out. event_id is Lean's idempotency key.
CREATE TABLE webhook_events (
    event_id     TEXT PRIMARY KEY,
    event_type   TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    processed_at TEXT,
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX webhook_events_by_status ON webhook_events (status, received_at);

-- Outbound calls to Lean (never tokens or bodies), for the developer console.
CREATE TABLE lean_api_calls (
    id         TEXT PRIMARY KEY,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     BIGINT,
    latency_ms BIGINT NOT NULL,
    results_id TEXT,
    created_at TEXT NOT NULL
);

-- What each user's live stream carried; seq is per user and is the SSE id used for resume.
CREATE TABLE live_events (
    user_id    TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, seq)
);
