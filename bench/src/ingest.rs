//! Webhook ingest: signed, verified, durably stored, deduplicated webhooks per second, beside a bare
//! axum handler that only answers 200, both driven by wrk from another core (see `wrk`); then kill -9
//! in the middle of a flood and count what survived.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use sqlx::Row;

use crate::app::{signed_up_user, App, Build, WEBHOOK_SECRET};
use crate::load::closed_loop;
use crate::webhook::{entity_created, post};
use crate::wrk::{self, Cores, Pool, Run};
use crate::Plan;

pub struct Ingest {
    /// Each round's runs: the bare handler's, then the app's right after it.
    pub rounds: Vec<(Run, Run)>,
    /// Webhooks answered 200, including those in flight when the server was killed.
    pub acknowledged: usize,
    /// Of those, how many were in the database after kill -9.
    pub survived: usize,
}

impl Ingest {
    /// The app's rate as a percentage of the bare handler's, per round.
    pub fn ratios(&self) -> Vec<f64> {
        self.rounds.iter().map(|(bare, app)| 100.0 * app.per_second() / bare.per_second()).collect()
    }

    /// The round with the median ratio: the figure quoted, with its two runs.
    pub fn median(&self) -> (f64, &Run, &Run) {
        let ratios = self.ratios();
        let mut order: Vec<usize> = (0..ratios.len()).collect();
        order.sort_by(|a, b| ratios[*a].total_cmp(&ratios[*b]));
        let i = order[order.len() / 2];
        (ratios[i], &self.rounds[i].0, &self.rounds[i].1)
    }
}

/// What every ingest run shares: where the bare handler listens and its process, the cores, and the
/// bare handler's requests (it ignores bodies, so one pool serves every run).
pub struct Bench<'a> {
    pub build: &'a Build,
    pub plan: &'a Plan,
    pub cores: Cores,
    pub bare_url: &'a str,
    pub bare_pid: u32,
    pub bare_pool: &'a Pool,
    pub dir: &'a std::path::Path,
}

/// wrk against a server that only answers: the generator's own ceiling (see `wrk::serve_canned`).
pub async fn ceiling(b: &Bench<'_>, canned_url: &str, canned_pid: u32) -> Result<Run> {
    let (plan, cores) = (b.plan, b.cores);
    wrk::run(canned_url, b.bare_pool, false, plan.wrk_connections, plan.warmup, cores, canned_pid).await?;
    wrk::run(canned_url, b.bare_pool, false, plan.wrk_connections, plan.duration, cores, canned_pid).await
}

/// `plan.ingest_rounds` rounds, each with an app started afresh (on SQLite, a new database): the bare
/// handler is loaded, then the app, then the app is killed with -9 during a last flood and the
/// acknowledged webhooks are looked for in its database. Each round pairs two measurements taken
/// seconds apart, so a change in the machine's speed over the run touches both sides of its ratio,
/// and no round starts behind the previous one's backlog.
/// `postgres`: the server to make each round's database on (a fresh one per round, as on SQLite: a
/// database shared by the rounds left each new app a backlog from the last round's flood, and its
/// worker applied it during the next bare run, on the bare handler's core). None: SQLite.
pub async fn app(b: &Bench<'_>, postgres: Option<&str>) -> Result<Ingest> {
    let mut ingest = Ingest { rounds: Vec::new(), acknowledged: 0, survived: 0 };
    for n in 0..b.plan.ingest_rounds.max(1) {
        let database_url = match postgres {
            Some(base) => Some(fresh_postgres(base).await.context("a fresh PostgreSQL database")?),
            None => None,
        };
        let outcome = round(b, database_url.as_deref(), n).await;
        if let (Some(base), Some(url)) = (postgres, &database_url) {
            drop_postgres(base, url).await;
        }
        let (bare_run, app_run, acknowledged, survived) = outcome?;
        eprintln!(
            "bench:   round {}: bare {:.0}/s, app {:.0}/s (p99 {:.1} ms) = {:.1} %",
            n + 1,
            bare_run.per_second(),
            app_run.per_second(),
            app_run.p99_ms(),
            100.0 * app_run.per_second() / bare_run.per_second()
        );
        ingest.rounds.push((bare_run, app_run));
        ingest.acknowledged += acknowledged;
        ingest.survived += survived;
    }
    Ok(ingest)
}

async fn round(b: &Bench<'_>, database_url: Option<&str>, n: usize) -> Result<(Run, Run, usize, usize)> {
    let (plan, cores) = (b.plan, b.cores);
    let dir = tempfile::tempdir()?;
    let app = App::start(b.build, dir.path(), database_url).await?;
    // A user of its own per round: on PostgreSQL the rounds share one database.
    let email = format!("ingest+{}@example.com", uuid::Uuid::new_v4().simple());
    let (_, customer) = signed_up_user(&app, &email).await?;
    let host = app.url.trim_start_matches("http://").to_owned();

    let conns = plan.wrk_connections;
    wrk::settle().await;
    wrk::run(b.bare_url, b.bare_pool, false, conns, plan.warmup, cores, b.bare_pid).await?;
    let bare_run = wrk::run(b.bare_url, b.bare_pool, false, conns, plan.duration, cores, b.bare_pid).await?;

    // Distinct webhooks for the app: enough for the warm-up at the bare handler's pace, then, sized
    // by the warm-up's own pace, enough for the run with room to spare.
    let tag = format!("r{n}-{}", uuid::Uuid::new_v4().simple());
    let secs = |d: Duration| d.as_secs_f64().max(1.0);
    let warm_count = (bare_run.per_second() * secs(plan.warmup)) as usize + 1000;
    let warm_pool = Pool::write(b.dir, &format!("{tag}-warm"), warm_count, &host, WEBHOOK_SECRET, &customer)?;
    wrk::settle().await;
    let warm = wrk::run(&app.url, &warm_pool, true, conns, plan.warmup, cores, app.pid).await?;
    drop(warm_pool);
    let count = (warm.per_second() * 2.0 * secs(plan.duration)) as usize + 5000;
    let pool = Pool::write(b.dir, &tag, count, &host, WEBHOOK_SECRET, &customer)?;
    let app_run = wrk::run(&app.url, &pool, true, conns, plan.duration, cores, app.pid).await?;
    drop(pool);

    // A flood whose every answer is tracked, and kill -9 while it is in full swing.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let client = reqwest::Client::new();
    let send = {
        let (url, acked) = (app.url.clone(), acked.clone());
        move |_| {
            let (client, url, acked, customer) =
                (client.clone(), url.clone(), acked.clone(), customer.clone());
            async move {
                let event_id = uuid::Uuid::new_v4().to_string();
                let entity_id = uuid::Uuid::new_v4().to_string();
                let ok =
                    post(&client, &url, WEBHOOK_SECRET, entity_created(&event_id, &entity_id, &customer))
                        .await;
                if ok {
                    acked.lock().unwrap().push(event_id);
                }
                ok
            }
        }
    };
    let flood = tokio::spawn(closed_loop(plan.concurrency, Duration::ZERO, Duration::from_secs(2), send));
    tokio::time::sleep(Duration::from_millis(700)).await;
    let database_url = app.database_url.clone();
    app.kill9().await?;
    let _ = flood.await;

    let acknowledged: Vec<String> = acked.lock().unwrap().clone();
    let stored = stored_event_ids(&database_url).await?;
    let survived = acknowledged.iter().filter(|id| stored.contains(*id)).count();
    Ok((bare_run, app_run, acknowledged.len(), survived))
}

async fn stored_event_ids(database_url: &str) -> Result<HashSet<String>> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database_url).await?;
    let rows = sqlx::query("SELECT event_id FROM webhook_events").fetch_all(&pool).await?;
    pool.close().await;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// A fresh PostgreSQL database for one run, or None when no server answers on 127.0.0.1:5432.
pub async fn fresh_postgres(base: &str) -> Option<String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(base).await.ok()?;
    let name = format!("lm_bench_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.ok()?;
    let (prefix, _) = base.rsplit_once('/')?;
    Some(format!("{prefix}/{name}"))
}

pub async fn drop_postgres(base: &str, url: &str) {
    use sqlx::Connection;
    let Some((_, name)) = url.rsplit_once('/') else { return };
    if let Ok(mut conn) = sqlx::AnyConnection::connect(base).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            .execute(&mut conn)
            .await;
    }
}
