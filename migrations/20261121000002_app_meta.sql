-- Small named values the app keeps between runs (e.g. how far webhook catch-up has read).
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
