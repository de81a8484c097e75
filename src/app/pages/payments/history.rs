//! The payments made so far, each with its live status, and the buttons that pay an intent through
//! the bank (`Lean.pay`) or Open Finance (`Lean.checkout`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{outcome_text, show, show_error, status_badge, Outcome, OutcomeNotice, Overview, Section};
use crate::api::{launch_bulk_payment, launch_payment};
use crate::app::launch::{launch, LaunchError};
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::Launch;
use crate::model::{bank_name_shown, BankChoice, Money, PaymentRow, PaymentSource};

/// The optional fields of `Lean.pay` and `Lean.checkout` the person picked, read when a pay button
/// is pressed.
#[derive(Clone, Copy)]
pub(super) struct PayOptionPicks {
    account: RwSignal<String>,
    bank: RwSignal<String>,
    name: RwSignal<String>,
    risk: RwSignal<bool>,
}

impl PayOptionPicks {
    fn new() -> Self {
        PayOptionPicks {
            account: RwSignal::new(String::new()),
            bank: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            risk: RwSignal::new(false),
        }
    }
}

#[component]
pub(super) fn HistorySection(
    overview: Overview,
    sources: RwSignal<Vec<PaymentSource>>,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let picks = PayOptionPicks::new();
    let banks = Memo::new(move |_| {
        overview.with(|o| match o {
            Some(Ok(o)) => o.bank_choices.clone(),
            _ => Vec::new(),
        })
    });
    view! {
        <section class="history" aria-labelledby="payments-title">
            <h2 id="payments-title">{t("pay-history-title")}</h2>
            <PayOptionsPanel picks sources banks/>
            <OutcomeNotice outcome section=Section::Payments/>
            <Transition fallback=|| view! { <p class="muted">{t("pay-history-loading")}</p> }>
                {move || overview.get().map(|r| match r {
                    Ok(o) if o.payments.is_empty() => view! {
                        <p class="muted" data-testid="payments-empty">{t("pay-history-empty")}</p>
                    }.into_any(),
                    Ok(o) => view! {
                        <BulkList rows=o.payments.clone() picks outcome on_change/>
                        <PaymentTable rows=o.payments picks outcome on_change/>
                    }.into_any(),
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
    picks: PayOptionPicks,
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
                            <td>
                                <bdi>{p.destination_name.clone().unwrap_or_default()}</bdi>
                                {p.bulk_id.is_some().then(|| view! {
                                    " " <span class="badge" data-testid="bulk-badge">{t("pay-bulk-badge")}</span>
                                })}
                            </td>
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
                                        <PayButton method="pay" label=t("pay-with-bank") intent picks outcome on_change/>
                                        <PayButton method="checkout" label=t("pay-with-open-finance") intent picks outcome on_change/>
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

/// Launches `Lean.pay` or `Lean.checkout` for one intent (`method` "pay" or "checkout"), or `Lean.pay`
/// for a whole bulk ("bulk", `intent` then being the bulk's id), and records the callback.
#[component]
fn PayButton(
    method: &'static str,
    label: String,
    intent: StoredValue<String>,
    picks: PayOptionPicks,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let start = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let checkout = method == "checkout";
            let sdk = if checkout { Launch::checkout } else { Launch::pay };
            // Each option goes only to the method Lean documents it for.
            let (account, bank) = (picks.account.get_untracked(), picks.bank.get_untracked());
            let risk = picks.risk.get_untracked().then(|| "on".to_owned());
            let config = async move {
                if method == "bulk" {
                    launch_bulk_payment(intent.get_value(), Some(account), Some(bank), risk).await
                } else {
                    let name = checkout.then(|| picks.name.get_untracked());
                    let account = (!checkout).then_some(account);
                    launch_payment(
                        intent.get_value(),
                        Some(method.to_owned()),
                        account,
                        Some(bank),
                        name,
                        risk,
                    )
                    .await
                }
            };
            let ended = launch(config, sdk, |_, data| {
                let (text, class) = outcome_text(if checkout { "checkout" } else { "pay" }, data);
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
    let testid = match method {
        "checkout" => "pay-open-finance",
        "bulk" => "pay-bulk",
        _ => "pay-with-bank",
    };
    view! {
        <button type="button" class="button small-btn" class:primary=move || method != "checkout" data-testid=testid
            on:click=start disabled=move || busy.get() || !ready.get()>
            {label}
        </button>
    }
    .into_any()
}

/// Lean's optional fields for `pay` and `checkout`, each with a line saying what it does. Unset, Lean
/// asks the payer for the bank and the account itself.
#[component]
fn PayOptionsPanel(
    picks: PayOptionPicks,
    sources: RwSignal<Vec<PaymentSource>>,
    banks: Memo<Vec<BankChoice>>,
) -> impl IntoView {
    // A pick that is no longer offered (a source removed) is dropped.
    Effect::new(move |_| {
        let listed = sources
            .with(|s| s.iter().any(|s| s.accounts.iter().any(|a| a.id == picks.account.get_untracked())));
        if !listed && !picks.account.get_untracked().is_empty() {
            picks.account.set(String::new());
        }
    });
    let bank_name = move |identifier: &str| banks.with(|list| super::sources::shown_bank(list, identifier));
    view! {
        <details class="pay-options" data-testid="pay-options">
            <summary>{t("pay-options-title")}</summary>
            <p class="small muted">{t("pay-options-intro")}</p>
            <div class="field-row">
                <div class="field">
                    <label for="pay-option-account">{t("pay-option-account-label")}</label>
                    <select id="pay-option-account" data-testid="pay-option-account"
                        on:change=move |ev| picks.account.set(event_target_value(&ev)) prop:value=move || picks.account.get()>
                        <option value="">{t("pay-option-account-any")}</option>
                        {move || sources.get().into_iter().flat_map(|s| {
                            let bank = bank_name(&s.bank_identifier);
                            s.accounts.into_iter().map(move |a| {
                                let id = a.id.clone();
                                let label = format!("{} ••••{} · {} ({})", a.name, a.iban_end, bank, a.currency);
                                view! {
                                    <option value=a.id.clone() selected=move || picks.account.get() == id>{label}</option>
                                }
                            })
                        }).collect_view()}
                    </select>
                    <p class="small muted">{t("pay-option-account-help")}</p>
                </div>
                <div class="field">
                    <label for="pay-option-bank">{t("pay-option-bank-label")}</label>
                    <select id="pay-option-bank" data-testid="pay-option-bank"
                        on:change=move |ev| picks.bank.set(event_target_value(&ev)) prop:value=move || picks.bank.get()>
                        <option value="">{t("pay-option-bank-any")}</option>
                        {move || banks.get().into_iter().map(|b| {
                            let id = b.identifier.clone();
                            view! {
                                <option value=b.identifier.clone() selected=move || picks.bank.get() == id>
                                    {bank_name_shown(&b.name.name, b.name.arabic_name.as_deref()).to_owned()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <p class="small muted">{t("pay-option-bank-help")}</p>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="pay-option-name">{t("pay-option-name-label")}</label>
                    <input id="pay-option-name" data-testid="pay-option-name" maxlength="140" autocomplete="name"
                        on:input=move |ev| picks.name.set(event_target_value(&ev)) prop:value=move || picks.name.get()/>
                    <p class="small muted">{t("pay-option-name-help")}</p>
                </div>
                <div class="field">
                    <label class="inline-check">
                        <input type="checkbox" data-testid="pay-option-risk"
                            on:change=move |ev| picks.risk.set(event_target_checked(&ev)) prop:checked=move || picks.risk.get()/>
                        " " {t("pay-option-risk-label")}
                    </label>
                    <p class="small muted">{t("pay-option-risk-help")}</p>
                </div>
            </div>
        </details>
    }
    .into_any()
}

/// The bulk payment intents that can still be paid together: how many payments, how much in all, and
/// one button that pays them with `Lean.pay({bulk_payment_intent_id})`.
#[component]
fn BulkList(
    rows: Vec<PaymentRow>,
    picks: PayOptionPicks,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let mut groups: Vec<(String, Vec<PaymentRow>)> = Vec::new();
    for row in rows {
        let Some(bulk) = row.bulk_id.clone() else { continue };
        match groups.iter_mut().find(|(id, _)| *id == bulk) {
            Some((_, children)) => children.push(row),
            None => groups.push((bulk, vec![row])),
        }
    }
    groups.retain(|(_, children)| children.iter().all(PaymentRow::payable));
    if groups.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="bulk-list" data-testid="bulk-list">
            {groups.into_iter().map(|(bulk, children)| {
                let currency = children[0].amount.currency.clone();
                let total = Money::new(children.iter().map(|c| c.amount.minor).sum(), currency);
                let summary = t_with("pay-bulk-summary", &[("count", arg(children.len())), ("total", arg(total.to_string()))]);
                let bulk = StoredValue::new(bulk);
                view! {
                    <li data-testid="bulk-row" data-bulk-id=bulk.get_value()>
                        <span class="badge">{t("pay-bulk-badge")}</span> " "
                        <bdi>{summary}</bdi> " "
                        <PayButton method="bulk" label=t("pay-bulk-pay") intent=bulk picks outcome on_change/>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
