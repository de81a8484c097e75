//! Logs that can be followed: a span for every request with its request id, the signed-in user once
//! known, and a webhook's `event_id`; a span for every Lean call and every webhook the worker applies.
//! `LOG_FORMAT=json` writes one JSON object per line, with the spans' fields on every line.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request};
use tracing::field::Empty;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request id a proxy sent is kept only if it is short and plain, so it cannot forge log lines.
const MAX_REQUEST_ID: usize = 64;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    /// One JSON object per line, with the fields of the spans it happened in.
    Json,
}

impl LogFormat {
    /// `LOG_FORMAT=json` or text (the default).
    pub fn from_env() -> Self {
        match std::env::var("LOG_FORMAT") {
            Ok(v) if v.trim().eq_ignore_ascii_case("json") => LogFormat::Json,
            _ => LogFormat::Text,
        }
    }
}

/// The log subscriber for `format`, writing to `writer` and filtered by `filter` (`RUST_LOG`'s syntax).
pub fn subscriber<W>(format: LogFormat, filter: &str, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(writer);
    match format {
        LogFormat::Json => Box::new(builder.json().with_current_span(true).with_span_list(true).finish()),
        LogFormat::Text => Box::new(builder.finish()),
    }
}

/// Starts logging as `LOG_FORMAT` says, filtered by `RUST_LOG`.
pub fn init_logging() {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into());
    let _ =
        tracing::subscriber::set_global_default(subscriber(LogFormat::from_env(), &filter, std::io::stderr));
}

fn usable(id: &HeaderValue) -> bool {
    id.len() <= MAX_REQUEST_ID
        && !id.is_empty()
        && id.as_bytes().iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Drops a malformed incoming request id, so the next layer makes a fresh one.
pub async fn drop_unusable_request_id(mut req: Request<Body>) -> Request<Body> {
    if req.headers().get(&REQUEST_ID).is_some_and(|id| !usable(id)) {
        req.headers_mut().remove(&REQUEST_ID);
    }
    req
}

/// The span of one request (see `startup::router`'s layers).
pub fn request_span(req: &Request<Body>) -> tracing::Span {
    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let path = req.uri().path();
    if path == "/webhooks/lean" {
        tracing::info_span!("webhook", request_id = %id, event_id = Empty)
    } else {
        tracing::info_span!("request", request_id = %id, method = %req.method(), path = %path, user_id = Empty)
    }
}

/// Records the signed-in user on the request's span (server functions call it once they know).
pub fn record_user(user_id: &str) {
    tracing::Span::current().record("user_id", user_id);
}

/// Records a webhook's id on the request's span.
pub fn record_event(event_id: &str) {
    tracing::Span::current().record("event_id", event_id);
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn json_lines_carry_the_request_id_and_user_of_their_span() {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = subscriber(LogFormat::Json, "info", move || writer.clone());
        tracing::subscriber::with_default(subscriber, || {
            let req = Request::builder()
                .uri("/api/payments_overview?x=1")
                .header(REQUEST_ID, "req-42")
                .body(Body::empty())
                .unwrap();
            let span = request_span(&req);
            let _in = span.enter();
            record_user("user-7");
            tracing::info!(lean_correlation_id = "corr-9", "something happened");
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.lines().next().expect("one line")).unwrap();
        assert_eq!(line["span"]["request_id"], "req-42");
        assert_eq!(line["span"]["user_id"], "user-7");
        assert_eq!(line["span"]["path"], "/api/payments_overview", "no query string in logs");
        assert_eq!(line["fields"]["lean_correlation_id"], "corr-9");
    }

    #[test]
    fn only_short_plain_request_ids_are_kept() {
        assert!(usable(&HeaderValue::from_static("3f2c-AB_1.x")));
        assert!(!usable(&HeaderValue::from_static("")));
        assert!(!usable(&HeaderValue::from_static("a b")));
        assert!(!usable(&HeaderValue::from_static("x\"quoted\"")));
        assert!(!usable(&HeaderValue::from_str(&"a".repeat(65)).unwrap()));
    }
}
