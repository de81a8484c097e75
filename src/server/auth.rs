//! Passwords (argon2id) and the session key that marks a signed-in user.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tower_sessions::Session;

const USER_KEY: &str = "user_id";

/// Hashing is deliberately slow, so it runs off the async threads.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

pub async fn session_user_id(session: &Session) -> Option<String> {
    session.get::<String>(USER_KEY).await.ok().flatten()
}

/// Signs in: a new session id (no fixation) carrying the user id.
pub async fn start_session(session: &Session, user_id: &str) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user_id).await
}

pub async fn end_session(session: &Session) -> Result<(), tower_sessions::session::Error> {
    session.flush().await
}
