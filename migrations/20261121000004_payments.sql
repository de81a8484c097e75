-- Payments (Lean §6): the intents this app created, and the payments Lean's webhooks report.
-- Amounts are minor units (hundredths) in BIGINT, never floats.

CREATE TABLE payment_intents (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id),
    customer_id      TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    destination_id   TEXT,
    destination_name TEXT,
    description      TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX payment_intents_by_user ON payment_intents (user_id);

-- Keyed by Lean's payment id; an intent may have several (a failed payment can be retried).
CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    intent_id    TEXT NOT NULL,
    customer_id  TEXT,
    status       TEXT NOT NULL,
    amount_minor BIGINT,
    currency     TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX payments_by_intent ON payments (intent_id);
