use leptos::lazy;
use leptos::prelude::*;

use crate::i18n::{arg, t, t_with};
use crate::model::{FlowOutcome, FlowStatus};

/// A Link SDK status (`SUCCESS`, `ERROR`, …) in the reader's language; an unknown one as sent.
pub fn status_label(status: &str) -> String {
    match status {
        "SUCCESS" => t("flow-status-success"),
        "ERROR" => t("flow-status-error"),
        "CANCELLED" => t("flow-status-cancelled"),
        "REDIRECT" => t("flow-status-redirect"),
        "LINK_CLOSED_PROGRAMMATICALLY" => t("flow-status-closed"),
        other => other.to_owned(),
    }
}

/// Where in the Link UI a flow ended, in plain words. Lean publishes no list of exit points; these are
/// the screens the Link UI shows. Another one is shown in words made from its code (the code itself is
/// in the cell's title, for a developer).
pub fn exit_point_label(code: &str) -> String {
    let key = match code {
        "LOADING" | "INITIALIZATION" => "exit-point-loading",
        "BANK_SELECTION" => "exit-point-bank-selection",
        "LOGIN" => "exit-point-login",
        "OTP" | "MFA" => "exit-point-otp",
        "CONSENT" => "exit-point-consent",
        "ACCOUNT_SELECTION" => "exit-point-account-selection",
        "PAYMENT_CONFIRMATION" => "exit-point-payment-confirmation",
        "BANK_AUTHORISATION" => "exit-point-bank-authorisation",
        "BENEFICIARY" => "exit-point-beneficiary",
        "MANAGE_CONSENTS" => "exit-point-manage-consents",
        "REDIRECT" => "exit-point-redirect",
        "SUCCESS" => "exit-point-success",
        "ERROR" => "exit-point-error",
        "NOT_AVAILABLE" => "exit-point-not-available",
        other => {
            let mut words = other.replace('_', " ").to_lowercase();
            if let Some(first) = words.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            return words;
        }
    };
    t(key)
}

/// The result of the SDK flow just finished, in plain words. Errors carry the correlation id to quote
/// to Lean support.
#[component]
pub fn FlowOutcomeView(
    outcome: FlowOutcome,
    /// The bank's name when this SUCCESS re-connected a bank the user already had.
    #[prop(default = None)]
    already_connected: Option<String>,
    /// This flow renewed an expired consent ("Connect again" on the bank's page).
    #[prop(optional)]
    renewed: bool,
    /// The connected bank is on the page now (its webhook has arrived): the words say so.
    #[prop(optional)]
    listed: bool,
    /// Shown away from the dashboard's list (the connect page): the bank will be on the dashboard.
    #[prop(optional)]
    away: bool,
) -> impl IntoView {
    // Lean's own words (the SDK's message) are data: shown as sent, isolated from the sentence.
    let detail = outcome.message.clone().or(outcome.secondary_status.clone());
    let (class, text, lean_words) = match outcome.status.as_str() {
        "SUCCESS" if already_connected.is_some() => (
            "notice ok",
            t_with("flow-already-connected", &[("bank", arg(already_connected.unwrap_or_default()))]),
            None,
        ),
        "SUCCESS" if renewed => ("notice ok", t("flow-renewed"), None),
        "SUCCESS" if listed => ("notice ok", t("flow-connected-listed"), None),
        "SUCCESS" if away => ("notice ok", t("flow-connected-dashboard"), None),
        "SUCCESS" => ("notice ok", t("flow-connected"), None),
        "CANCELLED" if outcome.bank_not_listed() => ("notice", t("flow-bank-not-listed"), None),
        "CANCELLED" => ("notice", t("flow-cancelled"), None),
        "ERROR" => ("notice error", t("flow-error"), Some(detail.unwrap_or_else(|| t("flow-unknown-error")))),
        other => ("notice", t_with("flow-other-status", &[("status", arg(other))]), None),
    };
    view! {
        <div class=class role="status" data-testid="flow-outcome" data-status=outcome.status.to_string()>
            <p>{text} {lean_words.map(|w| view! { " " <bdi>{w}</bdi> })}</p>
            {(outcome.bank_not_listed() && !outcome.id.is_empty())
                .then(|| view! { <WantedBank flow_id=outcome.id.clone() noted=outcome.wanted_bank.clone()/> })}
            // A reference for support reads like an error: shown with failures only (the history keeps all).
            {outcome.lean_correlation_id.clone().filter(|_| outcome.status == FlowStatus::Error).map(|id| view! {
                <p class="small">{t("flow-support-reference")} " " <bdi><code data-testid="correlation-id">{id}</code></bdi></p>
            })}
        </div>
    }
}

/// Notes the bank the person wanted. `#[lazy]`: fetched with the first "Save", not with the page.
#[lazy]
async fn note_wanted_bank(flow_id: String, bank: String) -> Result<Option<String>, String> {
    crate::api::record_wanted_bank(flow_id, bank).await.map(|o| o.wanted_bank).map_err(|e| e.localized())
}

/// "Which bank were you looking for?", after the person told Lean theirs is not listed.
#[component]
fn WantedBank(flow_id: String, noted: Option<String>) -> impl IntoView {
    let noted = RwSignal::new(noted);
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let flow_id = StoredValue::new(flow_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match note_wanted_bank(flow_id.get_value(), typed.get_untracked()).await {
                Ok(bank) => noted.set(bank),
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    view! {
        {move || match noted.get() {
            Some(bank) => view! {
                <p data-testid="wanted-bank-noted">{t_with("flow-wanted-bank-noted", &[("bank", arg(bank))])}</p>
            }.into_any(),
            None => view! {
                <form class="inline-form wanted-bank" on:submit=save data-testid="wanted-bank">
                    <label for="wanted-bank">{t("flow-wanted-bank-label")}</label>
                    <input id="wanted-bank" type="text" maxlength="100" autocomplete="off"
                        aria-describedby="wanted-bank-error"
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <button type="submit" class="button small" disabled=move || busy.get()>{t("flow-wanted-bank-save")}</button>
                    <p id="wanted-bank-error" class="field-error" role="alert">{move || error.get()}</p>
                </form>
            }.into_any(),
        }}
    }
}
