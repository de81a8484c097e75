-- Lean's asynchronous data answers (REFERENCE §5.1, §5.2): a data call that answers PENDING carries a
-- results_id; Lean later sends `results.ready` and the results are fetched from
-- GET /data/v2/results/{results_id}. One row per results_id: which entity and call it answers, and,
-- once fetched, Lean's envelope (so the page shows the data without asking the bank again).
CREATE TABLE data_results (
    results_id TEXT PRIMARY KEY,
    entity_id  TEXT NOT NULL,
    -- The data call that answered PENDING (path and query), which says the kind of data.
    call_path  TEXT NOT NULL,
    -- pending | ready
    status     TEXT NOT NULL,
    envelope   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX data_results_by_call ON data_results (entity_id, call_path);
