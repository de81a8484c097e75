//! `make soak`: kill -9 the app in the middle of a flood of real, signed webhooks from a standalone
//! lean-sandbox, restart it on the same port and database, and count. Every webhook the killed
//! process acknowledged must be stored and applied once; every other one must be redelivered (or
//! caught up from `GET /events/v1`) and applied once. Prints a table, writes SOAK.md, and exits
//! non-zero when an invariant breaks.

mod proc;
mod tally;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use proc::{AppSpec, Proc};
use tally::{AppRows, Deliveries, Timings};

struct Options {
    events: usize,
    kill_after: usize,
    retry_scale: f64,
    down: Duration,
    app_bin: PathBuf,
    sandbox_bin: PathBuf,
    site: PathBuf,
    out: String,
    postgres: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
        let number = |flag: &str, default: f64| -> Result<f64> {
            value(flag).map_or(Ok(default), |v| v.parse().with_context(|| format!("{flag} must be a number")))
        };
        let events = number("--events", 10_000.0)? as usize;
        let options = Options {
            events,
            kill_after: number("--kill-after", (events * 3 / 10) as f64)? as usize,
            // Lean's 1, 2, 5, 10, 60, 180 minutes become 0.3, 0.6, 1.5, 3, 18, 54 s: redelivery
            // within seconds of the restart, and 77 s of retries before an event would be given up.
            retry_scale: number("--retry-scale", 0.005)?,
            down: Duration::from_millis(number("--down-ms", 1000.0)? as u64),
            app_bin: value("--bin").unwrap_or_else(|| "target/release/lean-merchant".into()).into(),
            sandbox_bin: value("--sandbox-bin")
                .unwrap_or_else(|| "target/release/lean-sandbox".into())
                .into(),
            site: value("--site").unwrap_or_else(|| "target/site".into()).into(),
            out: value("--out").unwrap_or_else(|| "SOAK.md".into()),
            postgres: args.iter().any(|a| a == "--postgres"),
        };
        anyhow::ensure!(options.events > 0, "--events must be at least 1");
        anyhow::ensure!(options.kill_after < options.events, "--kill-after must be below --events");
        Ok(options)
    }
}

pub async fn main(args: &[String]) -> Result<()> {
    let mut opts = Options::parse(args)?;
    for (bin, how) in [
        (&mut opts.app_bin, "cargo leptos build --release"),
        (&mut opts.sandbox_bin, "cargo build --release -p lean-sandbox"),
    ] {
        *bin = std::fs::canonicalize(&*bin)
            .with_context(|| format!("{} not found: run `{how}`", bin.display()))?;
    }
    // The site only serves pages; the soak needs none, so a missing one is not fatal.
    opts.site = std::fs::canonicalize(&opts.site).unwrap_or_else(|_| opts.site.clone());

    let dir = tempfile::tempdir()?;
    let pg = if opts.postgres {
        Some(crate::ingest::fresh_postgres(crate::PG_BASE).await.context("PostgreSQL on 127.0.0.1:5432")?)
    } else {
        None
    };
    let result = run(&opts, dir.path(), pg.as_deref()).await;
    if let Some(url) = &pg {
        crate::ingest::drop_postgres(crate::PG_BASE, url).await;
    }
    let report = result?;
    let text = report.render(&opts_summary(&opts, pg.is_some()));
    println!("{text}");
    std::fs::write(&opts.out, &text).with_context(|| format!("write {}", opts.out))?;
    eprintln!("soak: written to {}", opts.out);
    let broken = report.broken();
    if !broken.is_empty() {
        bail!("soak invariants broken:\n- {}", broken.join("\n- "));
    }
    Ok(())
}

fn opts_summary(opts: &Options, postgres: bool) -> String {
    format!(
        "{} `entity.created` webhooks; the app killed with SIGKILL once the sandbox had {} \
         acknowledgements, down {} ms, restarted on the same port and {} database; the sandbox retries \
         on Lean's schedule × {}.",
        opts.events,
        opts.kill_after,
        opts.down.as_millis(),
        if postgres { "PostgreSQL" } else { "SQLite" },
        opts.retry_scale,
    )
}

async fn run(opts: &Options, dir: &std::path::Path, pg: Option<&str>) -> Result<tally::Report> {
    let began = Instant::now();
    let port = proc::free_port()?;
    let webhook_url = format!("http://127.0.0.1:{port}/webhooks/lean");
    let state_path = dir.join("sandbox.json");
    let sandbox = proc::sandbox(&opts.sandbox_bin, &state_path, &webhook_url, opts.retry_scale).await?;
    let sb = sandbox.url.clone();
    let spec = AppSpec {
        bin: opts.app_bin.clone(),
        site: opts.site.clone(),
        port,
        data_dir: dir.to_path_buf(),
        database_url: pg
            .map(str::to_owned)
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.join("lean-merchant.db").display())),
        sandbox_url: sb.clone(),
    };
    let http = reqwest::Client::new();

    eprintln!("soak: sandbox on {sb}, app on 127.0.0.1:{port}");
    let app = proc::app(&spec).await?;
    let customer = signed_up_customer(&app.url).await.with_context(|| app.logs())?;

    eprintln!("soak: flooding {} webhooks for customer {customer}", opts.events);
    let flood_started = Instant::now();
    let flood: Value = http
        .post(format!("{sb}/sandbox/scenarios/webhook-flood"))
        .json(&json!({"customer_id": customer, "count": opts.events}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let emitted: HashMap<String, String> = flood["events"]
        .as_array()
        .context("flood answer has no events")?
        .iter()
        .filter_map(|e| Some((e["event_id"].as_str()?.to_owned(), e["entity_id"].as_str()?.to_owned())))
        .collect();
    anyhow::ensure!(emitted.len() == opts.events, "the sandbox emitted {} events", emitted.len());

    // Kill -9 once the sandbox has seen enough 200s.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let s = summary(&http, &sb).await?;
        if s["delivered"].as_u64().unwrap_or(0) as usize >= opts.kill_after {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "only {} of {} webhooks acknowledged after 120 s:\n{}",
                s["delivered"],
                opts.kill_after,
                app.logs()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let killed_after = flood_started.elapsed();
    app.kill9().await?;
    let killed_at = Utc::now();
    let at_kill = summary(&http, &sandbox.url).await?;
    eprintln!("soak: killed after {} acknowledgements; sandbox: {at_kill}", at_kill["delivered"]);
    let db_at_kill = tally::status_counts(&spec.database_url).await?;

    tokio::time::sleep(opts.down).await;
    let restarted_at = Utc::now();
    let restart_began = Instant::now();
    let app = proc::app(&spec).await?;
    let restart_took = restart_began.elapsed();
    eprintln!(
        "soak: restarted in {} ms; waiting for every webhook to be delivered",
        restart_took.as_millis()
    );

    let delivered_in = wait_delivered(&http, &sb, opts.events, &sandbox, &app).await?;
    eprintln!(
        "soak: all delivered {:.1} s after the restart; waiting for the app to apply them",
        delivered_in.as_secs_f64()
    );
    let applied_in = tally::wait_applied(&spec.database_url, &emitted, restart_began).await?;

    let deliveries = Deliveries::fetch(&http, &sb, &emitted).await?;
    let rows = AppRows::read(&spec.database_url, &customer).await?;
    app.stop().await.context("stopping the app")?;
    sandbox.stop().await.context("stopping the sandbox")?;
    let on_disk = tally::delivered_on_disk(&state_path, &emitted)?;
    let state_bytes = std::fs::metadata(&state_path).map(|m| m.len()).unwrap_or(0);

    Ok(tally::Report::new(
        &emitted,
        &deliveries,
        &rows,
        tally::AtKill { sandbox: at_kill, db: db_at_kill, killed_at, restarted_at },
        on_disk,
        state_bytes,
        Timings {
            killed_after,
            down: opts.down,
            restart: restart_took,
            delivered_in,
            applied_in,
            total: began.elapsed(),
        },
    ))
}

async fn summary(http: &reqwest::Client, sb: &str) -> Result<Value> {
    Ok(http.get(format!("{sb}/sandbox/deliveries/summary")).send().await?.error_for_status()?.json().await?)
}

/// Until the sandbox has a 200 for every event (none pending, none given up).
async fn wait_delivered(
    http: &reqwest::Client,
    sb: &str,
    events: usize,
    sandbox: &Proc,
    app: &Proc,
) -> Result<Duration> {
    let began = Instant::now();
    loop {
        let s = summary(http, sb).await?;
        if s["delivered"].as_u64().unwrap_or(0) as usize >= events {
            return Ok(began.elapsed());
        }
        if s["failed"].as_u64().unwrap_or(0) > 0 || began.elapsed() > Duration::from_secs(180) {
            bail!(
                "deliveries did not finish: {s}\n--- app ---\n{}\n--- sandbox ---\n{}",
                app.logs(),
                sandbox.logs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs up through the app's own server functions, as a browser would; the app creates the Lean
/// customer at sign-up.
async fn signed_up_customer(app_url: &str) -> Result<String> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let res = client
        .post(format!("{app_url}/api/sign_up"))
        .form(&[("email", "soak@example.com"), ("password", "correct horse battery")])
        .send()
        .await?;
    if res.status().as_u16() >= 400 {
        bail!("sign up failed: {}", res.text().await.unwrap_or_default());
    }
    let user: Value = client.post(format!("{app_url}/api/current_user")).send().await?.json().await?;
    match user["customer_id"].as_str() {
        Some(c) => Ok(c.to_owned()),
        None => bail!("the app did not create a Lean customer at sign-up: {user}"),
    }
}

/// RFC 3339 as the app and the sandbox write it.
fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc))
}
