use sqlx::{AnyExecutor, Row};

use crate::model::CustomerId;

use super::{now, Db};

pub const RECEIVED: &str = "received";
pub const PROCESSED: &str = "processed";
pub const FAILED: &str = "failed";
pub const PROCESSING: &str = "processing";

/// A claim older than this is presumed dead (its instance stopped mid-event) and may be taken over.
const CLAIM_TIMEOUT_SECS: i64 = 300;

fn stale_before() -> String {
    (chrono::Utc::now() - chrono::Duration::seconds(CLAIM_TIMEOUT_SECS))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Stores an inbound webhook once. Returns false when `event_id` was already stored (a redelivery).
/// Takes any executor so the inbox can store a batch in one transaction.
pub async fn insert_once<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    event_id: &str,
    event_type: &str,
    body: &str,
    status: &str,
    error: Option<&str>,
    customer_id: Option<&CustomerId>,
) -> Result<bool, sqlx::Error> {
    let res = sqlx::query(
        "INSERT INTO webhook_events (event_id, event_type, body, status, received_at, last_error, customer_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event_id)
    .bind(event_type)
    .bind(body)
    .bind(status)
    .bind(now())
    .bind(error)
    .bind(customer_id)
    .execute(db)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// An inbound webhook as it is stored.
pub struct NewEvent {
    pub event_id: String,
    pub event_type: String,
    pub body: String,
    pub status: &'static str,
    pub error: Option<&'static str>,
    /// Whose event it is, for the developer console (the payload's `customer_id`, when it has one).
    pub customer_id: Option<CustomerId>,
}

/// Stores several webhooks in one statement, each once. For each event, in order: whether this call
/// stored it (false for one already stored, and for a repeat of an earlier event in the same list).
/// Takes a connection, not the pool: when some were stored before, a second statement on the same
/// connection tells which (see below).
pub async fn insert_many(
    conn: &mut sqlx::AnyConnection,
    events: &[&NewEvent],
) -> Result<Vec<bool>, sqlx::Error> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "INSERT INTO webhook_events (event_id, event_type, body, status, received_at, last_error, customer_id) \
         VALUES ",
    );
    for i in 0..events.len() {
        let p = i * 7;
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(${},${},${},${},${},${},${})",
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5,
            p + 6,
            p + 7
        ));
    }
    sql.push_str(" ON CONFLICT (event_id) DO NOTHING");
    let received_at = now();
    // Kept in the connection's statement cache: there is one text per batch size (at most
    // `ROWS_PER_STATEMENT` of them, see the inbox), and preparing the statement for every batch cost
    // SQLite a search of the parameters named so far for each of the hundreds of `$n` (a profile
    // of a flood showed the string comparisons). Only placeholders are generated; every value is bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for e in events {
        query = query
            .bind(e.event_id.as_str())
            .bind(e.event_type.as_str())
            .bind(e.body.as_str())
            .bind(e.status)
            .bind(received_at.as_str())
            .bind(e.error)
            .bind(e.customer_id.as_ref());
    }
    // As many rows as events: every event was distinct and new, the usual case, answered without
    // sending rows back (RETURNING cost the webhook endpoint about a twentieth of its rate on SQLite).
    if query.execute(&mut *conn).await?.rows_affected() == events.len() as u64 {
        return Ok(vec![true; events.len()]);
    }
    // Some were stored before, or repeat in the list: the rows this statement wrote carry its
    // timestamp, which no earlier write of this writer can share (a statement takes far longer than
    // the timestamp's microsecond).
    let sql = format!(
        "SELECT event_id FROM webhook_events WHERE received_at = $1 AND event_id IN ({})",
        placeholders(2, events.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(received_at.as_str());
    for e in events {
        query = query.bind(e.event_id.as_str());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut stored: std::collections::HashSet<String> =
        rows.iter().map(|r| r.try_get::<String, _>(0)).collect::<Result<_, _>>()?;
    // The first occurrence of a stored id takes the credit; repeats are redeliveries.
    Ok(events.iter().map(|e| stored.remove(&e.event_id)).collect())
}

pub struct PendingEvent {
    pub event_id: String,
    pub body: String,
    pub attempts: i64,
}

/// Events stored but not yet applied (or whose claim went stale), oldest first: what the worker
/// picks up, also after a restart.
pub async fn pending(db: &Db, limit: i64) -> Result<Vec<PendingEvent>, sqlx::Error> {
    let rows = sqlx::query(
        // The two kinds apart, each read in the order of the (status, received_at) index up to the
        // limit. Asked for together (`status = $1 OR (…)`), SQLite gathered every pending event, bodies
        // and all, and sorted them to take the first few: in a flood, with tens of thousands waiting,
        // that took the core from the endpoint for tens of milliseconds each time.
        "SELECT event_id, body, attempts, received_at FROM
           (SELECT event_id, body, attempts, received_at FROM webhook_events
            WHERE status = $1 ORDER BY received_at LIMIT $4) AS fresh
         UNION ALL
         SELECT event_id, body, attempts, received_at FROM
           (SELECT event_id, body, attempts, received_at FROM webhook_events
            WHERE status = $2 AND claimed_at < $3 ORDER BY received_at LIMIT $4) AS stale
         ORDER BY received_at LIMIT $4",
    )
    .bind(RECEIVED)
    .bind(PROCESSING)
    .bind(stale_before())
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| Ok(PendingEvent { event_id: r.try_get(0)?, body: r.try_get(1)?, attempts: r.try_get(2)? }))
        .collect()
}

/// `$first, $first+1, …` for `n` values: the placeholders of an `IN (…)` list. Only placeholders are
/// generated; every value is bound.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(",")
}

/// Claims several events for this instance in one statement (one write instead of one per event,
/// which on SQLite is one turn at the database's single write lock that the webhook endpoint waits
/// for). Returns the ids this instance got; of several instances, each event goes to exactly one.
pub async fn claim_many(db: &Db, event_ids: &[&str], instance: &str) -> Result<Vec<String>, sqlx::Error> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE webhook_events SET status = $1, claimed_by = $2, claimed_at = $3
         WHERE event_id IN ({}) AND (status = $4 OR (status = $1 AND claimed_at < $5))
         RETURNING event_id",
        placeholders(6, event_ids.len())
    );
    // Not kept in the statement cache: its text changes with the number of ids.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(PROCESSING)
        .bind(instance)
        .bind(now())
        .bind(RECEIVED)
        .bind(stale_before());
    for id in event_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(db).await?;
    rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
}

/// Marks events that this instance applied without error as processed, in one statement.
pub async fn finish_applied<'e>(db: impl AnyExecutor<'e>, event_ids: &[String]) -> Result<(), sqlx::Error> {
    if event_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE webhook_events SET status = $1, processed_at = $2, attempts = attempts + 1, last_error = NULL
         WHERE event_id IN ({})",
        placeholders(3, event_ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(PROCESSED).bind(now());
    for id in event_ids {
        query = query.bind(id.as_str());
    }
    query.execute(db).await?;
    Ok(())
}

/// Hands back claims this instance took but will not apply (it is shutting down), so the next run or
/// another instance applies them without waiting out the claim timeout.
pub async fn release_claims(db: &Db, event_ids: &[String], instance: &str) -> Result<(), sqlx::Error> {
    if event_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE webhook_events SET status = $1, claimed_by = NULL, claimed_at = NULL
         WHERE status = $2 AND claimed_by = $3 AND event_id IN ({})",
        placeholders(4, event_ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(RECEIVED)
        .bind(PROCESSING)
        .bind(instance);
    for id in event_ids {
        query = query.bind(id.as_str());
    }
    query.execute(db).await?;
    Ok(())
}

/// Hands back every claimed event, for a process that knows it is the only one using the database (the
/// SQLite file): a claim it finds at start-up was left by a run that died mid-event, and waiting out the
/// claim timeout would only delay that event. Handlers are idempotent, so applying it again is safe.
pub async fn release_all_claims(db: &Db) -> Result<u64, sqlx::Error> {
    let res = sqlx::query("UPDATE webhook_events SET status = $1, claimed_by = NULL WHERE status = $2")
        .bind(RECEIVED)
        .bind(PROCESSING)
        .execute(db)
        .await?;
    Ok(res.rows_affected())
}

/// Marks the outcome of one processing attempt. A transient failure keeps the event `received`
/// so it is tried again; `give_up` turns it `failed`.
pub async fn finish(db: &Db, event_id: &str, error: Option<&str>, give_up: bool) -> Result<(), sqlx::Error> {
    let status = match (error, give_up) {
        (None, _) => PROCESSED,
        (Some(_), true) => FAILED,
        (Some(_), false) => RECEIVED,
    };
    sqlx::query(
        "UPDATE webhook_events SET status = $1, processed_at = $2, attempts = attempts + 1, last_error = $3
         WHERE event_id = $4",
    )
    .bind(status)
    .bind(now())
    .bind(error)
    .bind(event_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn status_of(db: &Db, event_id: &str) -> Result<Option<(String, i64)>, sqlx::Error> {
    let row = sqlx::query("SELECT status, attempts FROM webhook_events WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// The most recently received event: (type, event_id, received_at).
pub async fn latest(db: &Db) -> Result<Option<(String, String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT event_type, event_id, received_at FROM webhook_events ORDER BY received_at DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).transpose()
}

/// One stored webhook, as the developer console lists it.
pub struct StoredEvent {
    pub event_id: String,
    pub event_type: String,
    pub body: String,
    pub status: String,
    pub received_at: String,
    pub processed_at: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

impl StoredEvent {
    /// From a row whose first eight columns are the event's, in the struct's order.
    fn from_row(r: &sqlx::any::AnyRow) -> Result<StoredEvent, sqlx::Error> {
        Ok(StoredEvent {
            event_id: r.try_get(0)?,
            event_type: r.try_get(1)?,
            body: r.try_get(2)?,
            status: r.try_get(3)?,
            received_at: r.try_get(4)?,
            processed_at: r.try_get(5)?,
            attempts: r.try_get(6)?,
            last_error: r.try_get(7)?,
        })
    }
}

/// Which stored events the console lists: about whom (None: everyone), after which row (its time and
/// event id, newest first), of which type, in which state.
pub struct EventFilter<'a> {
    pub customer_id: Option<&'a CustomerId>,
    pub after_row: Option<(&'a str, &'a str)>,
    pub event_type: Option<&'a str>,
    pub status: Option<&'a str>,
}

/// The most recently received events the filter lets through, newest first.
pub async fn recent(db: &Db, filter: &EventFilter<'_>, limit: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let mut conditions = Vec::new();
    let mut binds: Vec<&str> = Vec::new();
    let wanted = [
        ("customer_id =", filter.customer_id.map(CustomerId::as_str)),
        ("event_type =", filter.event_type),
        ("status =", filter.status),
    ];
    for (test, value) in wanted {
        if let Some(v) = value {
            binds.push(v);
            conditions.push(format!("{test} ${}", binds.len()));
        }
    }
    if let Some((at, event_id)) = filter.after_row {
        binds.push(at);
        binds.push(event_id);
        let (a, e) = (binds.len() - 1, binds.len());
        conditions.push(format!("(received_at < ${a} OR (received_at = ${a} AND event_id < ${e}))"));
    }
    let sql = format!(
        "SELECT event_id, event_type, body, status, received_at, processed_at, attempts, last_error
         FROM webhook_events {} ORDER BY received_at DESC, event_id DESC LIMIT ${}",
        super::lean_api_calls::where_clause(&conditions),
        binds.len() + 1
    );
    // Built from this function's fixed fragments only; every value is bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.bind(limit).fetch_all(db).await?;
    rows.iter().map(StoredEvent::from_row).collect()
}

/// The stored events of `event_ids` that exist, in the order given, each with the user whose customer
/// it concerns, if any (for the developer console's rows).
pub async fn with_owners(
    db: &Db,
    event_ids: &[String],
) -> Result<Vec<(StoredEvent, Option<crate::model::UserId>)>, sqlx::Error> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT w.event_id, w.event_type, w.body, w.status, w.received_at, w.processed_at, w.attempts,
                w.last_error, c.user_id
         FROM webhook_events w LEFT JOIN customers c ON c.customer_id = w.customer_id
         WHERE w.event_id IN ({})",
        placeholders(1, event_ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
    for id in event_ids {
        query = query.bind(id.as_str());
    }
    let mut found = std::collections::HashMap::new();
    for r in query.fetch_all(db).await? {
        let event = StoredEvent::from_row(&r)?;
        found.insert(event.event_id.clone(), (event, r.try_get(8)?));
    }
    Ok(event_ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// Puts a stored event back to `received` so the worker applies it again (the developer console's
/// "replay"). Handlers are idempotent, so a replay gives the same result as the first run. An event
/// being applied right now is left alone. Returns false when nothing was reset.
pub async fn reset_for_replay(db: &Db, event_id: &str) -> Result<bool, sqlx::Error> {
    let res = sqlx::query(
        "UPDATE webhook_events SET status = $1, attempts = 0, last_error = NULL, claimed_by = NULL,
         claimed_at = NULL WHERE event_id = $2 AND status <> $3",
    )
    .bind(RECEIVED)
    .bind(event_id)
    .bind(PROCESSING)
    .execute(db)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// The customer a stored event concerns: None when no such event is stored, `Some(None)` for an
/// app-wide event.
pub async fn customer_of(db: &Db, event_id: &str) -> Result<Option<Option<CustomerId>>, sqlx::Error> {
    let row = sqlx::query("SELECT customer_id FROM webhook_events WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| r.try_get::<Option<CustomerId>, _>(0)).transpose()
}

/// Events waiting for the worker (received or being applied), and when the oldest of them arrived.
pub async fn backlog(db: &Db) -> Result<(i64, Option<String>), sqlx::Error> {
    let row =
        sqlx::query("SELECT COUNT(*), MIN(received_at) FROM webhook_events WHERE status = $1 OR status = $2")
            .bind(RECEIVED)
            .bind(PROCESSING)
            .fetch_one(db)
            .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}
