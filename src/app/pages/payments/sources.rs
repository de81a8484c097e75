//! Pay by bank's payment sources: the controls that create one or add a recipient to one, and the
//! list of sources with each recipient's cool-off.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{
    outcome_text, show, show_error, timestamp, Notice, Outcome, OutcomeNotice, Overview, Said, Section,
};
use crate::api::{
    launch_add_payments, launch_beneficiary, launch_connect_for_payments, launch_payment_source,
};
use crate::app::launch::launch;
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::Launch;
use crate::model::{
    bank_name_shown, BankChoice, Beneficiary, CallbackData, Destination, DestinationId, Entity, EntityStatus,
    FlowStatus, PaymentSource,
};

#[component]
pub(super) fn SourcesSection(
    overview: Overview,
    destinations: RwSignal<Vec<Destination>>,
    sources: RwSignal<Vec<PaymentSource>>,
    banks: RwSignal<Vec<Entity>>,
    outcome: Outcome,
) -> impl IntoView {
    let bank_choices = Memo::new(move |_| {
        overview.with(|o| match o {
            Some(Ok(o)) => o.bank_choices.clone(),
            _ => Vec::new(),
        })
    });
    view! {
        <section class="history" aria-labelledby="sources-title">
            <h2 id="sources-title">{t("pay-sources-title")}</h2>
            <p class="small muted">{t("pay-sources-intro")}</p>
            <PaymentSourceControls destinations sources banks bank_choices outcome/>
            <Transition fallback=|| ()>
                {move || overview.get().map(|r| match r {
                    Ok(o) => view! { <SourceList sources=o.sources destinations=o.destinations banks=o.bank_choices/> }.into_any(),
                    Err(_) => ().into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// Legacy payment sources: `createPaymentSource` (deprecated by Lean) makes one at the payer's bank with
/// the picked destination as its first recipient; `updatePaymentSource` and `createBeneficiary` add
/// the picked destination as a recipient of the picked source. New recipients go through the bank's
/// cool-off, which the list below shows until Lean's webhook says it is over.
#[component]
fn PaymentSourceControls(
    destinations: RwSignal<Vec<Destination>>,
    sources: RwSignal<Vec<PaymentSource>>,
    banks: RwSignal<Vec<Entity>>,
    bank_choices: Memo<Vec<BankChoice>>,
    outcome: Outcome,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let destination = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let bank = RwSignal::new(String::new());
    // Banks connected for data only: active, and no payment source of the person's at that bank.
    let data_only = Memo::new(move |_| {
        let sources = sources.get();
        banks
            .get()
            .into_iter()
            .filter(|e| e.status == EntityStatus::Active)
            .filter(|e| !sources.iter().any(|s| s.bank_identifier == e.bank_identifier))
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        let list = data_only.get();
        if !list.iter().any(|e| e.id == bank.get_untracked()) {
            bank.set(list.first().map(|e| e.id.to_string()).unwrap_or_default());
        }
    });
    // Keep a valid pick as the lists change (the first one until the user picks another).
    Effect::new(move |_| {
        let list = destinations.get();
        if !list.iter().any(|d| d.id == destination.get_untracked()) {
            destination.set(list.first().map(|d| d.id.to_string()).unwrap_or_default());
        }
    });
    Effect::new(move |_| {
        let list = sources.get();
        if !list.iter().any(|s| s.id == source.get_untracked()) {
            source.set(list.first().map(|s| s.id.to_string()).unwrap_or_default());
        }
    });
    let fail = move |text: String| {
        show_error(outcome, Section::Sources, text);
        busy.set(false);
    };
    let run = move |method: &'static str| {
        let destination_id = destination.get_untracked();
        if destination_id.is_empty() {
            fail(t("pay-add-destination-first"));
            return;
        }
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let destination = DestinationId::from(destination_id.as_str());
            let closed = move |data: &CallbackData| {
                if data.status == FlowStatus::Success {
                    outcome.set(Some(Notice {
                        said: Said::Recipient {
                            destination,
                            new_source: matches!(
                                method,
                                "createPaymentSource" | "connectForPayments" | "addPaymentsToBank"
                            ),
                        },
                        class: "notice ok",
                        status: data.status.to_string(),
                        section: Section::Sources,
                    }));
                } else {
                    let (text, class) = outcome_text(method, data);
                    show(outcome, Section::Sources, text, class, data.status.to_string());
                }
            };
            let ended = match method {
                "connectForPayments" => {
                    let config = launch_connect_for_payments(destination_id);
                    launch(config, Launch::connect_with, |_, data| closed(data)).await
                }
                "createPaymentSource" => {
                    let config = launch_payment_source(destination_id);
                    launch(config, Launch::create_payment_source, |_, data| closed(data)).await
                }
                "addPaymentsToBank" => {
                    let config = launch_add_payments(destination_id, bank.get_untracked());
                    launch(config, Launch::update_payment_source, |_, data| closed(data)).await
                }
                "createBeneficiary" => {
                    let config = launch_beneficiary(destination_id, source.get_untracked());
                    launch(config, Launch::create_beneficiary, |_, data| closed(data)).await
                }
                _ => {
                    let config = launch_beneficiary(destination_id, source.get_untracked());
                    launch(config, Launch::update_payment_source, |_, data| closed(data)).await
                }
            };
            match ended {
                Ok(_) => busy.set(false),
                Err(e) => fail(e.localized()),
            }
        });
    };
    let no_destination = move || destinations.with(Vec::is_empty);
    let no_source = move || sources.with(Vec::is_empty);
    view! {
        <div class="sources" data-testid="source-controls">
            <div class="field-row">
                <div class="field">
                    <label for="source-destination">{t("pay-source-destination-label")}</label>
                    <select id="source-destination" data-testid="source-destination"
                        on:change=move |ev| destination.set(event_target_value(&ev))
                        prop:value=move || destination.get() disabled=no_destination>
                        {move || no_destination().then(|| view! {
                            <option value="">{t("pay-no-destinations-option")}</option>
                        })}
                        {move || destinations.get().into_iter().map(|d| {
                            let id = d.id.clone();
                            view! {
                                <option value=d.id.to_string() selected=move || destination.get() == id>
                                    {format!("{} ({})", d.display_name, d.currency)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="source-source">{t("pay-source-source-label")}</label>
                    <select id="source-source" data-testid="source-source"
                        on:change=move |ev| source.set(event_target_value(&ev))
                        prop:value=move || source.get() disabled=no_source>
                        {move || {
                            let list = sources.get();
                            if list.is_empty() {
                                return view! { <option value="">{t("pay-source-none-yet")}</option> }.into_any();
                            }
                            list.into_iter().enumerate().map(|(i, s)| {
                                let id = s.id.clone();
                                view! {
                                    <option value=s.id.to_string() selected=move || source.get() == id>
                                        {t_with("pay-source-option", &[
                                            ("bank", arg(bank_choices.with(|b| shown_bank(b, &s.bank_identifier)))),
                                            ("number", arg(i + 1)),
                                        ])}
                                    </option>
                                }
                            }).collect_view().into_any()
                        }}
                    </select>
                </div>
            </div>
            {move || no_destination().then(|| view! {
                <p class="small muted" data-testid="source-needs-destination">{t("pay-add-destination-first")}</p>
            })}
            // Lean's advised path first: connect with the payments permission, then updatePaymentSource
            // for more recipients. The deprecated methods stay, labelled, for integrations that use them.
            <div class="pay-actions">
                <button type="button" class="button small-btn" data-testid="connect-for-payments"
                    on:click=move |_| run("connectForPayments") disabled=move || busy.get() || !ready.get() || no_destination()>
                    {t("pay-source-connect")}
                </button>
                <button type="button" class="button ghost small-btn" data-testid="update-payment-source"
                    on:click=move |_| run("updatePaymentSource")
                    disabled=move || busy.get() || !ready.get() || no_destination() || no_source()>
                    {t("pay-source-update")}
                </button>
            </div>
            <p class="small muted">{t("pay-source-connect-help")}</p>
            {move || (!data_only.with(Vec::is_empty)).then(|| view! {
                <div class="field-row upgrade" data-testid="add-payments">
                    <div class="field">
                        <label for="source-bank">{t("pay-upgrade-bank-label")}</label>
                        <select id="source-bank" data-testid="source-bank"
                            on:change=move |ev| bank.set(event_target_value(&ev)) prop:value=move || bank.get()>
                            {move || data_only.get().into_iter().map(|e| {
                                let id = e.id.clone();
                                view! {
                                    <option value=e.id.to_string() selected=move || bank.get() == id>
                                        {e.shown_bank_name().to_owned()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field field-end">
                        <button type="button" class="button ghost small-btn" data-testid="add-payments-to-bank"
                            on:click=move |_| run("addPaymentsToBank")
                            disabled=move || busy.get() || !ready.get() || no_destination()>
                            {t("pay-upgrade-button")}
                        </button>
                    </div>
                </div>
                <p class="small muted">{t("pay-upgrade-help")}</p>
            })}
            <div class="pay-actions deprecated" role="group" aria-label=t("pay-deprecated-group")>
                <span class="badge badge-warn" title=t("pay-deprecated-title")>{t("pay-deprecated")}</span>
                <button type="button" class="button ghost small-btn" data-testid="create-payment-source"
                    on:click=move |_| run("createPaymentSource") disabled=move || busy.get() || !ready.get() || no_destination()>
                    {t("pay-source-create")}
                </button>
                <button type="button" class="button ghost small-btn" data-testid="create-beneficiary"
                    on:click=move |_| run("createBeneficiary")
                    disabled=move || busy.get() || !ready.get() || no_destination() || no_source()>
                    {t("pay-source-create-beneficiary")}
                </button>
            </div>
            <OutcomeNotice outcome section=Section::Sources recipients=(sources, destinations)/>
            {move || (!no_destination() && no_source()).then(|| view! {
                <p class="small muted">{t("pay-source-recipient-needs-source")}</p>
            })}
        </div>
    }
    .into_any()
}

/// After a payment source flow succeeded: what the bank's list says of the recipient now, not what the
/// SDK said when it closed (the source's webhooks come after it, and the cool-off ends later still).
/// Re-read whenever the list changes, so the notice and the list below never disagree.
pub(super) fn recipient_notice(
    sources: &[PaymentSource],
    destinations: &[Destination],
    destination: &DestinationId,
    new_source: bool,
) -> (String, &'static str) {
    let name = destinations
        .iter()
        .find(|d| &d.id == destination)
        .map(|d| d.display_name.clone())
        .unwrap_or_else(|| destination.to_string());
    let listed: Vec<&Beneficiary> =
        sources.iter().flat_map(|s| &s.beneficiaries).filter(|b| &b.destination_id == destination).collect();
    let recipient = arg(&name);
    let (state, class) = if listed.iter().any(|b| !b.cooling_off()) {
        (t_with("pay-recipient-state-ready", &[("recipient", recipient)]), "notice ok")
    } else if let Some(until) = listed.iter().find_map(|b| b.cool_off_expiry.clone()) {
        let args = [("recipient", recipient), ("until", arg(timestamp(&until)))];
        (t_with("pay-recipient-state-cool-off", &args), "notice")
    } else if !listed.is_empty() {
        (t_with("pay-recipient-state-cool-off-undated", &[("recipient", recipient)]), "notice")
    } else {
        (t_with("pay-recipient-state-confirming", &[("recipient", recipient)]), "notice")
    };
    let head = if new_source { t("pay-source-added-head") } else { t("pay-recipient-added-head") };
    (format!("{head} {state}"), class)
}

/// A bank's name in the page's language, from Lean's bank list; its code if Lean does not list it.
pub(super) fn shown_bank(banks: &[BankChoice], identifier: &str) -> String {
    banks
        .iter()
        .find(|b| b.identifier == identifier)
        .map(|b| bank_name_shown(&b.name.name, b.name.arabic_name.as_deref()).to_owned())
        .unwrap_or_else(|| identifier.to_owned())
}

/// Lean's payment source and beneficiary statuses in plain words, with the cool-off visible.
fn source_status_text(status: &str) -> String {
    match status {
        "ACTIVE" => t("pay-source-status-ready"),
        "AWAITING_BENEFICIARY_COOL_OFF" | "PENDING_BENEFICIARY_COOL_OFF" => t("pay-source-status-cool-off"),
        _ => t("pay-source-status-setting-up"),
    }
}

#[component]
fn SourceList(
    sources: Vec<PaymentSource>,
    destinations: Vec<Destination>,
    banks: Vec<BankChoice>,
) -> impl IntoView {
    if sources.is_empty() {
        return view! { <p class="muted small" data-testid="sources-empty">{t("pay-sources-empty")}</p> }
            .into_any();
    }
    let name_of = move |id: &str| {
        destinations
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.display_name.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    view! {
        <table class="table" data-testid="source-list">
            <thead><tr>
                <th scope="col">{t("pay-col-bank")}</th><th scope="col">{t("pay-col-status")}</th>
                <th scope="col">{t("pay-col-recipients")}</th>
            </tr></thead>
            <tbody>
                {sources.into_iter().map(|s| {
                    let cool_off = (s.status.as_str() != "ACTIVE").then_some(s.cool_off_expiry.clone()).flatten();
                    let recipients: Vec<(String, Beneficiary)> =
                        s.beneficiaries.iter().map(|b| (name_of(b.destination_id.as_str()), b.clone())).collect();
                    view! {
                        <tr data-testid="source-row" data-id=s.id.to_string()>
                            <td title=s.bank_identifier.clone()><bdi>{shown_bank(&banks, &s.bank_identifier)}</bdi></td>
                            <td>
                                <span class=if s.status.as_str() == "ACTIVE" { "badge badge-ok" } else { "badge badge-warn" }
                                    data-testid="source-status" data-status=s.status.to_string() title=s.status.to_string()>
                                    {source_status_text(s.status.as_str())}
                                </span>
                                {cool_off.map(|at| view! {
                                    " " <span class="small muted">{t("pay-until")} " " <bdi class="ltr">{timestamp(&at)}</bdi></span>
                                })}
                            </td>
                            <td>
                                <ul class="recipients">
                                    {recipients.into_iter().map(|(name, b)| {
                                        let until = b.cooling_off().then_some(b.cool_off_expiry.clone()).flatten();
                                        view! {
                                            <li data-testid="beneficiary" data-destination-id=b.destination_id.to_string()>
                                                <bdi>{name}</bdi> " "
                                                <span class=if b.cooling_off() { "badge badge-warn" } else { "badge badge-ok" }
                                                    data-testid="beneficiary-status" data-status=b.status.to_string() title=b.status.to_string()>
                                                    {source_status_text(b.status.as_str())}
                                                </span>
                                                {until.map(|at| view! {
                                                    " " <span class="small muted" data-testid="beneficiary-cool-off">
                                                        {t("pay-until")} " " <bdi class="ltr">{timestamp(&at)}</bdi>
                                                    </span>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
