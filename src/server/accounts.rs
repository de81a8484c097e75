//! Accounts: signing up, in and out, the signed-in user, and the Lean customer each user has.

use crate::i18n::t;
use crate::model::{AppError, CurrentUser, CustomerId, UserId};
use crate::server::db::{customers, users};
use crate::server::{auth, AppState};

/// An argon2id hash of a random string, used only to spend the same time on unknown emails.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Xq7R7cO5lJbq0M0uXH1m0h5B2a0JzS2r7p6b0m9Zc1E";

pub fn parse_email(raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(AppError::invalid("email", t("auth-email-invalid")))
    }
}

pub fn check_password(password: &str) -> Result<(), AppError> {
    match password.chars().count() {
        0..=7 => Err(AppError::invalid("password", t("auth-password-too-short"))),
        8..=128 => Ok(()),
        _ => Err(AppError::invalid("password", t("auth-password-too-long"))),
    }
}

/// Creates an account from a sign-up form; returns the new user's id.
pub async fn sign_up(
    state: &AppState,
    client: std::net::IpAddr,
    email: &str,
    password: String,
) -> Result<UserId, AppError> {
    let email = parse_email(email)?;
    check_password(&password)?;
    auth::count_attempt(state, client, &email)?;
    let hash = auth::hash_password(state, password).await?;
    match users::create(&state.db, &email, &hash).await {
        Ok(u) => Ok(u.id),
        Err(users::CreateError::EmailTaken) => Err(AppError::EmailTaken),
        Err(users::CreateError::Db(e)) => Err(e.into()),
    }
}

/// Checks a sign-in form; returns the user's id.
pub async fn sign_in(
    state: &AppState,
    client: std::net::IpAddr,
    email: &str,
    password: String,
) -> Result<UserId, AppError> {
    let email = parse_email(email)?;
    if password.is_empty() {
        return Err(AppError::invalid("password", t("auth-password-missing")));
    }
    auth::count_attempt(state, client, &email)?;
    let user = users::find_by_email(&state.db, &email).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal which emails
    // have accounts.
    let (user_id, hash) = match user {
        Some(u) => (Some(u.id), u.password_hash),
        None => (None, DUMMY_HASH.to_owned()),
    };
    let ok = auth::verify_password(state, password, hash).await?;
    user_id.filter(|_| ok).ok_or(AppError::BadCredentials)
}

/// Makes sure the user has a Lean customer, creating one the first time.
pub async fn ensure_customer(state: &AppState, user_id: &UserId) -> Result<CustomerId, AppError> {
    if let Some(c) = customers::for_user(&state.db, user_id).await? {
        return Ok(c.customer_id);
    }
    let customer = state.lean.for_user(user_id).ensure_customer(user_id).await?;
    customers::link(&state.db, user_id, &customer.customer_id, &customer.app_user_id).await?;
    Ok(customer.customer_id)
}

/// At sign-in a failure is logged, not fatal: the user can still sign in, and the next launch tries
/// again.
pub async fn ensure_customer_quietly(state: &AppState, user_id: &UserId) {
    if let Err(e) = ensure_customer(state, user_id).await {
        tracing::warn!(%user_id, error = %e, "could not ensure the Lean customer at sign-in");
    }
}

/// The signed-in user as the pages see them, or `None` when the account is gone.
pub async fn current_user(state: &AppState, user_id: &UserId) -> Result<Option<CurrentUser>, AppError> {
    let Some(u) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(None);
    };
    let customer = customers::for_user(&state.db, user_id).await?;
    let admin = state.config.admin_emails.contains(&u.email);
    let embedded = crate::server::console::embedded(state);
    Ok(Some(CurrentUser {
        id: u.id,
        email: u.email,
        customer_id: customer.map(|c| c.customer_id),
        is_admin: admin,
        console: admin || embedded,
        sandbox_panel: embedded,
    }))
}

/// Refuses anyone whose email is not in `ADMIN_EMAILS`.
pub async fn require_admin(state: &AppState, user_id: &UserId) -> Result<(), AppError> {
    let user = users::find_by_id(&state.db, user_id).await?.ok_or(AppError::SignInRequired)?;
    if state.config.admin_emails.contains(&user.email) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(parse_email("  Ann@Example.COM ").ok().as_deref(), Some("ann@example.com"));
        for bad in ["", "ann", "@example.com", "ann@", "ann@example", "a b@example.com", "ann@.com"] {
            assert!(parse_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn passwords() {
        assert!(check_password("1234567").is_err());
        assert!(check_password("12345678").is_ok());
        assert!(check_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn every_form_error_code_comes_back_as_its_error() {
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
            let code = crate::model::form_error::form_error_code(&e);
            assert_eq!(crate::model::form_error::form_error(&code), Some(e), "{code}");
        }
        assert_eq!(crate::model::form_error::form_error("<script>"), None, "unknown codes show nothing");
        assert_eq!(crate::model::form_error::form_error("too-many-x"), None);
        assert_eq!(crate::model::form_error::form_error("too-many-99999999"), None);
    }
}
