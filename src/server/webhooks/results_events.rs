//! `results.ready` (REFERENCE §5.1, §5.2, §8.5): Lean finished a data call it had answered with
//! PENDING. The payload names only the `results_id`; the results are fetched from
//! `GET /data/v2/results/{results_id}`, stored beside the pending call they answer, and the entity's
//! owner is told live, so the bank page shows the data without a reload.

use serde_json::Value;

use crate::model::{EntityId, EntityStatus, LiveEvent};
use crate::server::db::{self, Db};
use crate::server::lean::LeanClient;
use crate::server::live::LiveBus;

pub async fn results_ready(db: &Db, bus: &LiveBus, lean: &LeanClient, payload: &Value) -> anyhow::Result<()> {
    let Some(results_id) = payload.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()) else {
        anyhow::bail!("results.ready without payload.id");
    };
    // Only results this app asked for are fetched: an id it never stored (another integration on the
    // same Lean application, or a forged event) names no entity and no user, so nothing is shown.
    let Some(pending) = db::data_results::get(db, results_id).await? else {
        tracing::info!(results_id, "results.ready for a results_id this app did not ask for; ignored");
        return Ok(());
    };
    if pending.status == "ready" {
        // A redelivery: fetched already.
        return Ok(());
    }
    // The entity decides who may see the data; one that is gone (deleted, unknown) has nobody to tell.
    let Some((Some(user_id), entity)) =
        db::entities::get_with_owner(db, &EntityId::new(pending.entity_id.as_str())).await?
    else {
        return Ok(());
    };
    if entity.status == EntityStatus::Deleted {
        return Ok(());
    }
    let Some(envelope) = lean.data_v2_results(results_id).await? else {
        // 404 UNKNOWN_RESULTS_ID: Lean has forgotten it; the page's next call asks Lean again.
        tracing::warn!(results_id, "Lean does not know the results it announced");
        return Ok(());
    };
    if envelope.get("status").and_then(Value::as_str) == Some("PENDING") {
        // Not there after all; Lean sends results.ready again when it is.
        return Ok(());
    }
    db::data_results::store_ready(db, results_id, &envelope.to_string()).await?;
    // Results only ever stand in for a call for minutes; old ones are dropped as new ones come.
    if let Err(e) = db::data_results::delete_old(db).await {
        tracing::warn!(error = %e, "could not drop old data results");
    }
    // The page reloads what it shows for this entity on EntityChanged; the stored results answer it.
    bus.publish(db, &user_id, &LiveEvent::EntityChanged { entity }).await?;
    Ok(())
}
