//! Starts and stops the release lean-merchant binary (with its embedded sandbox) for a measurement.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const APP_TOKEN: &str = "6f1d2c4e-0b5a-4e8e-9c1d-2a7b3c4d5e6f";
pub const CLIENT_SECRET: &str = "bench-client-secret";
pub const WEBHOOK_SECRET: &str = "bench-webhook-secret";

#[derive(Clone)]
pub struct Build {
    pub bin: PathBuf,
    pub site: PathBuf,
    /// The core the app is confined to, so the bench's own load never shares it (see `wrk::Cores`).
    pub server_core: Option<usize>,
}

impl Build {
    /// A command that runs `program` on the server's core when there is one.
    pub fn pinned(&self, program: &Path) -> Command {
        match self.server_core {
            Some(core) => {
                let mut cmd = Command::new("taskset");
                cmd.arg("-c").arg(core.to_string()).arg(program);
                cmd
            }
            None => Command::new(program),
        }
    }
}

pub struct App {
    child: Child,
    pub url: String,
    pub pid: u32,
    /// From spawn to "listening" (migrations are applied before the server listens).
    pub started_in: Duration,
    pub database_url: String,
    logs: Arc<Mutex<String>>,
}

impl App {
    /// Starts the app on a free port. `database_url` None means SQLite in `data_dir`.
    pub async fn start(build: &Build, data_dir: &Path, database_url: Option<&str>) -> Result<App> {
        let sqlite = format!("sqlite://{}?mode=rwc", data_dir.join("lean-merchant.db").display());
        let database_url = database_url.map(str::to_owned).unwrap_or(sqlite);
        let began = Instant::now();
        let mut child = build
            .pinned(&build.bin)
            .env("RUST_LOG", "warn")
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", &build.site)
            .env("LEPTOS_OUTPUT_NAME", "lean-merchant")
            .env("DATA_DIR", data_dir)
            .env("DATABASE_URL", &database_url)
            .env("LEAN_ENV", "embedded")
            .env("LEAN_SANDBOX_ADDR", "127.0.0.1:0")
            .env("LEAN_SANDBOX_RETRY_SCALE", "0.001")
            .env("LEAN_APP_TOKEN", APP_TOKEN)
            .env("LEAN_CLIENT_SECRET", CLIENT_SECRET)
            .env("LEAN_WEBHOOK_SECRET", WEBHOOK_SECRET)
            // The bench signs up many users from one address; as if they came through a proxy from
            // addresses of their own (see `signed_up_user`), the per-address sign-up limit lets them.
            .env("TRUSTED_PROXIES", "127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {}", build.bin.display()))?;
        let pid = child.id().ok_or_else(|| anyhow!("no pid"))?;
        let logs = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let out_logs = logs.clone();
        tokio::spawn(async move {
            let mut tx = Some(tx);
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.strip_prefix("lean-merchant listening on ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(url.trim().to_owned());
                    }
                }
                out_logs.lock().unwrap().push_str(&line);
                out_logs.lock().unwrap().push('\n');
            }
        });
        let err_logs = logs.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut l = err_logs.lock().unwrap();
                if l.len() < 1 << 20 {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        let url = match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok(url)) => url,
            _ => bail!("the app did not start:\n{}", logs.lock().unwrap()),
        };
        let started_in = began.elapsed();
        Ok(App { child, url, pid, started_in, database_url, logs })
    }

    /// Resident memory of the server process, in KiB.
    pub fn rss_kib(&self) -> Result<u64> {
        rss_kib_of(self.pid)
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown code runs, as in a crash.
    pub async fn kill9(mut self) -> Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }

    /// SIGINT, the graceful way.
    pub async fn stop(mut self) -> Result<()> {
        let _ = std::process::Command::new("kill").arg("-INT").arg(self.pid.to_string()).status();
        if tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await.is_err() {
            self.child.start_kill()?;
            self.child.wait().await?;
        }
        Ok(())
    }
}

/// Resident memory of process `pid`, in KiB.
pub fn rss_kib_of(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow!("no VmRSS"))
}

/// A browser-like client with a cookie jar, signed up as a new user. Returns it with the user's
/// Lean customer id.
pub async fn signed_up_user(app: &App, email: &str) -> Result<(reqwest::Client, String)> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    // Each user from an address of its own (10.x.y.z, from the email's hash), through the trusted proxy.
    let h = email.bytes().fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    let forwarded = format!("10.{}.{}.{}", (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
    let res = client
        .post(format!("{}/api/sign_up", app.url))
        .header("x-forwarded-for", forwarded)
        .form(&[("email", email), ("password", "correct horse battery")])
        .send()
        .await?;
    if res.status().as_u16() >= 400 {
        bail!("sign up failed: {}\n{}", res.text().await.unwrap_or_default(), app.logs());
    }
    let user: serde_json::Value =
        client.post(format!("{}/api/current_user", app.url)).send().await?.json().await?;
    let customer = user["customer_id"].as_str().ok_or_else(|| anyhow!("no customer id: {user}"))?.to_owned();
    Ok((client, customer))
}
