use leptos::prelude::*;

use crate::model::FlowOutcome;

/// The result of the SDK flow just finished, in plain words. Errors carry the correlation id to quote
/// to Lean support.
#[component]
pub fn FlowOutcomeView(
    outcome: FlowOutcome,
    /// The bank's name when this SUCCESS re-connected a bank the user already had.
    #[prop(default = None)]
    already_connected: Option<String>,
) -> impl IntoView {
    let (class, text) = match outcome.status.as_str() {
        "SUCCESS" if already_connected.is_some() => (
            "notice ok",
            format!(
                "{} was already connected. Lean refreshed that connection instead of adding a second one.",
                already_connected.unwrap_or_default()
            ),
        ),
        "SUCCESS" => (
            "notice ok",
            "Bank connected. Lean is confirming it; it will appear below in a moment.".to_owned(),
        ),
        "CANCELLED" => {
            ("notice", "You closed the bank connection before finishing. Nothing was connected.".to_owned())
        }
        "ERROR" => (
            "notice error",
            format!(
                "The bank connection did not complete: {}",
                outcome
                    .message
                    .clone()
                    .or(outcome.secondary_status.clone())
                    .unwrap_or_else(|| "unknown error".into())
            ),
        ),
        other => ("notice", format!("The Link SDK closed with status {other}.")),
    };
    view! {
        <div class=class role="status" data-testid="flow-outcome" data-status=outcome.status.clone()>
            <p>{text}</p>
            {outcome.lean_correlation_id.clone().filter(|_| outcome.status != "SUCCESS").map(|id| view! {
                <p class="small">"Reference for Lean support: " <code>{id}</code></p>
            })}
        </div>
    }
}
