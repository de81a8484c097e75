use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::{launch_connect, payment_status, record_flow_outcome};
use crate::app::live::{use_live_events, LiveStatus};
use crate::app::pages::payments::status_badge;
use crate::link_sdk::{self, RedirectParams};
use crate::model::{AppError, LiveEvent, PaymentRow};

/// Where Lean sends the browser back after an Open Finance `checkout` (REFERENCE §7.2): both
/// `/open-finance/success` and `/open-finance/fail`. Hands the query parameters to
/// `Lean.captureRedirect`, which shows the final screen; the payment status then follows the webhooks.
#[component]
pub fn OpenFinancePage() -> impl IntoView {
    let query = use_query_map();
    let failed = use_location().pathname.get_untracked().ends_with("/fail");
    let param = move |k: &str| query.with_untracked(|q| q.get(k)).filter(|v| !v.is_empty());
    let intent_id = param("intent_id").unwrap_or_default();
    let params = RedirectParams {
        consent_attempt_id: param("consent_attempt_id"),
        consent_id: param("consent_id"),
        granular_status_code: param("granular_status_code"),
        status_additional_info: param("status_additional_info"),
    };
    let info = params.status_additional_info.clone();
    let code = params.granular_status_code.clone();

    let capture = RwSignal::new(None::<(String, String)>);
    let error = RwSignal::new(None::<String>);
    let params = StoredValue::new(params);
    // Runs once, in the browser: the SDK lives there.
    Effect::new(move |done: Option<()>| {
        if done.is_some() {
            return;
        }
        spawn_local(async move {
            let config = match launch_connect().await {
                Ok(c) => c,
                Err(e) => {
                    error.set(Some(e.to_string()));
                    return;
                }
            };
            let launched = link_sdk::capture_redirect(&config, &params.get_value(), move |data| {
                let text = match data.status.as_str() {
                    "SUCCESS" => "Your bank authorised the payment.".to_owned(),
                    "CANCELLED" => {
                        "You closed Lean's confirmation. The payment status below still follows your bank."
                            .to_owned()
                    }
                    _ => format!(
                        "Your bank did not complete the payment: {}",
                        data.message
                            .clone()
                            .or(data.secondary_status.clone())
                            .unwrap_or_else(|| "unknown error".into())
                    ),
                };
                capture.set(Some((data.status.clone(), text)));
                spawn_local(async move {
                    if let Err(e) = record_flow_outcome("captureRedirect".into(), data).await {
                        error.set(Some(format!("The outcome could not be saved: {e}")));
                    }
                });
            });
            if let Err(e) = launched {
                error.set(Some(e.to_string()));
            }
        });
    });

    let version = RwSignal::new(0u32);
    let intent = StoredValue::new(intent_id.clone());
    let status = Resource::new(move || version.get(), move |_| payment_status(intent.get_value()));
    let live = use_live_events(move |event| {
        if let LiveEvent::PaymentChanged { payment } = event {
            if payment.intent_id == intent.get_value() {
                version.update(|v| *v += 1);
            }
        }
    });
    // A webhook applied between the first load and the stream opening is caught by a reload then.
    Effect::new(move |_| {
        if live.get() == LiveStatus::Live {
            version.update(|v| *v += 1);
        }
    });

    view! {
        <p><A href="/payments">"← Payments"</A></p>
        <h1>{if failed { "Back from your bank: not completed" } else { "Back from your bank" }}</h1>
        {failed.then(|| view! {
            <div class="notice error" role="alert" data-testid="redirect-failure">
                <p>{info.unwrap_or_else(|| "Your bank did not authorise the payment.".into())}</p>
                {code.map(|c| view! { <p class="small">"Lean's code: " <code>{c}</code></p> })}
            </div>
        })}
        {move || match capture.get() {
            Some((s, text)) => view! {
                <div class=if s == "SUCCESS" { "notice ok" } else { "notice" } role="status"
                    data-testid="capture-outcome" data-status=s>
                    <p>{text}</p>
                </div>
            }.into_any(),
            None => view! { <p class="muted" data-testid="capture-pending">"Confirming with Lean…"</p> }.into_any(),
        }}
        <p class="form-error" role="alert">{move || error.get()}</p>
        <section aria-labelledby="status-title">
            <h2 id="status-title">"Payment status"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || status.get().map(|r| match r {
                    Ok(p) => view! {
                        <p>
                            {format!("{} {} to {} — ", p.amount, p.currency, p.destination_name.clone().unwrap_or_default())}
                            <span class=status_badge(&p.status) data-testid="payment-status" data-status=p.status.clone()
                                data-payment-id=p.payment_id.clone().unwrap_or_default()>
                                {PaymentRow::status_text(&p.status)}
                            </span>
                        </p>
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p class="muted">"This payment is not one of yours, or the link is incomplete."</p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
