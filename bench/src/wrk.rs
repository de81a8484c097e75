//! Webhook load from Debian's `wrk`, a C generator on a core of its own, replaying requests signed
//! before the clock starts. The in-process reqwest generator used before built and signed every
//! request on the cores the server ran on, so the bare handler's rate it reported was the generator's
//! own limit and every ratio over it flattered the app.
//!
//! Each request of a run is a distinct webhook (its own `event_id` and entity), written as raw HTTP
//! to a file that a small Lua script hands to wrk one after another. A run is given more of them than
//! it can send, so none repeats; a run that used them all is refused rather than quoted.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::webhook::{entity_created, sign};

/// The Lua side: loads the requests (each preceded by its length on a line of its own), hands them
/// out in order, and prints its figures as one JSON line when done.
const SCRIPT: &str = r#"
local reqs = {}
local n = 0
local i = 0

function init(args)
  local f = assert(io.open(args[1], "rb"))
  while true do
    local len = f:read("*l")
    if not len then break end
    n = n + 1
    reqs[n] = f:read(tonumber(len))
  end
  f:close()
end

function request()
  i = i + 1
  if i > n then i = 1 end
  return reqs[i]
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"#;

/// A file of signed webhook requests for one run.
pub struct Pool {
    path: PathBuf,
    pub count: usize,
}

impl Pool {
    /// `count` distinct `entity.created` webhooks for `customer`, as raw HTTP/1.1 requests to `host`.
    /// `tag` keeps the ids of different runs apart.
    pub fn write(
        dir: &Path,
        tag: &str,
        count: usize,
        host: &str,
        secret: &str,
        customer: &str,
    ) -> Result<Pool> {
        let path = dir.join(format!("requests-{tag}.txt"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for n in 0..count {
            let event_id = format!("{tag}-event-{n:08}");
            let entity_id = format!("{tag}-entity-{n:08}");
            let body = entity_created(&event_id, &entity_id, customer);
            let mut req = format!(
                "POST /webhooks/lean HTTP/1.1\r\nHost: {host}\r\ncontent-type: application/json\r\n\
                 lean-signature: {}\r\ncontent-length: {}\r\n\r\n",
                sign(secret, &body),
                body.len()
            )
            .into_bytes();
            req.extend_from_slice(&body);
            writeln!(out, "{}", req.len())?;
            out.write_all(&req)?;
        }
        out.flush()?;
        Ok(Pool { path, count })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// One wrk run's figures, with the CPU time each side spent.
#[derive(Clone, Debug)]
pub struct Run {
    pub ok: u64,
    pub failed: u64,
    pub elapsed: Duration,
    pub p50_us: u64,
    pub p99_us: u64,
    /// Share of one core the generator used over the run (1.0 = all of it).
    pub generator_cpu: f64,
    /// Share of one core the server used over the run.
    pub server_cpu: f64,
}

impl Run {
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    pub fn p50_ms(&self) -> f64 {
        self.p50_us as f64 / 1000.0
    }

    pub fn p99_ms(&self) -> f64 {
        self.p99_us as f64 / 1000.0
    }
}

/// The cores a run is pinned to: the server on one, the generator (and this process) on another.
#[derive(Clone, Copy, Debug)]
pub struct Cores {
    pub server: usize,
    pub generator: usize,
}

impl Cores {
    /// The first core for the server, the second for the generator; None on a one-core machine.
    pub fn pick() -> Option<Cores> {
        let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        (n >= 2).then_some(Cores { server: 0, generator: 1 })
    }

    /// Pins every thread of this process to the generator's core, so what the bench does while
    /// measuring (waiting on wrk, reading streams) never takes the server's.
    pub fn pin_self(&self) -> Result<()> {
        let status = std::process::Command::new("taskset")
            .args(["-a", "-p", "-c", &self.generator.to_string(), &std::process::id().to_string()])
            .stdout(Stdio::null())
            .status()
            .context("taskset (util-linux)")?;
        anyhow::ensure!(status.success(), "taskset could not pin the bench to core {}", self.generator);
        Ok(())
    }
}

/// Whether wrk is installed.
pub fn available() -> bool {
    std::process::Command::new("wrk")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Runs wrk for `duration` against `url` with `connections`, on `cores.generator`, replaying `pool`.
/// `server_pid` is sampled for its CPU time over the same span. `distinct`: every request must be a
/// new webhook (for the app); a handler that ignores bodies may be sent the pool over and over.
pub async fn run(
    url: &str,
    pool: &Pool,
    distinct: bool,
    connections: usize,
    duration: Duration,
    cores: Cores,
    server_pid: u32,
) -> Result<Run> {
    let script = pool.path.with_extension("lua");
    std::fs::write(&script, SCRIPT)?;
    let server_before = process_cpu(server_pid)?;
    let children_before = children_cpu();
    let began = std::time::Instant::now();
    let out = tokio::process::Command::new("taskset")
        .args(["-c", &cores.generator.to_string(), "wrk", "-t1"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&script)
        .arg(url)
        .arg("--")
        .arg(&pool.path)
        .stdin(Stdio::null())
        .output()
        .await
        .context("wrk (apt-get install wrk)")?;
    let wall = began.elapsed().as_secs_f64();
    let generator_cpu = (children_cpu() - children_before) / wall;
    let server_cpu = (process_cpu(server_pid)? - server_before) / wall;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {}\n{}", stdout, String::from_utf8_lossy(&out.stderr));
    }
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).context("wrk printed no figures")?;
    let v: serde_json::Value = serde_json::from_str(line)?;
    let num = |k: &str| v[k].as_u64().unwrap_or(0);
    let requests = num("requests");
    if distinct && requests as usize >= pool.count {
        bail!(
            "wrk sent {requests} requests but only {} distinct ones were prepared: some repeated; prepare more",
            pool.count
        );
    }
    let failed = num("connect_errors")
        + num("read_errors")
        + num("write_errors")
        + num("status_errors")
        + num("timeouts");
    Ok(Run {
        ok: requests.saturating_sub(num("status_errors")),
        failed,
        elapsed: Duration::from_micros(num("duration_us")),
        p50_us: num("p50_us"),
        p99_us: num("p99_us"),
        generator_cpu,
        server_cpu,
    })
}

/// Waits (up to 20 s) until the machine is quiet: less than 15 % of all cores busy over half a second.
/// What runs on neither pinned core (PostgreSQL checkpointing and vacuuming after a round, say) would
/// otherwise take from whichever run comes next.
pub async fn settle() {
    fn busy_and_total() -> Option<(u64, u64)> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let cpu: Vec<u64> =
            stat.lines().next()?.split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
        let total: u64 = cpu.iter().sum();
        // idle and iowait
        let idle = cpu.get(3)? + cpu.get(4).copied().unwrap_or(0);
        Some((total - idle, total))
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        let Some((b0, t0)) = busy_and_total() else { return };
        tokio::time::sleep(Duration::from_millis(500)).await;
        let Some((b1, t1)) = busy_and_total() else { return };
        if t1 > t0 && ((b1 - b0) as f64) < 0.15 * (t1 - t0) as f64 {
            return;
        }
    }
}

/// The disk's flush: median time of writing 4 KiB to a file in `dir` and `fdatasync`ing it, 50 times.
/// Every acknowledged webhook waits for one (shared with its batch), so with `c` connections no durable
/// ingest can pass `c / flush` a second, whatever the code does.
pub fn flush_time(dir: &Path) -> Result<Duration> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::create(dir.join("flush-probe"))?;
    let mut times = Vec::with_capacity(50);
    for n in 0..50u64 {
        file.seek(SeekFrom::Start((n % 8) * 4096))?;
        file.write_all(&[n as u8; 4096])?;
        let began = std::time::Instant::now();
        file.sync_data()?;
        times.push(began.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// CPU seconds (user + system) of a running process, all its threads.
fn process_cpu(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).context("stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>()? + fields[12].parse::<f64>()?;
    Ok(ticks / clock_ticks())
}

/// CPU seconds of this process's children that have ended and been waited for.
fn children_cpu() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    (unsafe { libc::sysconf(libc::_SC_CLK_TCK) }) as f64
}

/// A server that answers every request with a fixed 200 and does nothing else, on one thread: what
/// wrk can reach on its core when the server costs next to nothing. Its rate is the generator's
/// ceiling, printed beside the figures so a reader sees the bare handler is not held back by wrk.
pub async fn serve_canned() -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("canned listening on http://{}", listener.local_addr()?);
    loop {
        let (mut sock, _) = listener.accept().await?;
        let _ = sock.set_nodelay(true);
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(16 * 1024);
            let mut chunk = [0u8; 16 * 1024];
            loop {
                // Answer each whole request (head and content-length bytes of body) as it completes.
                while let Some(len) = request_len(&buf) {
                    if sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await.is_err() {
                        return;
                    }
                    buf.drain(..len);
                }
                match sock.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
        });
    }
}

/// The length of the first whole request in `buf`, if it holds one.
fn request_len(buf: &[u8]) -> Option<usize> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[..head_end]).ok()?;
    let body = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    (buf.len() >= head_end + body).then_some(head_end + body)
}

#[cfg(test)]
mod tests {
    use super::request_len;

    #[test]
    fn a_request_is_whole_only_with_its_body() {
        let head = b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n";
        assert_eq!(request_len(head), None);
        let mut whole = head.to_vec();
        whole.extend_from_slice(b"abc");
        assert_eq!(request_len(&whole), Some(whole.len()));
        whole.extend_from_slice(b"GET");
        assert_eq!(request_len(&whole), Some(whole.len() - 3));
        assert_eq!(request_len(b"GET / HTTP/1.1\r\n\r\n"), Some(18));
    }
}
