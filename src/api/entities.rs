use leptos::prelude::*;

use crate::model::{AppError, Entity};

/// The signed-in user's bank connections (deleted ones left out).
#[server(endpoint = "list_entities")]
pub async fn list_entities() -> Result<Vec<Entity>, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::server::db::{customers, entities};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            match customers::for_user(&state.db, &user_id).await.map_err(internal)? {
                Some(c) => entities::list_for_customer(&state.db, &c.customer_id).await.map_err(internal),
                None => Ok(Vec::new()),
            }
        }
        .await,
    )
}

/// Where the signed-in user's live stream stands: the id of their latest live event. A page reads it
/// before its data and hands it to `/live?after=`, so the stream replays whatever changed after.
#[server(endpoint = "live_position")]
pub async fn live_position() -> Result<i64, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            crate::server::db::live_events::latest_seq(&state()?.db, &user_id).await.map_err(internal)
        }
        .await,
    )
}

/// Disconnects one of the user's banks at Lean (DELETE entity, reason USER_REQUESTED). Another user's
/// entity, or an unknown id, is refused alike, so ids are never confirmed to exist.
#[server(endpoint = "disconnect_entity")]
pub async fn disconnect_entity(entity_id: String) -> Result<(), AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::model::LiveEvent;
    use crate::server::db::{customers, entities};
    finish(
        async {
            crate::api::data::check_entity_id(&entity_id)?;
            let user_id = user_id().await?;
            let state = state()?;
            let own = customers::for_user(&state.db, &user_id).await.map_err(internal)?;
            let found = entities::get(&state.db, entity_id.trim()).await.map_err(internal)?;
            let (customer_id, mut entity) = match (own, found) {
                (Some(c), Some((owner, e))) if owner == c.customer_id => (owner, e),
                _ => return Err(AppError::Forbidden),
            };
            state.lean.for_user(&user_id).delete_entity(&customer_id, &entity.id).await?;
            entities::mark_deleted(&state.db, &entity.id).await.map_err(internal)?;
            entity.status = crate::model::EntityStatus::Deleted;
            state
                .bus
                .publish(&state.db, &user_id, &LiveEvent::EntityChanged { entity })
                .await
                .map_err(internal)?;
            Ok(())
        }
        .await,
    )
}
