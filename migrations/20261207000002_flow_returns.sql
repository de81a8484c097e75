-- The whole Link SDK callback, as the browser reported it (bounded field by field before it is
-- stored), so the history keeps what the columns above leave out: bank.is_supported,
-- last_api_response, open_banking_redirect_url.
ALTER TABLE flow_attempts ADD COLUMN callback TEXT;

-- The bank a person wanted when they told Lean "my bank is not listed" (bank.is_supported false),
-- as they typed it afterwards (bounded).
ALTER TABLE flow_attempts ADD COLUMN wanted_bank TEXT;

-- An Open Finance return (checkout, authorizeConsent) is handled once: its key is Lean's
-- consent_attempt_id, else the return URL's own parameters. A revisit finds the outcome by it.
ALTER TABLE flow_attempts ADD COLUMN return_key TEXT;
CREATE UNIQUE INDEX flow_attempts_by_return ON flow_attempts (user_id, return_key);
