//! The payments made so far, each with its live status, and the buttons that pay an intent through
//! the bank (`Lean.pay`) or Open Finance (`Lean.checkout`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{outcome_text, show, show_error, status_badge, Outcome, OutcomeNotice, Overview, Section};
use crate::api::launch_payment;
use crate::app::launch::{launch, LaunchError};
use crate::i18n::t;
use crate::link_sdk::Launch;
use crate::model::PaymentRow;

#[component]
pub(super) fn HistorySection(
    overview: Overview,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <section class="history" aria-labelledby="payments-title">
            <h2 id="payments-title">{t("pay-history-title")}</h2>
            <OutcomeNotice outcome section=Section::Payments/>
            <Transition fallback=|| view! { <p class="muted">{t("pay-history-loading")}</p> }>
                {move || overview.get().map(|r| match r {
                    Ok(o) if o.payments.is_empty() => view! {
                        <p class="muted" data-testid="payments-empty">{t("pay-history-empty")}</p>
                    }.into_any(),
                    Ok(o) => view! { <PaymentTable rows=o.payments outcome on_change/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn PaymentTable(
    rows: Vec<PaymentRow>,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <table class="table" data-testid="payment-list">
            <thead><tr>
                <th scope="col">{t("pay-col-created")}</th><th scope="col">{t("pay-col-to")}</th>
                <th scope="col" class="num">{t("pay-col-amount")}</th><th scope="col">{t("pay-col-status")}</th>
                <th scope="col">{t("pay-col-pay")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|p| {
                    let payable = p.payable();
                    let intent = StoredValue::new(p.intent_id.to_string());
                    view! {
                        <tr data-testid="payment-row" data-intent-id=p.intent_id.to_string()
                            data-payment-id=p.payment_id.clone().unwrap_or_default()>
                            <td><bdi class="ltr">{p.created_at.get(..19).unwrap_or(&p.created_at).replace('T', " ")}</bdi></td>
                            <td><bdi>{p.destination_name.clone().unwrap_or_default()}</bdi></td>
                            <td class="num"><bdi class="ltr" data-testid="payment-amount">{p.amount.to_string()}</bdi></td>
                            <td>
                                <span class=status_badge(p.status.as_str()) data-testid="payment-status" data-status=p.status.to_string()
                                    title=p.status.to_string()>
                                    {PaymentRow::status_text(&p.status)}
                                </span>
                            </td>
                            <td>
                                {payable.then(|| view! {
                                    <div class="pay-actions">
                                        <PayButton method="pay" label=t("pay-with-bank") intent outcome on_change/>
                                        <PayButton method="checkout" label=t("pay-with-open-finance") intent outcome on_change/>
                                    </div>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Launches `Lean.pay` or `Lean.checkout` for one intent and records the callback.
#[component]
fn PayButton(
    method: &'static str,
    label: String,
    intent: StoredValue<String>,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let start = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let sdk = if method == "checkout" { Launch::checkout } else { Launch::pay };
            let ended = launch(launch_payment(intent.get_value()), sdk, |_, data| {
                let (text, class) = outcome_text(method, data);
                show(outcome, Section::Payments, text, class, data.status.to_string());
            })
            .await;
            match ended {
                Ok(_) => {}
                Err(e @ LaunchError::NotSaved { .. }) => {
                    show_error(outcome, Section::Payments, e.localized())
                }
                // Nothing was launched, so nothing changed.
                Err(e) => {
                    show_error(outcome, Section::Payments, e.localized());
                    busy.set(false);
                    return;
                }
            }
            busy.set(false);
            on_change();
        });
    };
    let testid = if method == "checkout" { "pay-open-finance" } else { "pay-with-bank" };
    view! {
        <button type="button" class="button small-btn" class:primary=move || method == "pay" data-testid=testid
            on:click=start disabled=move || busy.get() || !ready.get()>
            {label}
        </button>
    }
    .into_any()
}
