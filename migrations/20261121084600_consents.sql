-- Open Finance Account-on-File consents (Lean §6.5) and the payments made against them.
-- Amounts are minor units (hundredths) in BIGINT, never floats. Timestamps are RFC 3339 TEXT.

-- One row per consent this app created, keyed by Lean's consent id. The status follows Lean's
-- `consent.status.updated` webhook (AWAITING_AUTHORISATION, AUTHORISED, REVOKED, EXPIRED, ...).
CREATE TABLE consents (
    id                   TEXT PRIMARY KEY,
    user_id              TEXT NOT NULL REFERENCES users(id),
    customer_id          TEXT NOT NULL,
    status               TEXT NOT NULL,
    destination_id       TEXT NOT NULL,
    destination_name     TEXT,
    currency             TEXT NOT NULL,
    reference            TEXT NOT NULL,
    purpose              TEXT NOT NULL,
    period_type          TEXT NOT NULL,
    max_individual_minor BIGINT,
    max_period_minor     BIGINT,
    max_period_payments  BIGINT,
    max_total_minor      BIGINT,
    max_payments         BIGINT,
    expires_at           TEXT NOT NULL,
    bank_identifier      TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX consents_by_user ON consents (user_id);

-- A payment attempt against a consent, stored BEFORE Lean is called: its idempotency_key is what the
-- POST carries, so a retry or a double click repeats the same request and Lean makes one payment.
-- status: SENDING (no answer from Lean yet), SENT (Lean gave payment_id), REFUSED (error_code).
CREATE TABLE consent_payment_attempts (
    id              TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    user_id         TEXT NOT NULL REFERENCES users(id),
    consent_id      TEXT NOT NULL,
    amount_minor    BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL,
    payment_id      TEXT,
    error_code      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX consent_payment_attempts_by_consent ON consent_payment_attempts (consent_id);

-- The AoF payments Lean reports (the POST's answer and `payment.created` / `payment.updated`),
-- keyed by Lean's payment id. Kept apart from the attempts so a webhook that arrives before the
-- POST's answer is stored, not lost.
CREATE TABLE consent_payments (
    id           TEXT PRIMARY KEY,
    consent_id   TEXT NOT NULL,
    status       TEXT NOT NULL,
    amount_minor BIGINT,
    currency     TEXT,
    failure_code TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX consent_payments_by_consent ON consent_payments (consent_id);
