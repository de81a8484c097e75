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
