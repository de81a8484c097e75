//! A closed-loop load generator: `concurrency` workers send one request after another until told
//! to stop. The same tool drives the bare handler and the app, so their ratio is fair.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

pub struct Load {
    pub ok: u64,
    pub failed: u64,
    pub elapsed: Duration,
    /// Latency of successful requests, in microseconds.
    pub latency: Histogram<u64>,
}

impl Load {
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    pub fn p50_ms(&self) -> f64 {
        self.latency.value_at_quantile(0.5) as f64 / 1000.0
    }

    pub fn p99_ms(&self) -> f64 {
        self.latency.value_at_quantile(0.99) as f64 / 1000.0
    }
}

/// Runs `request(n)` (n = a unique sequence number) for `duration`, `warmup` first (not counted).
pub async fn closed_loop<F, Fut>(concurrency: usize, warmup: Duration, duration: Duration, request: F) -> Load
where
    F: Fn(u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let seq = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let counting = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let hist = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("bounds")));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (seq, stop, counting, ok, failed, hist, request) = (
            seq.clone(),
            stop.clone(),
            counting.clone(),
            ok.clone(),
            failed.clone(),
            hist.clone(),
            request.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut local = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("bounds");
            while !stop.load(Ordering::Relaxed) {
                let n = seq.fetch_add(1, Ordering::Relaxed);
                let began = Instant::now();
                let good = request(n).await;
                if counting.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
                    if good {
                        ok.fetch_add(1, Ordering::Relaxed);
                        let _ = local.record(began.elapsed().as_micros().max(1) as u64);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            hist.lock().unwrap().add(&local).expect("same bounds");
        }));
    }
    tokio::time::sleep(warmup).await;
    counting.store(true, Ordering::Relaxed);
    let began = Instant::now();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let elapsed = began.elapsed();
    for w in workers {
        let _ = w.await;
    }
    let latency = Arc::try_unwrap(hist).expect("workers done").into_inner().unwrap();
    Load { ok: ok.load(Ordering::Relaxed), failed: failed.load(Ordering::Relaxed), elapsed, latency }
}
