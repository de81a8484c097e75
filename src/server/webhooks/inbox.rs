//! Stores verified webhooks durably, many per commit.
//!
//! A commit that is durable costs a disk flush (about a millisecond here), and one flush per webhook
//! capped SQLite at a few hundred webhooks a second per writer. Handlers hand their event to one writer
//! task instead; it takes whatever has queued up while the previous flush ran and stores it in one
//! transaction, then answers each handler. A lone webhook still goes straight through (a batch of one),
//! so nothing waits on a timer, and every handler answers 200 only after its own event is committed.
//!
//! On SQLite the writer and the webhook worker take turns at the database's one write lock through
//! [`Inbox::turn`]. Left to SQLite, a writer that finds the lock taken sleeps in steps of 1 to 100 ms
//! before it looks again; waiting for a turn wakes the moment the other side is done. In a flood
//! with the worker applying events alongside (`lean-bench --only ingest`), the webhooks' p99 went from
//! 53 ms to 34 ms and the rate up by about 7 %.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

pub use crate::server::db::webhook_events::NewEvent;
use crate::server::db::{webhook_events, Db};

/// Most events stored in one transaction.
const MAX_BATCH: usize = 512;
/// Handlers waiting beyond this many queued events wait for room: back-pressure, not memory growth.
const QUEUE: usize = 4096;

struct Job {
    event: NewEvent,
    stored: oneshot::Sender<Result<bool, String>>,
}

/// A flood: at least this many webhooks stored within `FLOOD_SPAN`, a rate (2,000 a second) twice the
/// steady pace the live figures are measured at, so the worker's rests do not hold back ordinary live
/// updates. Telling a flood by the size of the writer's batches instead (several large ones in a
/// row) missed floods on a slower machine: there the batches alternated above and below the size,
/// the worker never rested, and its work beside the writer's slowed the flood further.
const FLOOD_EVENTS: usize = 1000;
const FLOOD_SPAN: Duration = Duration::from_millis(500);
/// How long after the last such moment the inbox still counts as flooded.
const FLOOD_WINDOW: Duration = Duration::from_millis(100);

#[derive(Clone)]
pub struct Inbox {
    jobs: mpsc::Sender<Job>,
    last_flood: Arc<Mutex<Option<Instant>>>,
    turns: Turns,
}

/// Turns at SQLite's write lock; none on PostgreSQL, whose writers lock rows, not the database.
#[derive(Clone)]
struct Turns(Option<Arc<tokio::sync::Mutex<()>>>);

/// Held while writing; see [`Inbox::turn`].
pub type Turn = Option<tokio::sync::OwnedMutexGuard<()>>;

impl Turns {
    async fn take(&self) -> Turn {
        match &self.0 {
            Some(turns) => Some(turns.clone().lock_owned().await),
            None => None,
        }
    }
}

impl Inbox {
    /// Starts the writer; it runs until every `Inbox` handle is dropped. `sqlite`: the database is
    /// SQLite, whose writers take turns (see the module's notes).
    pub fn start(db: Db, sqlite: bool) -> (Inbox, tokio::task::JoinHandle<()>) {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let last_flood = Arc::new(Mutex::new(None));
        let turns = Turns(sqlite.then(Arc::default));
        let writer = tokio::spawn(write(db, queue, last_flood.clone(), turns.clone()));
        (Inbox { jobs, last_flood, turns }, writer)
    }

    /// Waits for a turn to write to the database and holds it until dropped. Worth taking only for
    /// writes made alongside the inbox's at a high rate (the worker's); hold it only while writing,
    /// never across a call to Lean.
    pub async fn turn(&self) -> Turn {
        self.turns.take().await
    }

    /// Runs `write` in a turn of its own (see [`Inbox::turn`]).
    pub async fn in_turn<T>(&self, write: impl std::future::Future<Output = T>) -> T {
        let _turn = self.turn().await;
        write.await
    }

    /// Whether webhooks are arriving in a flood right now (see the worker, which gives way to them).
    pub fn flooded(&self) -> bool {
        self.last_flood.lock().expect("inbox lock").is_some_and(|at| at.elapsed() < FLOOD_WINDOW)
    }

    /// Stores `event` unless its `event_id` is already stored. Ok(true): newly stored; Ok(false): a
    /// redelivery; Err: not stored, so the sender should retry.
    pub async fn store(&self, event: NewEvent) -> Result<bool, String> {
        let (stored, answer) = oneshot::channel();
        self.jobs
            .send(Job { event, stored })
            .await
            .map_err(|_| "the webhook writer has stopped".to_owned())?;
        answer.await.map_err(|_| "the webhook writer stopped before storing the event".to_owned())?
    }
}

/// How many webhooks were stored over the last `FLOOD_SPAN` (see `FLOOD_EVENTS`).
#[derive(Default)]
struct Arrivals {
    batches: std::collections::VecDeque<(Instant, usize)>,
    events: usize,
}

impl Arrivals {
    /// Counts a batch of `events` stored at `now`; true while the arrivals make a flood.
    fn flooded(&mut self, events: usize, now: Instant) -> bool {
        self.batches.push_back((now, events));
        self.events += events;
        while let Some(&(at, n)) = self.batches.front() {
            if now.duration_since(at) <= FLOOD_SPAN {
                break;
            }
            self.batches.pop_front();
            self.events -= n;
        }
        self.events >= FLOOD_EVENTS
    }
}

async fn write(
    db: Db,
    mut queue: mpsc::Receiver<Job>,
    last_flood: Arc<Mutex<Option<Instant>>>,
    turns: Turns,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut arrivals = Arrivals::default();
    let mut conn: Option<PoolConnection<sqlx::Any>> = None;
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if arrivals.flooded(batch.len(), Instant::now()) {
            *last_flood.lock().expect("inbox lock") = Some(Instant::now());
        }
        let turn = turns.take().await;
        let stored = match own_connection(&db, &mut conn, turns.0.is_some()).await {
            Ok(c) => store_together(c, &batch).await,
            Err(e) => Err(e),
        };
        let outcomes = match stored {
            Ok(inserted) => inserted.into_iter().map(Ok).collect(),
            Err(e) => {
                // Perhaps the connection broke: the next batch opens another.
                conn = None;
                // One bad row must not cost the others their place: store each on its own.
                tracing::warn!(error = %e, events = batch.len(), "batch insert failed; storing one by one");
                let mut outcomes = Vec::with_capacity(batch.len());
                for job in &batch {
                    outcomes.push(store_alone(&db, &job.event).await.map_err(|e| e.to_string()));
                }
                outcomes
            }
        };
        drop(turn);
        for (job, outcome) in batch.drain(..).zip(outcomes) {
            // The handler may have gone (client hung up); the event is stored either way.
            let _ = job.stored.send(outcome);
        }
    }
}

/// The writer keeps a connection of its own rather than taking any of the pool's. A SQLite connection
/// empties its page cache whenever another connection has written since it last looked, so with the
/// pool's connections taking turns every batch began by reading the indexes' pages back from the file
/// (the profile of a flood showed that and the cache's truncation near the top). It holds one of the
/// pool's connections for good (see `db::connect`, which counts it).
async fn own_connection<'c>(
    db: &Db,
    conn: &'c mut Option<PoolConnection<sqlx::Any>>,
    sqlite: bool,
) -> Result<&'c mut AnyConnection, sqlx::Error> {
    if conn.is_none() {
        let mut fresh = db.acquire().await?;
        if sqlite {
            // Room for the event-id index's pages, which random ids touch all over.
            sqlx::Executor::execute(&mut *fresh, "PRAGMA cache_size = -32768").await?;
        }
        *conn = Some(fresh);
    }
    Ok(&mut **conn.as_mut().expect("just set"))
}

/// Rows per INSERT statement: one round trip each (which is what PostgreSQL pays for), well within
/// both databases' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 64;

async fn store_together(conn: &mut AnyConnection, batch: &[Job]) -> Result<Vec<bool>, sqlx::Error> {
    if batch.len() <= ROWS_PER_STATEMENT {
        // One statement is atomic and durable on its own: no BEGIN and COMMIT round trips (on
        // SQLite those were a third of the writer's time per batch).
        let events: Vec<&NewEvent> = batch.iter().map(|job| &job.event).collect();
        return webhook_events::insert_many(conn, &events).await;
    }
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let mut inserted = Vec::with_capacity(batch.len());
    for chunk in batch.chunks(ROWS_PER_STATEMENT) {
        let events: Vec<&NewEvent> = chunk.iter().map(|job| &job.event).collect();
        inserted.extend(webhook_events::insert_many(&mut tx, &events).await?);
    }
    tx.commit().await?;
    Ok(inserted)
}

async fn store_alone(db: &Db, e: &NewEvent) -> Result<bool, sqlx::Error> {
    webhook_events::insert_once(
        db,
        &e.event_id,
        &e.event_type,
        &e.body,
        e.status,
        e.error,
        e.customer_id.as_ref(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_pace_is_no_flood_even_with_bursts_after_slow_flushes() {
        let mut arrivals = Arrivals::default();
        let start = Instant::now();
        // About 1,000 a second, one a millisecond; every 50 ms a slow flush holds a dozen back, and
        // they are stored together.
        for ms in 0..10_000u64 {
            let batch = match ms % 50 {
                38..=48 => continue,
                49 => 12,
                _ => 1,
            };
            assert!(!arrivals.flooded(batch, start + Duration::from_millis(ms)), "at {ms} ms");
        }
    }

    #[test]
    fn a_flood_is_told_by_its_rate_whatever_the_batch_sizes() {
        let mut arrivals = Arrivals::default();
        let start = Instant::now();
        // 2,500 a second in batches that alternate between large and small.
        let mut flooded_at = None;
        for step in 0..200u64 {
            let batch = if step % 2 == 0 { 40 } else { 10 };
            if arrivals.flooded(batch, start + Duration::from_millis(step * 10)) && flooded_at.is_none() {
                flooded_at = Some(step * 10);
            }
        }
        let at = flooded_at.expect("a flood");
        assert!(at <= FLOOD_SPAN.as_millis() as u64, "told within one span, at {at} ms");
        // Once it stops, the span empties.
        assert!(!arrivals.flooded(1, start + Duration::from_millis(2000 + 600)));
    }
}
