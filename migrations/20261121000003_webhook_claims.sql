-- Several instances share one database: an event is applied by whichever instance claims it first.
ALTER TABLE webhook_events ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_events ADD COLUMN claimed_at TEXT;
