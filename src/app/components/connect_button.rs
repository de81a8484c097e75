use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{launch_connect, record_flow_outcome};
use crate::i18n::{arg, t, t_with};
use crate::link_sdk;
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
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let error = RwSignal::new(None::<String>);
    let label = label.unwrap_or_else(|| t("bank-connect"));
    let start = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let config = match launch_connect().await {
                Ok(c) => c,
                Err(e) => {
                    error.set(Some(e.localized()));
                    busy.set(false);
                    return;
                }
            };
            let launched = link_sdk::connect(&config, move |data| {
                spawn_local(async move {
                    match record_flow_outcome("connect".into(), data).await {
                        Ok(o) => on_outcome(o),
                        Err(e) => error.set(Some(t_with("flow-not-saved", &[("error", arg(e.localized()))]))),
                    }
                    busy.set(false);
                });
            });
            if let Err(e) = launched {
                error.set(Some(e.localized()));
                busy.set(false);
            }
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
