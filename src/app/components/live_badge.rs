use leptos::prelude::*;

use crate::app::live::LiveStatus;
use crate::i18n::t;

/// The badge in a live page's head that says whether its stream is open, so a reader knows the
/// page is following Lean's webhooks (or is waiting to again).
#[component]
pub fn LiveBadge(live: ReadSignal<LiveStatus>) -> impl IntoView {
    view! {
        <span class=move || live.get().class() data-testid="live-status"
            role="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            {move || match live.get() {
                LiveStatus::Connecting => t("live-connecting"),
                LiveStatus::Live => t("live-live"),
                LiveStatus::Reconnecting => t("live-reconnecting"),
            }}
        </span>
    }
}
