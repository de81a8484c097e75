use leptos::prelude::*;

use crate::model::{AppError, CurrentUser};

#[cfg(feature = "ssr")]
mod imp {
    use crate::api::context::internal;
    use crate::model::AppError;
    use crate::server::db::{self, customers};
    use crate::server::AppState;

    pub fn parse_email(raw: &str) -> Result<String, AppError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !email.chars().any(char::is_whitespace);
        if valid {
            Ok(email)
        } else {
            Err(AppError::invalid("email", crate::i18n::t("auth-email-invalid")))
        }
    }

    pub fn check_password(password: &str) -> Result<(), AppError> {
        match password.chars().count() {
            0..=7 => Err(AppError::invalid("password", crate::i18n::t("auth-password-too-short"))),
            8..=128 => Ok(()),
            _ => Err(AppError::invalid("password", crate::i18n::t("auth-password-too-long"))),
        }
    }

    /// First sign-in: make sure the user has a Lean customer. Failure is logged, not fatal: the user
    /// can still sign in, and the next launch tries again.
    pub async fn ensure_customer(state: &AppState, user_id: &str) -> Result<String, AppError> {
        if let Some(c) = customers::for_user(&state.db, user_id).await.map_err(internal)? {
            return Ok(c.customer_id);
        }
        let customer = state.lean.for_user(user_id).ensure_customer(user_id).await?;
        customers::link(&state.db, user_id, &customer.customer_id, &customer.app_user_id)
            .await
            .map_err(internal)?;
        Ok(customer.customer_id)
    }

    pub async fn ensure_customer_quietly(state: &AppState, user_id: &str) {
        if let Err(e) = ensure_customer(state, user_id).await {
            tracing::warn!(%user_id, error = %e, "could not ensure the Lean customer at sign-in");
        }
    }

    pub async fn user(
        state: &AppState,
        user_id: &str,
    ) -> Result<Option<crate::model::CurrentUser>, AppError> {
        let Some(u) = db::users::find_by_id(&state.db, user_id).await.map_err(internal)? else {
            return Ok(None);
        };
        let customer = customers::for_user(&state.db, user_id).await.map_err(internal)?;
        Ok(Some(crate::model::CurrentUser {
            id: u.id,
            email: u.email.clone(),
            customer_id: customer.map(|c| c.customer_id),
            is_admin: state.config.admin_emails.contains(&u.email),
            console: state.config.admin_emails.contains(&u.email) || crate::server::console::embedded(state),
            sandbox_panel: crate::server::console::embedded(state),
        }))
    }
}

#[cfg(feature = "ssr")]
pub(crate) use imp::ensure_customer;

/// Creates an account and signs it in.
#[server(endpoint = "sign_up")]
pub async fn sign_up(email: String, password: String) -> Result<(), AppError> {
    use crate::api::context::{client_ip, finish, internal, session, state};
    use crate::server::{auth, db::users};
    finish(back_to_form_on_error(
        "/signup",
        async {
            let email = imp::parse_email(&email)?;
            imp::check_password(&password)?;
            let state = state()?;
            auth::count_attempt(&state, client_ip(), &email)?;
            let hash = auth::hash_password(&state, password).await?;
            let user = match users::create(&state.db, &email, &hash).await {
                Ok(u) => u,
                Err(users::CreateError::EmailTaken) => return Err(AppError::EmailTaken),
                Err(users::CreateError::Db(e)) => return Err(internal(e)),
            };
            auth::start_session(&session().await?, &user.id).await.map_err(internal)?;
            imp::ensure_customer_quietly(&state, &user.id).await;
            leptos_axum::redirect("/dashboard");
            Ok(())
        }
        .await,
    ))
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::api::context::{client_ip, finish, internal, session, state};
    use crate::server::{auth, db::users};
    finish(back_to_form_on_error(
        "/signin",
        async {
            let email = imp::parse_email(&email)?;
            if password.is_empty() {
                return Err(AppError::invalid("password", crate::i18n::t("auth-password-missing")));
            }
            let state = state()?;
            auth::count_attempt(&state, client_ip(), &email)?;
            let user = users::find_by_email(&state.db, &email).await.map_err(internal)?;
            // Verify against a dummy hash when the user is unknown, so timing does not reveal
            // which emails have accounts.
            let (user_id, hash) = match user {
                Some(u) => (Some(u.id), u.password_hash),
                None => (None, DUMMY_HASH.to_owned()),
            };
            let ok = auth::verify_password(&state, password, hash).await?;
            let Some(user_id) = user_id.filter(|_| ok) else {
                return Err(AppError::BadCredentials);
            };
            auth::start_session(&session().await?, &user_id).await.map_err(internal)?;
            imp::ensure_customer_quietly(&state, &user_id).await;
            leptos_axum::redirect("/dashboard");
            Ok(())
        }
        .await,
    ))
}

/// Why a sign-in or sign-up form came back, as the `error` query parameter of a form posted without
/// JavaScript. Only these codes travel (never free text), so a crafted link cannot put words on the page.
pub fn form_error_code(e: &AppError) -> String {
    let code = match e {
        AppError::TooManyAttempts { retry_after_secs } => return format!("too-many-{retry_after_secs}"),
        AppError::Busy => "busy",
        AppError::BadCredentials => "bad-credentials",
        AppError::EmailTaken => "email-taken",
        AppError::Invalid { field, .. } if field == "email" => "email-invalid",
        AppError::Invalid { message, .. } if *message == crate::i18n::t("auth-password-missing") => {
            "password-missing"
        }
        AppError::Invalid { message, .. } if *message == crate::i18n::t("auth-password-too-long") => {
            "password-too-long"
        }
        AppError::Invalid { .. } => "password-too-short",
        _ => "internal",
    };
    code.to_owned()
}

/// The error a form-error code stands for, in the page's language.
pub fn form_error(code: &str) -> Option<AppError> {
    use crate::i18n::t;
    if let Some(secs) = code.strip_prefix("too-many-") {
        let retry_after_secs = secs.parse::<u64>().ok().filter(|s| *s <= 24 * 3600)?;
        return Some(AppError::TooManyAttempts { retry_after_secs });
    }
    Some(match code {
        "busy" => AppError::Busy,
        "bad-credentials" => AppError::BadCredentials,
        "email-taken" => AppError::EmailTaken,
        "email-invalid" => AppError::invalid("email", t("auth-email-invalid")),
        "password-missing" => AppError::invalid("password", t("auth-password-missing")),
        "password-too-long" => AppError::invalid("password", t("auth-password-too-long")),
        "password-too-short" => AppError::invalid("password", t("auth-password-too-short")),
        "internal" => AppError::Internal,
        _ => return None,
    })
}

/// Without JavaScript the browser posts the form itself: on an error, send it back to the form with
/// the reason in the address, where the page shows it (see `form_error`).
#[cfg(feature = "ssr")]
fn back_to_form_on_error<T>(page: &str, result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if crate::api::context::plain_form_post() {
            leptos_axum::redirect(&format!("{page}?error={}", form_error_code(e)));
        }
    }
    result
}

/// An argon2id hash of a random string, used only to spend the same time on unknown emails.
#[cfg(feature = "ssr")]
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Xq7R7cO5lJbq0M0uXH1m0h5B2a0JzS2r7p6b0m9Zc1E";

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::api::context::{finish, internal, session};
    finish(
        async {
            crate::server::auth::end_session(&session().await?).await.map_err(internal)?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// The signed-in user, or `None` when signed out.
#[server(endpoint = "current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::api::context::{finish, session, state};
    finish(
        async {
            let Some(user_id) = crate::server::auth::session_user_id(&session().await?).await else {
                return Ok(None);
            };
            imp::user(&state()?, &user_id).await
        }
        .await,
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::imp::*;

    #[test]
    fn emails() {
        assert_eq!(parse_email("  Ann@Example.COM ").ok().as_deref(), Some("ann@example.com"));
        for bad in ["", "ann", "@example.com", "ann@", "ann@example", "a b@example.com", "ann@.com"] {
            assert!(parse_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn every_form_error_code_comes_back_as_its_error() {
        use crate::model::AppError;
        for e in [
            AppError::BadCredentials,
            AppError::EmailTaken,
            parse_email("nope").unwrap_err(),
            check_password("short").unwrap_err(),
            check_password(&"x".repeat(200)).unwrap_err(),
            AppError::TooManyAttempts { retry_after_secs: 42 },
            AppError::Busy,
            AppError::Internal,
        ] {
            let code = super::form_error_code(&e);
            assert_eq!(super::form_error(&code), Some(e), "{code}");
        }
        assert_eq!(super::form_error("<script>"), None, "unknown codes show nothing");
        assert_eq!(super::form_error("too-many-x"), None);
        assert_eq!(super::form_error("too-many-99999999"), None);
    }

    #[test]
    fn passwords() {
        assert!(check_password("1234567").is_err());
        assert!(check_password("12345678").is_ok());
        assert!(check_password(&"x".repeat(129)).is_err());
    }
}
