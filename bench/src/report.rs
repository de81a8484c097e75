//! The table `make bench` prints and writes to BENCHMARKS.md, with the machine it ran on.

use std::fmt::Write;
use std::time::Duration;

use crate::ingest::Ingest;
use crate::live::Live;
use crate::load::Load;
use crate::sizes::Sizes;

pub struct Report {
    quick: bool,
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
    pub fn new(quick: bool) -> Report {
        Report { quick, rows: Vec::new(), details: Vec::new() }
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

    pub fn ingest(&mut self, sqlite: &Ingest, pg: Option<&Ingest>) {
        let (sq, bare, app) = sqlite.median();
        let all_survived = sqlite.survived == sqlite.acknowledged;
        let rounds = sqlite.rounds.len();
        self.row(
            "webhook ingest, SQLite",
            &format!(
                "signed → verified → stored once → 200, closed loop, same load tool as the bare handler; \
                 {rounds} rounds of bare handler then app, median round"
            ),
            format!(
                "{:.0}/s = **{sq:.1} %** of bare ({:.0}/s); p99 {:.1} ms; after kill -9 mid-flood {} of {} acknowledged webhooks stored",
                app.per_second(),
                bare.per_second(),
                app.p99_ms(),
                sqlite.survived,
                sqlite.acknowledged
            ),
            "≥ 25 % of bare, every acknowledged webhook survives kill -9",
            verdict(sq >= 25.0 && all_survived),
        );
        match pg {
            Some(pg) => {
                let (r, _, app) = pg.median();
                self.row(
                    "webhook ingest, PostgreSQL",
                    "as above, PostgreSQL 127.0.0.1:5432",
                    format!(
                        "{:.0}/s = **{r:.1} %** of bare; p99 {:.1} ms; after kill -9 {} of {} stored",
                        app.per_second(),
                        app.p99_ms(),
                        pg.survived,
                        pg.acknowledged
                    ),
                    "measured and reported",
                    if pg.survived == pg.acknowledged { "—".into() } else { "**lost webhooks**".into() },
                );
            }
            None => self.row(
                "webhook ingest, PostgreSQL",
                "PostgreSQL 127.0.0.1:5432",
                "skipped: no PostgreSQL answered".into(),
                "measured and reported",
                "—".into(),
            ),
        }
        let describe = |name: &str, ingest: &Ingest| {
            let rounds: Vec<String> = ingest
                .rounds
                .iter()
                .zip(ingest.ratios())
                .map(|((bare, app), ratio)| {
                    format!(
                        "bare {:.0}/s (p50 {:.2} ms, {} failed), app {:.0}/s (p50 {:.2} ms, {} failed) = {ratio:.1} %",
                        bare.per_second(),
                        bare.p50_ms(),
                        bare.failed,
                        app.per_second(),
                        app.p50_ms(),
                        app.failed
                    )
                })
                .collect();
            format!("Ingest, {name}, round by round: {}.", rounds.join("; "))
        };
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
                "POST of the webhook → its event read from an SSE stream; {} streams, {rate} webhooks/s",
                live.clients
            ),
            format!(
                "p50 **{p50:.1} ms**, p99 **{p99:.1} ms** ({} of {} deliveries of {} webhooks)",
                live.delivered, live.expected, live.webhooks
            ),
            "p99 ≤ 25 ms",
            verdict(p99 <= 25.0 && live.delivered == live.expected),
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
            "≤ 185 KB brotli",
            verdict(br <= 185_000),
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
            "≤ 40 MB and ≤ 120 MB",
            verdict(live.rss_idle_kib * 1024 <= 40_000_000 && live.rss_clients_kib * 1024 <= 120_000_000),
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
             loopback ports and drives it over HTTP from a second process: the same load generator against a bare \
             axum handler (`lean-bench bare`) and the app, one after the other, in one run (ingest in rounds of the two, \
             the median round quoted). The app logs at `warn` \
             while measured. Load and client counts are in `bench/src/main.rs` (`Plan::full`).\n",
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
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
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
