//! Database access. One portable schema (see `migrations/`) served through sqlx's `Any` driver, so the
//! same queries run on SQLite (the default) and PostgreSQL. Queries use `$n` placeholders, which both
//! backends accept.

pub mod app_meta;
pub mod consents;
pub mod customers;
pub mod data_results;
pub mod entities;
pub mod flow_attempts;
pub mod lean_api_calls;
pub mod live_events;
pub mod payments;
pub mod profiles;
pub mod sessions;
pub mod users;
pub mod webhook_events;

use std::path::Path;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

pub type Db = AnyPool;

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

/// Opens the pool, creating the SQLite file's folder if needed, and applies migrations.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    if sqlite {
        if let Some(parent) = sqlite_file(url).and_then(|p| p.parent().map(Path::to_path_buf)) {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(&parent)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
            }
        }
    }
    let pool = AnyPoolOptions::new()
        // One of them is the webhook inbox's for good (see `webhooks::inbox`).
        .max_connections(if sqlite { 5 } else { 11 })
        // A ping before every query is a round trip to SQLite's connection thread, and an open file
        // does not go stale the way a network connection can.
        .test_before_acquire(!sqlite)
        .connect(url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database at DATABASE_URL: {e}"))?;
    if sqlite {
        // WAL lets the SSE readers and the webhook writer work at the same time.
        sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
    }
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// A second, small pool for the webhook worker, whose commits skip the disk flush (SQLite
/// `synchronous=NORMAL` in WAL mode, PostgreSQL `synchronous_commit=off`). That is safe for what the
/// worker writes because all of it follows from webhooks already stored with a flush: a crash of the
/// process loses nothing either way, and a power cut can only lose the newest commits, in order. The
/// events whose results went missing are then still marked unapplied and the worker applies them again.
/// With a flush per commit the worker managed about 200 events a second and fell behind the
/// webhooks it was meant to turn into live updates.
/// An in-memory SQLite database exists once per connection, so there it is the main pool.
pub async fn connect_background(url: &str, main: &Db) -> anyhow::Result<Db> {
    if url.starts_with("sqlite:") && sqlite_file(url).is_none() {
        return Ok(main.clone());
    }
    let relax = if url.starts_with("sqlite:") {
        "PRAGMA synchronous = NORMAL"
    } else {
        "SET synchronous_commit = off"
    };
    AnyPoolOptions::new()
        .max_connections(2)
        .test_before_acquire(!url.starts_with("sqlite:"))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(conn, relax).await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database at DATABASE_URL: {e}"))
}

fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| Path::new(path))
}
