-- Bulk payments (Lean's bulk payment intents): each child intent keeps the bulk it belongs to, so the
-- payments page can offer to pay them together (`Lean.pay` with `bulk_payment_intent_id`).
ALTER TABLE payment_intents ADD COLUMN bulk_id TEXT;
CREATE INDEX payment_intents_by_bulk ON payment_intents (bulk_id);
