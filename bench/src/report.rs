//! The table `make bench` prints and writes to BENCHMARKS.md, with the machine it ran on.

use std::fmt::Write;
use std::time::Duration;

use crate::ingest::Ingest;
use crate::live::Live;
use crate::load::Load;
use crate::sizes::Sizes;
use crate::wrk::{Cores, Run};

pub struct Report {
    quick: bool,
    cores: Cores,
    rows: Vec<[String; 5]>,
    details: Vec<String>,
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn mb(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 * 1024.0 / 1_000_000.0)
}

fn verdict(ok: bool) -> String {
    if ok { "met" } else { "**not met**" }.into()
}

impl Report {
    pub fn new(quick: bool, cores: Cores) -> Report {
        Report { quick, cores, rows: Vec::new(), details: Vec::new() }
    }

    fn row(&mut self, figure: &str, how: &str, result: String, target: &str, met: String) {
        self.rows.push([figure.into(), how.into(), result, target.into(), met]);
    }

    pub fn startup(&mut self, starts: &mut [Duration]) {
        starts.sort();
        let median = starts[starts.len() / 2];
        self.row(
            "start-up",
            &format!(
                "process start → listening, migrations applied on an empty SQLite database; median of {}",
                starts.len()
            ),
            format!("{} ms", median.as_millis()),
            "measured and reported",
            "—".into(),
        );
    }

    pub fn ingest(
        &mut self,
        ceiling: &Run,
        flush: Duration,
        sqlite: &Ingest,
        pg: Option<&Ingest>,
        connections: usize,
    ) {
        let (cores, rounds) = (self.cores, sqlite.rounds.len());
        let (_, bare, _) = sqlite.median();
        // The bare figure is the server's own limit when its core was (nearly) all busy, whatever the
        // generator could do beyond it; otherwise only a ceiling well above it shows that.
        let server_bound = bare.server_cpu >= 0.95;
        let headroom = ceiling.per_second() >= 1.1 * bare.per_second();
        self.row(
            "load generator",
            &format!(
                "wrk (core {}) against a server that answers 200 and does nothing else (core {}): the \
                 generator's ceiling; {connections} connections",
                cores.generator, cores.server
            ),
            format!(
                "ceiling **{:.0}/s** (wrk at {:.0} % of its core); the bare handler's median round {:.0}/s with \
                 **its server at {:.0} %** of its core (wrk at {:.0} %)",
                ceiling.per_second(),
                100.0 * ceiling.generator_cpu,
                bare.per_second(),
                100.0 * bare.server_cpu,
                100.0 * bare.generator_cpu
            ),
            "the bare handler limited by its own core (≥ 95 % busy) or the ceiling ≥ 1.1 × its rate",
            verdict(server_bound || headroom),
        );
        let ingest_row = |r: &mut Report, db: &str, ingest: &Ingest, target: f64| {
            let (ratio, bare, app) = ingest.median();
            let durable = ingest.survived == ingest.acknowledged;
            r.row(
                &format!("webhook ingest, {db}"),
                &format!(
                    "signed → verified → stored once → 200; wrk replaying distinct pre-signed webhooks, \
                     {connections} connections, server on core {} and wrk on core {}; {rounds} rounds of bare \
                     handler then app, median round; then kill -9 during a flood",
                    cores.server, cores.generator
                ),
                format!(
                    "{:.0}/s = **{ratio:.1} %** of bare ({:.0}/s); p99 **{:.1} ms**; after kill -9 {} of {} \
                     acknowledged webhooks stored",
                    app.per_second(),
                    bare.per_second(),
                    app.p99_ms(),
                    ingest.survived,
                    ingest.acknowledged
                ),
                &format!(
                    "≥ {target:.0} % of bare, p99 ≤ 10 ms, every acknowledged webhook survives kill -9"
                ),
                verdict(ratio >= target && app.p99_ms() <= 10.0 && durable),
            );
        };
        ingest_row(self, "SQLite", sqlite, 25.0);
        match pg {
            Some(pg) => ingest_row(self, "PostgreSQL", pg, 15.0),
            None => self.row(
                "webhook ingest, PostgreSQL",
                "PostgreSQL 127.0.0.1:5432",
                "skipped: no PostgreSQL answered".into(),
                "≥ 15 % of bare",
                "**not measured**".into(),
            ),
        }
        let describe = |name: &str, ingest: &Ingest| {
            let rounds: Vec<String> = ingest
                .rounds
                .iter()
                .zip(ingest.ratios())
                .map(|((bare, app), ratio)| {
                    format!(
                        "bare {:.0}/s (p50 {:.2} ms, p99 {:.2} ms, {} failed; server {:.0} % and wrk {:.0} % of \
                         their cores), app {:.0}/s (p50 {:.2} ms, p99 {:.2} ms, {} failed; server {:.0} %, wrk \
                         {:.0} %) = {ratio:.1} %",
                        bare.per_second(),
                        bare.p50_ms(),
                        bare.p99_ms(),
                        bare.failed,
                        100.0 * bare.server_cpu,
                        100.0 * bare.generator_cpu,
                        app.per_second(),
                        app.p50_ms(),
                        app.p99_ms(),
                        app.failed,
                        100.0 * app.server_cpu,
                        100.0 * app.generator_cpu,
                    )
                })
                .collect();
            format!("Ingest, {name}, round by round: {}.", rounds.join("; "))
        };
        let flush_ms = flush.as_secs_f64() * 1000.0;
        self.details.push(format!(
            "The disk: writing 4 KiB and flushing it (`fdatasync`) takes {flush_ms:.2} ms (median of 50) in the \
             folder the SQLite database is in. Every acknowledged webhook waits for a flush (shared with its \
             batch), so with {connections} connections no durable ingest passes {connections} / {flush_ms:.2} ms = \
             {:.0}/s here, and a request takes at least one flush. PostgreSQL's flush is its own (its WAL, \
             its disk settings).",
            connections as f64 / flush.as_secs_f64()
        ));
        self.details.push(format!(
            "Generator ceiling: wrk sent {} requests in {:.1} s to the canned server ({} failed), p99 {:.2} ms.",
            ceiling.ok,
            ceiling.elapsed.as_secs_f64(),
            ceiling.failed,
            ceiling.p99_ms()
        ));
        self.details.push(describe("SQLite", sqlite));
        if let Some(pg) = pg {
            self.details.push(describe("PostgreSQL", pg));
        }
    }

    pub fn live(&mut self, live: &Live, rate: usize) {
        let p50 = live.latency.value_at_quantile(0.5) as f64 / 1000.0;
        let p99 = live.latency.value_at_quantile(0.99) as f64 / 1000.0;
        self.row(
            "webhook → browser",
            &format!(
                "POST of the webhook → its event read from an SSE stream; {} streams ({} users, {} each), \
                 {rate} webhooks/s for 10 s, server on core {}, streams and webhooks from core {}",
                live.clients,
                live.users,
                live.clients / live.users.max(1),
                self.cores.server,
                self.cores.generator
            ),
            format!(
                "p50 **{p50:.1} ms**, p99 **{p99:.1} ms** ({} of {} deliveries of {} webhooks); server RSS \
                 at most **{}** meanwhile",
                live.delivered,
                live.expected,
                live.webhooks,
                mb(live.rss_peak_kib)
            ),
            "p99 ≤ 10 ms, RSS ≤ 150 MB",
            verdict(
                p99 <= 10.0 && live.delivered == live.expected && live.rss_peak_kib * 1024 <= 150_000_000,
            ),
        );
    }

    pub fn pages(&mut self, load: &Load, concurrency: usize) {
        self.row(
            "pages",
            &format!("GET /dashboard, signed in, 3 banks, server-rendered; {concurrency} connections"),
            format!(
                "{:.0} req/s, p50 {:.1} ms, p99 **{:.1} ms** ({} failed)",
                load.per_second(),
                load.p50_ms(),
                load.p99_ms(),
                load.failed
            ),
            "measured and reported",
            "—".into(),
        );
    }

    /// One row for the heavier language (the verdict), both languages in it, and each file.
    pub fn first_load(&mut self, by_lang: &[(&str, Sizes)]) {
        let Some((_, heaviest)) = by_lang.iter().max_by_key(|(_, s)| s.total().2) else { return };
        let (raw, gz, br) = heaviest.total();
        let each = by_lang
            .iter()
            .map(|(lang, s)| format!("{lang} {}", kb(s.total().2)))
            .collect::<Vec<_>>()
            .join(", ");
        self.row(
            "first load",
            "release wasm + JS + CSS of the dashboard, and the messages it fetches for its language (Lean's loader excluded); the heavier language",
            format!("{} raw, {} gzip, **{} brotli** ({each})", kb(raw), kb(gz), kb(br)),
            "≤ 140 KB brotli",
            verdict(br <= 140_000),
        );
        for (lang, sizes) in by_lang {
            let mut files =
                format!("First load, `{lang}`:\n\n| file | raw | gzip | brotli |\n|---|---|---|---|\n");
            for (name, raw, gz, br) in &sizes.files {
                let _ = writeln!(files, "| {name} | {} | {} | {} |", kb(*raw), kb(*gz), kb(*br));
            }
            self.details.push(files);
        }
    }

    pub fn memory(&mut self, live: &Live) {
        self.row(
            "memory",
            &format!(
                "server RSS (app + embedded sandbox, one process) idle, and with {} SSE clients",
                live.clients
            ),
            format!("idle **{}**, with clients **{}**", mb(live.rss_idle_kib), mb(live.rss_clients_kib)),
            "≤ 40 MB and ≤ 150 MB",
            verdict(live.rss_idle_kib * 1024 <= 40_000_000 && live.rss_clients_kib * 1024 <= 150_000_000),
        );
    }

    pub fn render(&self) -> String {
        let mut s = String::from("# Benchmarks\n\n");
        if self.quick {
            s.push_str("> **Quick mode** (`--quick`): short runs and fewer clients, to check the harness. Do not quote these.\n\n");
        }
        let _ = writeln!(
            s,
            "Measured by `make bench` on {}. {}\n",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            machine()
        );
        s.push_str("| figure | how | result | target | |\n|---|---|---|---|---|\n");
        for r in &self.rows {
            let _ = writeln!(s, "| {} | {} | {} | {} | {} |", r[0], r[1], r[2], r[3], r[4]);
        }
        s.push_str("\n## Details\n\n");
        for d in &self.details {
            let _ = writeln!(s, "{d}\n");
        }
        s.push_str(
            "## Reproduce\n\n```sh\nmake bench\n```\n\nIt builds the release app (`cargo leptos build --release --split`) and runs \
             `cargo run --release -p lean-bench`, which starts the release binary with the embedded sandbox on free \
             loopback ports, confined to one core (`taskset`), and loads it over HTTP from the other core, where the \
             bench itself runs too. Webhook ingest is driven by Debian's `wrk`, replaying webhooks signed before the \
             clock starts, each a distinct event; the same wrk drives a bare axum handler (`lean-bench bare`) on the \
             same core in the same run, in rounds of the two (the median round quoted), and a server that only \
             answers (`lean-bench canned`), whose rate is the generator's own ceiling. The kill -9 check uses the \
             bench's own client, which tracks every answer. The app logs at `warn` while measured. Loads and client \
             counts are in `bench/src/main.rs` (`Plan::full`). PostgreSQL's own processes are not pinned: they \
             run where the system puts them, and each run first waits for the machine to be quiet.\n",
        );
        s
    }
}

/// The machine line both reports open with (BENCHMARKS.md and SOAK.md).
pub(crate) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    // Not `available_parallelism`: the bench pins itself to one core (see `wrk::Cores`).
    // SAFETY: sysconf has no preconditions.
    let cores = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find_map(|l| l.strip_prefix("MemTotal:").map(|v| v.trim().to_owned())))
        .and_then(|v| v.split_whitespace().next().and_then(|k| k.parse::<u64>().ok()))
        .map(|k| format!("{:.0} GiB", k as f64 / 1_048_576.0))
        .unwrap_or_default();
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("Machine: {cpu}, {cores} cores, {mem} RAM; {rustc}; commit {commit}.")
}
