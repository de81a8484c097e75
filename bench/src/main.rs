//! `make bench`: measures lean-merchant on this machine, side by side in one run, and prints a table
//! (also written to BENCHMARKS.md). `lean-bench bare` is the bare axum handler it compares against.
//! `lean-bench soak` (`make soak`) is the kill -9 webhook soak (see soak.rs; writes SOAK.md).

mod app;
mod ingest;
mod live;
mod load;
mod pages;
mod report;
mod sizes;
mod soak;
mod webhook;
mod wrk;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

/// How hard and how long to push. `--quick` is for checking the harness, not for quoting.
pub struct Plan {
    /// Connections of the reqwest generator (the kill -9 flood).
    pub concurrency: usize,
    /// Connections wrk keeps open for the ingest figures.
    pub wrk_connections: usize,
    pub page_concurrency: usize,
    pub warmup: Duration,
    pub duration: Duration,
    pub users: usize,
    pub sse_clients: usize,
    pub webhook_rate: usize,
    pub startups: usize,
    /// Ingest is measured in rounds, the bare handler and then the app in each (see `ingest::app`).
    pub ingest_rounds: usize,
}

impl Plan {
    fn full() -> Plan {
        Plan {
            concurrency: 32,
            wrk_connections: 64,
            page_concurrency: 16,
            warmup: Duration::from_secs(2),
            duration: Duration::from_secs(10),
            // 10 streams for each of 1,000 users: each webhook reaches 10 streams, more than a user's
            // open tabs would ask of it.
            users: 1000,
            sse_clients: 10_000,
            webhook_rate: 1000,
            startups: 5,
            ingest_rounds: 3,
        }
    }

    fn quick() -> Plan {
        Plan {
            concurrency: 8,
            wrk_connections: 16,
            page_concurrency: 4,
            warmup: Duration::from_millis(300),
            duration: Duration::from_secs(2),
            users: 5,
            sse_clients: 50,
            webhook_rate: 50,
            startups: 1,
            ingest_rounds: 1,
        }
    }
}

const PG_BASE: &str = "postgres://postgres@127.0.0.1:5432/test";

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("bare") {
        return serve_bare().await;
    }
    if args.first().map(String::as_str) == Some("canned") {
        return wrk::serve_canned().await;
    }
    if args.first().map(String::as_str) == Some("soak") {
        return soak::main(&args[1..]).await;
    }
    // A thousand streams need more file descriptors than the usual soft limit; the app inherits it.
    let _ = rlimit::increase_nofile_limit(65_536);
    let quick = args.iter().any(|a| a == "--quick");
    let plan = if quick { Plan::quick() } else { Plan::full() };
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    // The app on one core, everything that loads it (wrk, this process) on another.
    let cores =
        wrk::Cores::pick().context("the bench needs two cores: one for the server, one for the load")?;
    anyhow::ensure!(wrk::available(), "wrk not found: `make bench-tools` installs it (apt-get install wrk)");
    cores.pin_self()?;
    let build = app::Build {
        bin: PathBuf::from(value("--bin").unwrap_or_else(|| "target/release/lean-merchant".into())),
        site: PathBuf::from(value("--site").unwrap_or_else(|| "target/site".into())),
        server_core: Some(cores.server),
    };
    // `--only ingest,live` runs some parts, for working on one figure; the table is then only printed
    // (unless --out says where), so BENCHMARKS.md always holds a whole run.
    let only: Option<Vec<String>> = value("--only").map(|v| v.split(',').map(str::to_owned).collect());
    let part = |name: &str| only.as_ref().is_none_or(|parts| parts.iter().any(|p| p == name));
    let out = value("--out").or_else(|| only.is_none().then(|| "BENCHMARKS.md".into()));
    anyhow::ensure!(
        build.bin.exists(),
        "{} not found: run `cargo leptos build --release --split` first",
        build.bin.display()
    );

    let mut r = report::Report::new(quick, cores);

    if part("startup") {
        eprintln!("bench: start-up");
        let mut starts = Vec::new();
        for _ in 0..plan.startups {
            let dir = tempfile::tempdir()?;
            let app = app::App::start(&build, dir.path(), None).await?;
            starts.push(app.started_in);
            app.stop().await?;
        }
        r.startup(&mut starts);
    }
    if part("ingest") {
        ingest_figures(&build, &plan, cores, &mut r).await?;
    }
    let live = if part("live") {
        eprintln!("bench: webhook → browser with {} streams", plan.sse_clients);
        let live = live::run(&build, &plan).await.context("live latency")?;
        r.live(&live, plan.webhook_rate);
        Some(live)
    } else {
        None
    };
    // The first-load figure counts what the dashboard's HTML loads, so it needs the page too.
    if part("pages") || part("sizes") {
        eprintln!("bench: dashboard page");
        let (page, dashboards) = pages::dashboard(&build, &plan).await.context("pages")?;
        if part("pages") {
            r.pages(&page, plan.page_concurrency);
        }
        if part("sizes") {
            let mut measured = Vec::new();
            for d in &dashboards {
                measured.push((d.lang, sizes::measure(&build.site, &d.html, &d.served)?));
            }
            r.first_load(&measured);
        }
    }
    if let Some(live) = &live {
        r.memory(live);
    }

    let text = r.render();
    println!("{text}");
    if let Some(out) = out {
        std::fs::write(&out, text).with_context(|| format!("write {out}"))?;
        eprintln!("bench: written to {out}");
    }
    Ok(())
}

async fn ingest_figures(
    build: &app::Build,
    plan: &Plan,
    cores: wrk::Cores,
    r: &mut report::Report,
) -> Result<()> {
    // The bare handler and the canned server run on the server's core, in processes of their own for
    // the whole part; each round loads the bare handler and then the app (see `ingest::app`).
    let exe = std::env::current_exe()?;
    let (mut bare, bare_url) = helper_server(build, &exe, "bare").await?;
    let (mut canned, canned_url) = helper_server(build, &exe, "canned").await?;
    let dir = tempfile::tempdir()?;
    let host = bare_url.trim_start_matches("http://");
    let bare_pool =
        wrk::Pool::write(dir.path(), "bare", 20_000, host, app::WEBHOOK_SECRET, "bench-customer")?;
    let bench = ingest::Bench {
        build,
        plan,
        cores,
        bare_url: &bare_url,
        bare_pid: bare.id().context("bare pid")?,
        bare_pool: &bare_pool,
        dir: dir.path(),
    };
    let flush = wrk::flush_time(dir.path())?;
    eprintln!("bench: the load generator's ceiling (wrk against a server that only answers)");
    let ceiling = ingest::ceiling(&bench, &canned_url, canned.id().context("canned pid")?).await?;
    canned.start_kill()?;
    let _ = canned.wait().await;
    eprintln!("bench: webhook ingest (SQLite, {} rounds of bare handler then app)", plan.ingest_rounds);
    let sqlite = ingest::app(&bench, None).await.context("ingest on SQLite")?;
    eprintln!("bench: webhook ingest (PostgreSQL)");
    let pg = match ingest::fresh_postgres(PG_BASE).await {
        Some(probe) => {
            ingest::drop_postgres(PG_BASE, &probe).await;
            Some(ingest::app(&bench, Some(PG_BASE)).await.context("ingest on PostgreSQL")?)
        }
        None => None,
    };
    bare.start_kill()?;
    let _ = bare.wait().await;
    r.ingest(&ceiling, flush, &sqlite, pg.as_ref(), plan.wrk_connections);
    Ok(())
}

/// Starts `lean-bench <what>` on the server's core and reads the address it prints.
async fn helper_server(
    build: &app::Build,
    exe: &std::path::Path,
    what: &str,
) -> Result<(tokio::process::Child, String)> {
    use tokio::io::AsyncBufReadExt;
    let mut child =
        build.pinned(exe).arg(what).stdout(std::process::Stdio::piped()).kill_on_drop(true).spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let prefix = format!("{what} listening on ");
    while let Some(line) = lines.next_line().await? {
        if let Some(url) = line.strip_prefix(&prefix) {
            return Ok((child, url.to_owned()));
        }
    }
    anyhow::bail!("{what} server did not start")
}

/// The comparison point: axum on the same runtime settings, reading the body and answering 200.
async fn serve_bare() -> Result<()> {
    use axum::routing::post;
    let router = axum::Router::new()
        .route("/webhooks/lean", post(|_body: axum::body::Bytes| async { axum::http::StatusCode::OK }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("bare listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}
