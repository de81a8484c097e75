//! `GET /live`: a Server-Sent Events stream of the signed-in user's own events.
//!
//! The browser's EventSource reconnects by itself and sends `Last-Event-ID`; we replay what was
//! stored after that id, then follow the bus. Subscribing before reading the backlog, and skipping
//! ids already sent, means no event falls in the gap between the two.
//!
//! `GET /live?console=1` adds the developer console's rows, for users who may see the console
//! (403 for others): everyone's rows for an admin, the user's own for anyone else. Those rows carry no id: they are not replayed (the console fetches its log again
//! when the stream reconnects), and leaving the id out keeps `Last-Event-ID` on the user's own events.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use tokio_stream::wrappers::BroadcastStream;
use tower_sessions::Session;

use super::{console_audience_of, CONSOLE_AUDIENCE};
use crate::server::auth::session_user_id;
use crate::server::console::View;
use crate::server::db::live_events;
use crate::server::state::AppState;

#[derive(serde::Deserialize)]
pub struct StreamQuery {
    #[serde(default)]
    console: Option<String>,
    /// The last event the page already shows, rendered into it by the server (`live_position`): the
    /// stream replays from there, so a page needs no reload when its stream opens.
    #[serde(default)]
    after: Option<i64>,
}

pub async fn stream(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> Response {
    let Some(user_id) = session_user_id(&session).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let console = query.console.is_some_and(|v| v == "1" || v == "true");
    // The console's rows this stream may carry: everyone's for an admin, else the user's own.
    let console_audience = if console {
        match crate::server::console::view_of(&state, &user_id).await {
            Ok(Some(View::Everyone)) => Some(CONSOLE_AUDIENCE.to_owned()),
            Ok(Some(View::Own { .. })) => Some(console_audience_of(user_id.as_str())),
            Ok(None) => return StatusCode::FORBIDDEN.into_response(),
            Err(e) => {
                tracing::error!(error = %e, "could not check console access");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    } else {
        None
    };
    let last_seen =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());

    let live = state.bus.subscribe(user_id.as_str());
    // Subscribed before the backlog is read, so nothing published in between is missed.
    let console_rows = console_audience.map(|audience| state.bus.subscribe(&audience));
    // A fresh page load has no Last-Event-ID: it replays from the position it was rendered at, or,
    // not knowing it, starts from now (such a page reloads its data once the stream is open).
    let start = match last_seen.or(query.after.filter(|n| *n >= 0)) {
        Some(seq) => seq,
        None => live_events::latest_seq(&state.db, &user_id).await.unwrap_or(0),
    };
    let backlog = live_events::since(&state.db, &user_id, start).await.unwrap_or_default();
    let sent_up_to = backlog.last().map(|(seq, _)| *seq).unwrap_or(start);

    let replay = stream::iter(backlog.into_iter().map(|(seq, payload)| Some(event(seq, &payload))));
    let own = BroadcastStream::new(live).filter_map(move |msg| {
        futures::future::ready(match msg {
            Ok(p) if p.seq > sent_up_to => Some(Some(event(p.seq, &p.payload))),
            Ok(_) => None,
            // Lagged: this stream fell behind the bus. Ending it (None) makes the browser reconnect
            // with its Last-Event-ID and read the missed events from the table.
            Err(_) => Some(None),
        })
    });
    let follow = match console_rows {
        Some(rx) => {
            let rows = BroadcastStream::new(rx).map(|msg| match msg {
                Ok(p) => Some(console_row(&p.payload)),
                // A console that fell behind reconnects and fetches its log again.
                Err(_) => None,
            });
            stream::select(own, rows).boxed()
        }
        None => own.boxed(),
    };
    // Counted open until the response body (and with it this guard) is dropped.
    let open = crate::server::metrics::OpenStream::count();
    let body = replay
        .chain(follow)
        .inspect(move |_| {
            let _ = &open;
        })
        .take_while(|e| futures::future::ready(e.is_some()))
        .filter_map(|e| futures::future::ready(e.map(Ok::<_, Infallible>)))
        .take_until(state.shutdown.clone().cancelled_owned());
    Sse::new(body).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

fn console_row(payload: &str) -> Event {
    Event::default().event("live").data(payload)
}

fn event(seq: i64, payload: &str) -> Event {
    Event::default().id(seq.to_string()).event("live").data(payload)
}
