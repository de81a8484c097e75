//! A user's bank connections (Lean entities): listing and disconnecting them.

use crate::model::{AppError, Entity, EntityId, EntityStatus, LiveEvent, UserId};
use crate::server::db::{customers, entities};
use crate::server::AppState;

/// The user's bank connections, deleted ones left out.
pub async fn list(state: &AppState, user_id: &UserId) -> Result<Vec<Entity>, AppError> {
    match customers::for_user(&state.db, user_id).await? {
        Some(c) => Ok(entities::list_for_customer(&state.db, &c.customer_id).await?),
        None => Ok(Vec::new()),
    }
}

/// Deletes one of the user's entities at Lean, then here, and tells the user's open pages.
pub async fn disconnect(state: &AppState, user_id: &UserId, entity_id: &str) -> Result<(), AppError> {
    crate::server::bank_data::check_entity_id(entity_id)?;
    let own = customers::for_user(&state.db, user_id).await?;
    let found = entities::get(&state.db, &EntityId::new(entity_id.trim())).await?;
    let (customer_id, mut entity) = match (own, found) {
        (Some(c), Some((owner, e))) if owner == c.customer_id => (owner, e),
        _ => return Err(AppError::Forbidden),
    };
    state.lean.for_user(user_id).delete_entity(&customer_id, &entity.id).await?;
    entities::mark_deleted(&state.db, &entity.id).await?;
    entity.status = EntityStatus::Deleted;
    state.bus.publish(&state.db, user_id, &LiveEvent::EntityChanged { entity }).await?;
    Ok(())
}
