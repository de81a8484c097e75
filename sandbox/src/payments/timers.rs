//! The transitions Lean makes on its own after a delay: a beneficiary's cool-off ending and the
//! bank's verdict on a payment. Each task re-reads the stored record when it wakes and does
//! nothing if something else (a scenario call, an earlier run) has moved it on already.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use super::status::{bank_outcome, ACCEPTED_BY_BANK, ACTIVE, PENDING_WITH_BANK};
use super::webhooks::{emit_aof_payment_updated, emit_beneficiary, emit_payment_updated};
use crate::app::App;

/// AWAITING_BENEFICIARY_COOL_OFF → ACTIVE for the beneficiary and its source after `ms`.
pub fn schedule_cool_off(app: &Arc<App>, source_id: Uuid, beneficiary_id: Uuid, ms: u64) {
    let bg = app.clone();
    app.webhooks.spawn_background(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        let updated = bg.store.update(|s| {
            let src = s.payments.sources.iter_mut().find(|p| p.id == source_id)?;
            let b = src.beneficiaries.iter_mut().find(|b| b.id == beneficiary_id)?;
            if b.status == ACTIVE {
                return None;
            }
            b.status = ACTIVE.to_string();
            let b = b.clone();
            src.status = ACTIVE.to_string();
            Some((src.clone(), b))
        });
        if let Ok(Some((src, b))) = updated {
            emit_beneficiary(&bg, &src, &b, "payment_source.beneficiary.updated");
        }
    });
}

/// The bank's verdict on a legacy/SIP payment after `ms`.
pub fn schedule_settle(app: &Arc<App>, pid: Uuid, amount: f64, ms: u64) {
    let bg = app.clone();
    let verdict = bank_outcome(amount);
    app.webhooks.spawn_background(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        let updated = bg.store.update(|s| {
            let p = s.payments.payments.iter_mut().find(|p| p.id == pid)?;
            if p.status != PENDING_WITH_BANK {
                return None;
            }
            p.status = verdict.to_string();
            p.updated_at = Utc::now();
            Some(p.clone())
        });
        if let Ok(Some(p)) = updated {
            emit_payment_updated(&bg, &p);
        }
    });
}

/// CREATED → PROCESSING → PROCESSED/FAILED for an AoF payment, half of `ms` per step.
pub fn schedule_aof(app: &Arc<App>, id: Uuid, amount: f64, ms: u64) {
    let bg = app.clone();
    let verdict = if bank_outcome(amount) == ACCEPTED_BY_BANK { "PROCESSED" } else { "FAILED" };
    app.webhooks.spawn_background(async move {
        for (step, status) in [(ms / 2, "PROCESSING"), (ms / 2, verdict)] {
            tokio::time::sleep(Duration::from_millis(step)).await;
            let updated = bg.store.update(|s| {
                let p = s.payments.aof_payments.iter_mut().find(|p| p.id == id)?;
                if p.status == "PROCESSED" || p.status == "FAILED" || p.status == status {
                    return None;
                }
                p.status = status.to_string();
                p.last_modified_at = Utc::now();
                if status == "FAILED" {
                    p.failure_details = Some(json!({
                        "code": "REJECTED_BY_BANK",
                        "details": "The bank rejected the payment."
                    }));
                }
                Some(p.clone())
            });
            if let Ok(Some(p)) = updated {
                emit_aof_payment_updated(&bg, &p);
            }
        }
    });
}

/// Restarts the background transitions a previous run left unfinished (cool-offs, bank
/// verdicts), keeping their original deadlines where they are known.
pub fn resume(app: &Arc<App>) {
    let now = Utc::now();
    let (benefs, pays, aofs, settle) = app.store.read(|s| {
        let st = &s.payments;
        let benefs: Vec<(Uuid, Uuid, u64)> = st
            .sources
            .iter()
            .flat_map(|src| src.beneficiaries.iter().map(move |b| (src.id, b)))
            .filter(|(_, b)| b.status != ACTIVE)
            .map(|(sid, b)| (sid, b.id, (b.cool_off_expiry - now).num_milliseconds().max(0) as u64))
            .collect();
        let pays: Vec<(Uuid, f64)> =
            st.payments.iter().filter(|p| p.status == PENDING_WITH_BANK).map(|p| (p.id, p.amount)).collect();
        let aofs: Vec<(Uuid, f64)> = st
            .aof_payments
            .iter()
            .filter(|p| p.status == "CREATED" || p.status == "PROCESSING")
            .map(|p| (p.id, p.amount))
            .collect();
        (benefs, pays, aofs, st.settings.payment_settle_ms)
    });
    for (sid, bid, ms) in benefs {
        schedule_cool_off(app, sid, bid, ms);
    }
    for (pid, amount) in pays {
        schedule_settle(app, pid, amount, settle);
    }
    for (id, amount) in aofs {
        schedule_aof(app, id, amount, settle);
    }
}
