use leptos::prelude::*;

pub use crate::model::form_error::{form_error, form_error_code};
use crate::model::{AppError, CurrentUser};

/// Creates an account and signs it in.
#[server(endpoint = "sign_up")]
pub async fn sign_up(email: String, password: String) -> Result<(), AppError> {
    use crate::server::request::{answer, back_to_form, client_ip, session, state};
    use crate::server::{accounts, auth};
    answer(back_to_form("/signup", async {
        let state = state()?;
        let user_id = accounts::sign_up(&state, client_ip(), &email, password).await?;
        auth::start_session(&session().await?, &user_id).await?;
        accounts::ensure_customer_quietly(&state, &user_id).await;
        leptos_axum::redirect("/dashboard");
        Ok(())
    }))
    .await
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::server::request::{answer, back_to_form, client_ip, session, state};
    use crate::server::{accounts, auth};
    answer(back_to_form("/signin", async {
        let state = state()?;
        let user_id = accounts::sign_in(&state, client_ip(), &email, password).await?;
        auth::start_session(&session().await?, &user_id).await?;
        accounts::ensure_customer_quietly(&state, &user_id).await;
        leptos_axum::redirect("/dashboard");
        Ok(())
    }))
    .await
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::request::{answer, session};
    answer(async {
        crate::server::auth::end_session(&session().await?).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// The signed-in user, or `None` when signed out.
#[server(endpoint = "current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::request::{answer, session, state};
    answer(async {
        match crate::server::auth::session_user_id(&session().await?).await {
            Some(user_id) => crate::server::accounts::current_user(&state()?, &user_id).await,
            None => Ok(None),
        }
    })
    .await
}
