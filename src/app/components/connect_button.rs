use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{launch_connect, record_flow_outcome};
use crate::link_sdk;
use crate::model::FlowOutcome;

/// "Connect a bank": mints a launch config on the server, opens `Lean.connect`, and records the
/// callback. The entity itself arrives later, by webhook.
#[component]
pub fn ConnectButton(on_outcome: impl Fn(FlowOutcome) + Copy + Send + Sync + 'static) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let start = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let config = match launch_connect().await {
                Ok(c) => c,
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                    return;
                }
            };
            let launched = link_sdk::connect(&config, move |data| {
                spawn_local(async move {
                    match record_flow_outcome("connect".into(), data).await {
                        Ok(o) => on_outcome(o),
                        Err(e) => error.set(Some(format!("The outcome could not be saved: {e}"))),
                    }
                    busy.set(false);
                });
            });
            if let Err(e) = launched {
                error.set(Some(e.to_string()));
                busy.set(false);
            }
        });
    };

    view! {
        <div class="connect">
            <button type="button" class="button primary" data-testid="connect-bank"
                on:click=start disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                {move || if busy.get() { "Connecting…" } else { "Connect a bank" }}
            </button>
            <p class="form-error" role="alert" data-testid="connect-error">{move || error.get()}</p>
        </div>
    }
}
