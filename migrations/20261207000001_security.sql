-- Sessions are stored under the SHA-256 of their id from now on (server/db/sessions.rs). Rows written
-- before hold the id itself, which a leaked table would turn into a usable cookie: drop them (everyone
-- signs in once more).
DELETE FROM sessions;

-- Whom each outbound Lean call and inbound webhook concerns, so the developer console shows each user
-- their own. NULL: app-wide (token requests, bank availability), shown to admins only.
ALTER TABLE lean_api_calls ADD COLUMN user_id TEXT;
CREATE INDEX lean_api_calls_by_user ON lean_api_calls (user_id, created_at);
ALTER TABLE webhook_events ADD COLUMN customer_id TEXT;
CREATE INDEX webhook_events_by_customer ON webhook_events (customer_id, received_at);
