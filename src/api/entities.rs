//! The user's bank connections (see `server::entities`).

use leptos::prelude::*;

use crate::model::{AppError, Entity};

/// The signed-in user's bank connections (deleted ones left out).
#[server(endpoint = "list_entities")]
pub async fn list_entities() -> Result<Vec<Entity>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::entities::list(&state, &user_id).await
    })
    .await
}

/// Where the signed-in user's live stream stands: the id of their latest live event. A page reads it
/// before its data and hands it to `/live?after=`, so the stream replays whatever changed after.
#[server(endpoint = "live_position")]
pub async fn live_position() -> Result<i64, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        Ok(crate::server::db::live_events::latest_seq(&state.db, &user_id).await?)
    })
    .await
}

/// Disconnects one of the user's banks at Lean (DELETE entity, reason USER_REQUESTED). Another user's
/// entity, or an unknown id, is refused alike, so ids are never confirmed to exist.
#[server(endpoint = "disconnect_entity")]
pub async fn disconnect_entity(entity_id: String) -> Result<(), AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::entities::disconnect(&state, &user_id, &entity_id).await
    })
    .await
}
