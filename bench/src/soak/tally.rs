//! What the sandbox and the app's database say after a soak run, the invariants between them, and
//! the table that reports them.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::Row;

use super::parse_time;

/// The app gives a claimed event to another worker after this long (`CLAIM_TIMEOUT_SECS` in
/// src/server/db/webhook_events.rs); an event the killed process was applying waits that out.
const APP_CLAIM_TIMEOUT: Duration = Duration::from_secs(300);

async fn pool(database_url: &str) -> Result<sqlx::AnyPool> {
    sqlx::any::install_default_drivers();
    Ok(sqlx::AnyPool::connect(database_url).await?)
}

/// `webhook_events` rows by status.
pub async fn status_counts(database_url: &str) -> Result<HashMap<String, usize>> {
    let pool = pool(database_url).await?;
    let rows =
        sqlx::query("SELECT status, COUNT(*) FROM webhook_events GROUP BY status").fetch_all(&pool).await?;
    pool.close().await;
    Ok(rows.iter().map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1) as usize)).collect())
}

/// Waits until every flood event is stored and processed (or failed, which the report flags), and
/// returns how long after the restart that was.
pub async fn wait_applied(
    database_url: &str,
    emitted: &HashMap<String, String>,
    restart: Instant,
) -> Result<Duration> {
    let deadline = restart + APP_CLAIM_TIMEOUT + Duration::from_secs(90);
    let mut told = false;
    loop {
        let counts = status_counts(database_url).await?;
        let get = |s: &str| counts.get(s).copied().unwrap_or(0);
        let total: usize = counts.values().sum();
        if (total >= emitted.len() && get("processed") + get("failed") >= total) || Instant::now() > deadline
        {
            return Ok(restart.elapsed());
        }
        if !told && get("received") == 0 && get("processing") > 0 && total >= emitted.len() {
            eprintln!(
                "soak: {} event(s) still claimed by the killed process; the app takes them over once its \
                 {} s claim timeout has passed",
                get("processing"),
                APP_CLAIM_TIMEOUT.as_secs()
            );
            told = true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The sandbox's record of one flood event.
pub struct Delivery {
    pub body: String,
    pub first_attempt: Option<DateTime<Utc>>,
    pub first_ok: Option<DateTime<Utc>>,
    /// Attempts that got no 200 before the first 200.
    pub failed_before_ok: usize,
    pub oks: usize,
    pub delivery: String,
}

pub struct Deliveries {
    pub by_event: HashMap<String, Delivery>,
    pub failed_attempts: usize,
}

impl Deliveries {
    pub async fn fetch(
        http: &reqwest::Client,
        sb: &str,
        emitted: &HashMap<String, String>,
    ) -> Result<Deliveries> {
        let all: Vec<Value> =
            http.get(format!("{sb}/sandbox/deliveries")).send().await?.error_for_status()?.json().await?;
        let mut by_event = HashMap::new();
        let mut failed_attempts = 0;
        for e in all {
            let Some(id) = e["event_id"].as_str().filter(|id| emitted.contains_key(*id)) else { continue };
            let attempts = e["attempts"].as_array().cloned().unwrap_or_default();
            let at = |a: &Value| a["at"].as_str().and_then(parse_time);
            let ok = |a: &Value| a["http_status"].as_u64() == Some(200);
            let first_ok = attempts.iter().position(ok);
            failed_attempts += attempts.iter().filter(|a| !ok(a)).count();
            by_event.insert(
                id.to_owned(),
                Delivery {
                    body: e["body"].as_str().unwrap_or_default().to_owned(),
                    first_attempt: attempts.first().and_then(at),
                    first_ok: first_ok.and_then(|i| at(&attempts[i])),
                    failed_before_ok: first_ok.unwrap_or(attempts.len()),
                    oks: attempts.iter().filter(|a| ok(a)).count(),
                    delivery: e["delivery"].as_str().unwrap_or_default().to_owned(),
                },
            );
        }
        Ok(Deliveries { by_event, failed_attempts })
    }
}

pub struct Stored {
    pub status: String,
    pub received_at: Option<DateTime<Utc>>,
    pub body: String,
}

/// The app's database after the run.
pub struct AppRows {
    pub events: HashMap<String, Stored>,
    /// `webhook_events` rows beyond the first for an event id (the primary key should make it 0).
    pub extra_event_rows: usize,
    /// The countable effect: `entities` rows of the soak customer, by id.
    pub entity_rows: HashMap<String, usize>,
}

impl AppRows {
    pub async fn read(database_url: &str, customer: &str) -> Result<AppRows> {
        let pool = pool(database_url).await?;
        let rows = sqlx::query("SELECT event_id, status, received_at, body FROM webhook_events")
            .fetch_all(&pool)
            .await
            .context("reading webhook_events")?;
        let mut events = HashMap::new();
        let mut extra_event_rows = 0;
        for r in &rows {
            let stored =
                Stored { status: r.get(1), received_at: parse_time(&r.get::<String, _>(2)), body: r.get(3) };
            if events.insert(r.get::<String, _>(0), stored).is_some() {
                extra_event_rows += 1;
            }
        }
        let rows = sqlx::query("SELECT id FROM entities WHERE customer_id = $1")
            .bind(customer)
            .fetch_all(&pool)
            .await
            .context("reading entities")?;
        let mut entity_rows: HashMap<String, usize> = HashMap::new();
        for r in &rows {
            *entity_rows.entry(r.get(0)).or_default() += 1;
        }
        pool.close().await;
        Ok(AppRows { events, extra_event_rows, entity_rows })
    }
}

/// Flood events marked `DELIVERED` in the sandbox's state file after it stopped.
pub fn delivered_on_disk(state: &Path, emitted: &HashMap<String, String>) -> Result<usize> {
    let raw: Value = serde_json::from_slice(&std::fs::read(state)?).context("sandbox state is not JSON")?;
    Ok(raw["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter(|e| e["event_id"].as_str().is_some_and(|id| emitted.contains_key(id)))
                .filter(|e| e["delivery"] == "DELIVERED")
                .count()
        })
        .unwrap_or(0))
}

pub struct AtKill {
    pub sandbox: Value,
    pub db: HashMap<String, usize>,
    pub killed_at: DateTime<Utc>,
    pub restarted_at: DateTime<Utc>,
}

pub struct Timings {
    pub killed_after: Duration,
    pub down: Duration,
    pub restart: Duration,
    pub delivered_in: Duration,
    pub applied_in: Duration,
    pub total: Duration,
}

/// The counts, each with the value it must have when it has one.
pub struct Report {
    rows: Vec<(String, usize, Option<usize>)>,
    timings: Timings,
    state_bytes: u64,
    at_kill_sandbox: Value,
}

impl Report {
    pub fn new(
        emitted: &HashMap<String, String>,
        d: &Deliveries,
        app: &AppRows,
        kill: AtKill,
        on_disk: usize,
        state_bytes: u64,
        timings: Timings,
    ) -> Report {
        let n = emitted.len();
        let before_restart = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t < kill.restarted_at);
        // A 200 the sandbox recorded before the new process was even spawned came from the killed one.
        let acked_by_killed: HashSet<&str> = d
            .by_event
            .iter()
            .filter(|(_, x)| before_restart(x.first_ok))
            .map(|(id, _)| id.as_str())
            .collect();
        let after: Vec<&Delivery> = d
            .by_event
            .iter()
            .filter(|(id, _)| !acked_by_killed.contains(id.as_str()))
            .map(|(_, x)| x)
            .collect();
        let acked_after = after.iter().filter(|x| x.first_ok.is_some()).count();
        let retried = after.iter().filter(|x| x.failed_before_ok > 0 && x.first_ok.is_some()).count();
        let first_sent_after = after.iter().filter(|x| !before_restart(x.first_attempt)).count();

        let stored_by_killed =
            |id: &str| app.events.get(id).and_then(|s| s.received_at).is_some_and(|t| t < kill.killed_at);
        let acked_not_stored = acked_by_killed.iter().filter(|id| !stored_by_killed(id)).count();
        let stored_unacked = emitted
            .keys()
            .filter(|id| stored_by_killed(id) && !acked_by_killed.contains(id.as_str()))
            .count();

        let stored: Vec<(&String, &Stored)> =
            emitted.keys().filter_map(|id| app.events.get(id).map(|s| (id, s))).collect();
        let via_webhook = stored
            .iter()
            .filter(|(id, s)| d.by_event.get(id.as_str()).is_some_and(|x| x.body == s.body))
            .count();
        let status = |want: &str| stored.iter().filter(|(_, s)| s.status == want).count();
        let applied = status("processed");
        let effect = emitted.values().filter(|entity| app.entity_rows.contains_key(*entity)).count();
        let flood_entities: HashSet<&String> = emitted.values().collect();
        let foreign_rows = app.entity_rows.keys().filter(|e| !flood_entities.contains(e)).count()
            + app.events.keys().filter(|id| !emitted.contains_key(*id)).count();
        let duplicates = app.extra_event_rows
            + app.entity_rows.values().map(|c| c - 1).sum::<usize>()
            + d.by_event.values().map(|x| x.oks.saturating_sub(1)).sum::<usize>();
        let missing = emitted
            .iter()
            .filter(|(id, entity)| {
                app.events.get(*id).is_none_or(|s| s.status != "processed")
                    || !app.entity_rows.contains_key(*entity)
            })
            .count();
        let sandbox_delivered = d.by_event.values().filter(|x| x.delivery == "DELIVERED").count();
        let count = |v: &Value| v.as_u64().unwrap_or(0) as usize;

        let rows = vec![
            ("emitted by the sandbox (signed `entity.created`, one new entity each)".into(), n, None),
            ("acknowledged (200) by the killed process".into(), acked_by_killed.len(), None),
            (
                "… of which stored by it (must be all)".into(),
                acked_by_killed.len() - acked_not_stored,
                Some(acked_by_killed.len()),
            ),
            (
                "stored by the killed process but not acknowledged (in flight at the kill)".into(),
                stored_unacked,
                None,
            ),
            (
                "being applied when killed (claimed; released at restart on SQLite, after the claim timeout on PostgreSQL)".into(),
                kill.db.get("processing").copied().unwrap_or(0),
                None,
            ),
            ("acknowledged after the restart".into(), acked_after, Some(n - acked_by_killed.len())),
            ("… redelivered after failed attempts".into(), retried, None),
            ("… first sent after the restart".into(), first_sent_after, None),
            ("failed delivery attempts (refused, reset, 5xx)".into(), d.failed_attempts, None),
            ("`DELIVERED` in the sandbox".into(), sandbox_delivered, Some(n)),
            ("`DELIVERED` in its state file after a graceful stop".into(), on_disk, Some(n)),
            ("stored in the app (`webhook_events`, one row per `event_id`)".into(), stored.len(), Some(n)),
            ("… stored from a webhook (the sandbox's exact bytes)".into(), via_webhook, None),
            ("… stored by catch-up (`GET /events/v1` at start)".into(), stored.len() - via_webhook, None),
            ("applied (`processed`)".into(), applied, Some(n)),
            ("`failed` in the app".into(), status("failed"), Some(0)),
            ("`entities` rows of the customer (the countable effect)".into(), effect, Some(n)),
            ("rows that belong to no flood event".into(), foreign_rows, Some(0)),
            ("duplicates (second rows, second 200s)".into(), duplicates, Some(0)),
            ("missing (not stored, not applied or no entity row)".into(), missing, Some(0)),
            (
                "sandbox: acknowledged when the kill was ordered".into(),
                count(&kill.sandbox["delivered"]),
                None,
            ),
        ];
        Report { rows, timings, state_bytes, at_kill_sandbox: kill.sandbox }
    }

    /// Every count that differs from the value it must have.
    pub fn broken(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|(what, got, want)| {
                want.filter(|w| w != got).map(|w| format!("{what}: {got}, must be {w}"))
            })
            .collect()
    }

    pub fn render(&self, setup: &str) -> String {
        let mut s = String::from("# Soak: kill -9 during a webhook flood\n\n");
        let _ = writeln!(
            s,
            "Measured by `make soak` on {}. {}\n",
            Utc::now().format("%Y-%m-%d %H:%M UTC"),
            crate::report::machine()
        );
        let _ = writeln!(s, "{setup}\n");
        s.push_str("| count | value | must be |\n|---|---:|---:|\n");
        for (what, got, want) in &self.rows {
            let want = want.map_or("—".to_owned(), |w| w.to_string());
            let _ = writeln!(s, "| {what} | {got} | {want} |");
        }
        let t = &self.timings;
        let secs = |d: Duration| {
            if d < Duration::from_secs(1) {
                format!("{} ms", d.as_millis())
            } else {
                format!("{:.1} s", d.as_secs_f64())
            }
        };
        s.push_str("\n| time | |\n|---|---:|\n");
        for (what, d) in [
            ("flood start → kill", t.killed_after),
            ("down (kill → restart)", t.down),
            ("restart → listening", t.restart),
            ("listening → every webhook acknowledged", t.delivered_in),
            ("restart → every event applied", t.applied_in),
            ("whole run", t.total),
        ] {
            let _ = writeln!(s, "| {what} | {} |", secs(d));
        }
        let broken = self.broken();
        let _ = writeln!(
            s,
            "\nSandbox state file at the end: {:.1} MB. Sandbox at the kill: {}.\n\n{}\n",
            self.state_bytes as f64 / 1e6,
            self.at_kill_sandbox,
            if broken.is_empty() {
                "Every invariant held.".to_owned()
            } else {
                format!("**Broken:** {}", broken.join("; "))
            }
        );
        s.push_str(
            "## How\n\n`make soak` builds the release app and the standalone `lean-sandbox`, then runs \
             `lean-bench soak`. The sandbox runs as its own process, and the app talks to it as to a remote \
             Lean (`LEAN_ENV=sandbox` with `LEAN_API_URL`, `LEAN_AUTH_URL` and `LEAN_LINK_LOADER_URL` pointing \
             at it), so the SIGKILL takes down the app alone. The flood is \
             `POST /sandbox/scenarios/webhook-flood`: real, signed webhooks on the sandbox's normal delivery \
             path with Lean's retry schedule (scaled). The counts come from the sandbox's delivery log and \
             from the app's database. A 200 recorded before the second process was spawned came from the killed \
             one.\n",
        );
        s
    }
}
