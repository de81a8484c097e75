//! The browser's side of the live stream: an EventSource on `/live`. EventSource reconnects on its own
//! and sends `Last-Event-ID`, so the server can replay what was missed.

use leptos::prelude::*;

use crate::model::LiveEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    Connecting,
    Live,
    Reconnecting,
}

impl LiveStatus {
    /// The status badge's classes.
    pub fn class(self) -> &'static str {
        match self {
            LiveStatus::Connecting => "live live-connecting",
            LiveStatus::Live => "live live-live",
            LiveStatus::Reconnecting => "live live-reconnecting",
        }
    }
}

/// Opens the stream while the calling component is mounted; `on_event` runs for each event.
pub fn use_live_events(on_event: impl Fn(LiveEvent) + 'static) -> ReadSignal<LiveStatus> {
    use_live_stream("/live".into(), parsed(on_event))
}

/// [`use_live_events`] from the live position `after` the page's data was read at: what changed since
/// is replayed as the stream opens, so the page need not ask for its data again then.
pub fn use_live_events_after(
    after: Option<i64>,
    on_event: impl Fn(LiveEvent) + 'static,
) -> ReadSignal<LiveStatus> {
    use_live_stream(stream_url(after), parsed(on_event))
}

fn stream_url(after: Option<i64>) -> String {
    match after {
        Some(seq) => format!("/live?after={seq}"),
        None => "/live".to_owned(),
    }
}

/// The same stream plus the developer console's rows (`/live?console=1`), for the console page.
pub fn use_live_console(on_event: impl Fn(LiveEvent) + 'static) -> ReadSignal<LiveStatus> {
    use_live_stream("/live?console=1".into(), parsed(on_event))
}

/// The stream for a page that reloads on any change and never reads the event itself. It does not
/// parse the events, so the event types' deserialisers (console rows, payments, ...) stay out of the
/// dashboard's wasm and load with the pages that read them. `after` is the live position the page
/// was rendered at (`api::live_position`): what changed since is replayed as the stream opens.
pub fn use_live_changes(after: Option<i64>, on_change: impl Fn() + 'static) -> ReadSignal<LiveStatus> {
    use_live_stream(stream_url(after), move |_| on_change())
}

/// Runs `catch_up` each time the stream opens. A page that loads its data apart from the stream
/// asks again then, for whatever was applied before the stream was there to say so.
pub fn on_open(live: ReadSignal<LiveStatus>, catch_up: impl Fn() + 'static) {
    Effect::new(move |_| {
        if live.get() == LiveStatus::Live {
            catch_up();
        }
    });
}

/// Hands `on_event` each message that parses as a `LiveEvent`.
fn parsed(on_event: impl Fn(LiveEvent) + 'static) -> impl Fn(&str) + 'static {
    move |text| {
        if let Ok(event) = serde_json::from_str::<LiveEvent>(text) {
            on_event(event);
        }
    }
}

fn use_live_stream(url: String, on_message: impl Fn(&str) + 'static) -> ReadSignal<LiveStatus> {
    let (status, set_status) = signal(LiveStatus::Connecting);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::prelude::*;
        use web_sys::{EventSource, MessageEvent};

        let source: StoredValue<Option<EventSource>, LocalStorage> = StoredValue::new_local(None);
        let on_message = std::rc::Rc::new(on_message);
        Effect::new(move |_| {
            let Ok(es) = EventSource::new(&url) else {
                set_status.set(LiveStatus::Reconnecting);
                return;
            };
            let handler = on_message.clone();
            let on_live = Closure::<dyn Fn(MessageEvent)>::new(move |msg: MessageEvent| {
                if let Some(text) = msg.data().as_string() {
                    handler(&text);
                }
            });
            let _ = es.add_event_listener_with_callback("live", on_live.as_ref().unchecked_ref());
            on_live.forget();
            let on_open = Closure::<dyn Fn()>::new(move || set_status.set(LiveStatus::Live));
            es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            on_open.forget();
            let on_error = Closure::<dyn Fn()>::new(move || set_status.set(LiveStatus::Reconnecting));
            es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            source.set_value(Some(es));
        });
        on_cleanup(move || {
            if let Some(Some(es)) = source.try_get_value() {
                es.close();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, on_message, set_status);
    }
    status
}
