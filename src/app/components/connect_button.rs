use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::launch_connect;
use crate::app::launch::launch;
use crate::i18n::t;
use crate::link_sdk::Launch;
use crate::model::FlowOutcome;

/// "Connect a bank": mints a launch config on the server, opens `Lean.connect`, and records the
/// callback. The entity itself arrives later, by webhook. The same button says "Connect again" where a
/// bank's consent has expired (Lean: "New consent is required, please connect the entity once again").
#[component]
pub fn ConnectButton(
    on_outcome: impl Fn(FlowOutcome) + Copy + Send + Sync + 'static,
    /// The button's words; "Connect a bank" when not given.
    #[prop(optional, into)]
    label: Option<String>,
    /// The `data-testid` of the button, for pages that show more than one kind.
    #[prop(default = "connect-bank")]
    testid: &'static str,
    /// Runs when the person clicks, before anything is launched: what a page knew then is what an
    /// outcome is compared with (the entity's webhook often arrives before the SDK closes).
    #[prop(optional)]
    on_start: Option<Callback<()>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let error = RwSignal::new(None::<String>);
    let label = label.unwrap_or_else(|| t("bank-connect"));
    let start = move |_| {
        if let Some(on_start) = on_start {
            on_start.run(());
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match connect_flow().await {
                Ok(outcome) => on_outcome(outcome),
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="connect">
            <button type="button" class="button primary" data-testid=testid
                on:click=start disabled=move || busy.get() || !ready.get() aria-busy=move || busy.get().to_string()>
                {move || if busy.get() { t("bank-connecting") } else { label.clone() }}
            </button>
            <p class="form-error" role="alert" data-testid="connect-error">{move || error.get()}</p>
        </div>
    }
}

/// The whole flow behind the button (see `app::launch`). `#[lazy]`: its code is a wasm chunk of its
/// own, fetched on the first click, so no page's first load carries the SDK binding and these server
/// calls. The error is in plain words, ready to show.
#[lazy]
async fn connect_flow() -> Result<FlowOutcome, String> {
    launch(launch_connect(), Launch::connect, |_, _| ()).await.map_err(|e| e.localized())
}
