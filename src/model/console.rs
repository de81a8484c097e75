//! The developer console's rows, as they travel to the browser (a page fetched, then live).

use serde::{Deserialize, Serialize};

/// One outbound call to Lean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleCall {
    pub at: String,
    pub method: String,
    /// Without its query string: a query could carry anything, and the path identifies the call.
    pub path: String,
    /// None when no answer came (timeout, connection refused).
    pub status: Option<i64>,
    pub latency_ms: i64,
    pub results_id: Option<String>,
}

impl ConsoleCall {
    /// Tells rows apart when the live stream and a fresh fetch both bring one.
    pub fn key(&self) -> String {
        format!("{} {} {}", self.at, self.method, self.path)
    }
}

/// One inbound webhook: stored ones (valid signature) and refused ones (401, not stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleWebhook {
    pub at: String,
    pub event_type: String,
    pub event_id: String,
    /// True when the signature matched.
    pub signature_ok: bool,
    /// "Valid signature", or why it was refused (English, for logs and the API; the page translates
    /// `rejection` instead).
    pub verdict: String,
    /// Why the signature was refused: `missing`, `malformed` or `mismatch`; None when it matched.
    pub rejection: Option<String>,
    pub status: super::WebhookStatus,
    pub attempts: i64,
    /// The worker's last error for this event (the handler's own words).
    pub error: Option<String>,
    /// Size of a refused body, which was not stored.
    pub refused_bytes: Option<u64>,
    /// The body, pretty-printed when it is JSON; None for refused webhooks (never stored).
    pub payload: Option<String>,
    /// May be applied again.
    pub replayable: bool,
}

impl ConsoleWebhook {
    /// Where the next page starts: this row's time and id (two webhooks may share a time).
    pub fn cursor(&self) -> String {
        format!("{}|{}", self.at, self.event_id)
    }

    /// Whether this row comes after (is older than) the row `cursor` names, newest first.
    pub fn is_after(&self, cursor: &str) -> bool {
        let (at, id) = cursor.split_once('|').unwrap_or((cursor, ""));
        self.at.as_str() < at || (self.at == at && self.event_id.as_str() < id)
    }

    /// A stored event is one row however often its status changes; each refusal is a row of its own.
    pub fn key(&self) -> String {
        if self.signature_ok {
            self.event_id.clone()
        } else {
            format!("rejected {} {}", self.at, self.event_id)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleLog {
    pub calls: Vec<ConsoleCall>,
    pub webhooks: Vec<ConsoleWebhook>,
    /// True for the app-wide view (admins): every user's calls and webhooks, and refused webhooks.
    /// False: the signed-in user's own.
    #[serde(default)]
    pub everyone: bool,
    /// Webhooks refused for their signature since the app started (app-wide view only; a sample of
    /// them is listed).
    #[serde(default)]
    pub refused_total: u64,
    /// Older webhooks than this page's exist (for "Older").
    #[serde(default)]
    pub more_webhooks: bool,
    /// Older calls than this page's exist.
    #[serde(default)]
    pub more_calls: bool,
}

/// Which rows the console shows: each table pages on its own, newest first, with its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleQuery {
    /// The page of webhooks after this row of the page before, as [`ConsoleWebhook::cursor`] writes
    /// it; None: the newest page, the one live rows arrive on.
    #[serde(default)]
    pub webhooks_before: Option<String>,
    /// The page of calls made before this time.
    #[serde(default)]
    pub calls_before: Option<String>,
    /// Only webhooks of this type.
    #[serde(default)]
    pub webhook_type: Option<String>,
    /// Only webhooks in this state (`received`, `processing`, `processed`, `failed`, `rejected`).
    #[serde(default)]
    pub webhook_status: Option<String>,
    /// Only calls that failed: no answer, or one outside 2xx.
    #[serde(default)]
    pub failed_calls: bool,
}

impl ConsoleQuery {
    pub fn webhook_matches(&self, w: &ConsoleWebhook) -> bool {
        self.webhook_type.as_ref().is_none_or(|t| *t == w.event_type)
            && self.webhook_status.as_ref().is_none_or(|s| s.as_str() == w.status.as_str())
    }

    pub fn call_matches(&self, c: &ConsoleCall) -> bool {
        !self.failed_calls || c.failed()
    }
}

impl ConsoleCall {
    /// No answer, or an answer outside 2xx.
    pub fn failed(&self) -> bool {
        !self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// The longest filter value the console takes (event types and statuses are far shorter).
pub const MAX_FILTER_CHARS: usize = 100;

/// One console row as it travels on the live stream, the moment it is recorded or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "row", rename_all = "snake_case")]
pub enum ConsoleEntry {
    Call(ConsoleCall),
    Webhook(ConsoleWebhook),
    /// A row too large to travel between instances (PostgreSQL NOTIFY): fetch the log again.
    Refresh,
}

/// How many rows of each kind one page of the console shows.
pub const ROWS: usize = 20;

impl ConsoleLog {
    /// Applies a live row to the page `query` shows: a row on the page takes its new state (or leaves,
    /// if it no longer matches the filters); a new row joins the newest page if it matches. Newest
    /// first, at most [`ROWS`] of each kind.
    pub fn apply(&mut self, entry: ConsoleEntry, query: &ConsoleQuery) {
        match entry {
            ConsoleEntry::Call(c) => {
                let key = c.key();
                let shown = self.calls.iter().any(|x| x.key() == key);
                if !shown && query.calls_before.is_some() {
                    return;
                }
                self.calls.retain(|x| x.key() != key);
                if query.call_matches(&c) {
                    self.calls.push(c);
                    // RFC 3339 UTC strings sort as times.
                    self.calls.sort_by(|a, b| b.at.cmp(&a.at));
                    if self.calls.len() > ROWS {
                        self.calls.truncate(ROWS);
                        self.more_calls = true;
                    }
                }
            }
            ConsoleEntry::Webhook(w) => {
                let key = w.key();
                let shown = self.webhooks.iter().any(|x| x.key() == key);
                if !shown && query.webhooks_before.is_some() {
                    return;
                }
                self.webhooks.retain(|x| x.key() != key);
                if query.webhook_matches(&w) {
                    self.webhooks.push(w);
                    self.webhooks.sort_by(|a, b| (&b.at, &b.event_id).cmp(&(&a.at, &a.event_id)));
                    if self.webhooks.len() > ROWS {
                        self.webhooks.truncate(ROWS);
                        self.more_webhooks = true;
                    }
                }
            }
            ConsoleEntry::Refresh => {}
        }
    }
}

/// What "send a signed test webhook" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestWebhookSent {
    pub event_type: String,
    pub event_id: String,
    /// The webhook endpoint's answer (200 when accepted).
    pub http_status: u16,
}

/// Event types "send a signed test webhook" offers (the same as `lean-merchant webhook send`).
pub const TEST_WEBHOOK_TYPES: &[&str] = &[
    "entity.created",
    "entity.updated",
    "entity.data.refresh.updated",
    "results.ready",
    "payment_intent.created",
    "payment.created",
    "payment.updated",
    "payment_source.created",
    "payment_source.beneficiary.created",
    "bank.availability.updated",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn call(at: String) -> ConsoleCall {
        ConsoleCall {
            at,
            method: "GET".into(),
            path: "/customers/v1/".into(),
            status: Some(200),
            latency_ms: 3,
            results_id: None,
        }
    }

    #[test]
    fn live_rows_replace_their_earlier_state_and_stay_newest_first() {
        let hook = |at: &str, id: &str, status: &str| ConsoleWebhook {
            at: at.into(),
            event_type: "entity.created".into(),
            event_id: id.into(),
            signature_ok: true,
            verdict: "Valid signature".into(),
            rejection: None,
            status: status.into(),
            attempts: 1,
            error: None,
            refused_bytes: None,
            payload: None,
            replayable: true,
        };
        let mut log = ConsoleLog {
            webhooks: vec![hook("2026-01-01T00:00:01Z", "a", "received")],
            ..ConsoleLog::default()
        };
        let newest = ConsoleQuery::default();
        log.apply(ConsoleEntry::Webhook(hook("2026-01-01T00:00:02Z", "b", "received")), &newest);
        log.apply(ConsoleEntry::Webhook(hook("2026-01-01T00:00:01Z", "a", "processed")), &newest);
        let rows: Vec<_> = log.webhooks.iter().map(|w| (w.event_id.as_str(), w.status.as_str())).collect();
        assert_eq!(rows, [("b", "received"), ("a", "processed")]);
        // Two refusals claiming the same id are two rows.
        let mut refused = hook("2026-01-01T00:00:03Z", "a", "rejected");
        refused.signature_ok = false;
        log.apply(ConsoleEntry::Webhook(refused.clone()), &newest);
        refused.at = "2026-01-01T00:00:04Z".into();
        log.apply(ConsoleEntry::Webhook(refused), &newest);
        assert_eq!(log.webhooks.len(), 4);
        for i in 0..(ROWS + 5) {
            log.apply(ConsoleEntry::Call(call(format!("2026-01-02T00:00:{i:02}Z"))), &newest);
        }
        assert_eq!(log.calls.len(), ROWS);
        assert!(log.more_calls, "the rows pushed off the page are on the next one");
        assert!(log.calls[0].at > log.calls[1].at);
    }

    #[test]
    fn live_rows_follow_the_page_and_its_filters() {
        let hook = |at: &str, id: &str, kind: &str, status: &str| ConsoleWebhook {
            at: at.into(),
            event_type: kind.into(),
            event_id: id.into(),
            signature_ok: true,
            verdict: "Valid signature".into(),
            rejection: None,
            status: status.into(),
            attempts: 1,
            error: None,
            refused_bytes: None,
            payload: None,
            replayable: true,
        };
        // Failed webhooks only: a new failure joins, a success does not, and a row that recovers leaves.
        let failed = ConsoleQuery { webhook_status: Some("failed".into()), ..ConsoleQuery::default() };
        let mut log = ConsoleLog::default();
        log.apply(
            ConsoleEntry::Webhook(hook("2026-01-01T00:00:01Z", "a", "payment.created", "failed")),
            &failed,
        );
        log.apply(
            ConsoleEntry::Webhook(hook("2026-01-01T00:00:02Z", "b", "payment.created", "processed")),
            &failed,
        );
        assert_eq!(log.webhooks.len(), 1);
        log.apply(
            ConsoleEntry::Webhook(hook("2026-01-01T00:00:01Z", "a", "payment.created", "processed")),
            &failed,
        );
        assert!(log.webhooks.is_empty());

        // An older page takes no new rows, but a row it shows still changes state.
        let older = ConsoleQuery {
            webhooks_before: Some("2026-01-01T00:00:05Z|z".into()),
            ..ConsoleQuery::default()
        };
        let mut log = ConsoleLog {
            webhooks: vec![hook("2026-01-01T00:00:01Z", "a", "entity.created", "received")],
            ..ConsoleLog::default()
        };
        log.apply(
            ConsoleEntry::Webhook(hook("2026-01-01T00:00:09Z", "n", "entity.created", "received")),
            &older,
        );
        log.apply(
            ConsoleEntry::Webhook(hook("2026-01-01T00:00:01Z", "a", "entity.created", "processed")),
            &older,
        );
        let rows: Vec<_> = log.webhooks.iter().map(|w| (w.event_id.as_str(), w.status.as_str())).collect();
        assert_eq!(rows, [("a", "processed")]);

        // Failed calls only.
        let failing = ConsoleQuery { failed_calls: true, ..ConsoleQuery::default() };
        let mut log = ConsoleLog::default();
        let mut bad = call("2026-01-02T00:00:01Z".into());
        bad.status = Some(500);
        log.apply(ConsoleEntry::Call(bad), &failing);
        log.apply(ConsoleEntry::Call(call("2026-01-02T00:00:02Z".into())), &failing);
        assert_eq!(log.calls.len(), 1);
        assert_eq!(log.calls[0].status, Some(500));
    }
}
