//! Passwords (argon2id) and the session key that marks a signed-in user.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::net::IpAddr;

use tower_sessions::Session;

use super::security::throttle::TooMany;
use super::AppState;
use crate::model::{AppError, UserId};
use crate::server::errors::internal;

const USER_KEY: &str = "user_id";

/// Counts a sign-in or sign-up attempt against the client's address and the account; over either
/// limit, the error says how long to wait.
pub fn count_attempt(state: &AppState, client: IpAddr, email: &str) -> Result<(), AppError> {
    state.throttle.attempt(client, email).map_err(|TooMany(wait)| {
        tracing::warn!(%client, "sign-in throttled");
        metrics::counter!(crate::server::metrics::SIGN_INS_THROTTLED).increment(1);
        AppError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) }
    })
}

/// Hashing is deliberately slow, so it runs off the async threads, and costly in memory, so only a few
/// run at once (`SignInThrottle::hashing_slot`).
pub async fn hash_password(state: &AppState, password: String) -> Result<String, AppError> {
    let _slot = state.throttle.hashing_slot().await.map_err(|_| AppError::Busy)?;
    let hashed = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await;
    match hashed {
        Ok(Ok(hash)) => Ok(hash),
        Ok(Err(e)) => Err(internal(format!("hashing failed: {e}"))),
        Err(e) => Err(internal(e)),
    }
}

pub async fn verify_password(state: &AppState, password: String, hash: String) -> Result<bool, AppError> {
    let _slot = state.throttle.hashing_slot().await.map_err(|_| AppError::Busy)?;
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false))
}

pub async fn session_user_id(session: &Session) -> Option<UserId> {
    session.get::<UserId>(USER_KEY).await.ok().flatten()
}

/// Signs in: a new session id (no fixation) carrying the user id.
pub async fn start_session(
    session: &Session,
    user_id: &UserId,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user_id).await
}

pub async fn end_session(session: &Session) -> Result<(), tower_sessions::session::Error> {
    session.flush().await
}
