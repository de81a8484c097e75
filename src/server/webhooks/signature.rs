//! `lean-signature: sha512=<hex HMAC-SHA512(webhook secret, raw body)>` (REFERENCE §8.3).

use hmac::{Hmac, Mac};
use sha2::Sha512;

type HmacSha512 = Hmac<Sha512>;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the lean-signature header is missing")]
    Missing,
    #[error("the lean-signature header is not sha512=<hex>")]
    Malformed,
    #[error("the signature does not match the body")]
    Mismatch,
}

/// Checks the header against the exact bytes received. The comparison is constant-time
/// (`verify_slice`), so timing reveals nothing about the expected digest.
pub fn verify(secret: &[u8], header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?.trim();
    let hex_digest = header.strip_prefix("sha512=").ok_or(SignatureError::Malformed)?;
    let given = hex::decode(hex_digest.to_ascii_lowercase()).map_err(|_| SignatureError::Malformed)?;
    let mut mac = HmacSha512::new_from_slice(secret).map_err(|_| SignatureError::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&given).map_err(|_| SignatureError::Mismatch)
}

/// The header value Lean would send for `body`; used by tests and the "send a test webhook" tool.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha512::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha512={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vector computed for REFERENCE §8.3 (not from Lean; for unit tests only).
    const BODY: &str = r#"{"type":"results.ready","payload":{"id":"6dd9c7d2-1c8c-4862-bb1f-fcf52f5033d4"},"message":"Your results are ready.","timestamp":"2021-01-08T18:05:19.244672Z","event_id":"00405221-21fc-4aa2-a237-3edfe4c38411"}"#;
    const SIG: &str = "sha512=1cb688ba4323adadb626908ea67b1f0dfbdbed053cb4739b6b7ec89acbaaeec5cda90dccb18794b58cb422acfab19224655fa7cd2c9b5b242374dfd6c4be0040";

    #[test]
    fn reference_vector() {
        assert_eq!(sign(b"test_webhook_secret", BODY.as_bytes()), SIG);
        assert_eq!(verify(b"test_webhook_secret", Some(SIG), BODY.as_bytes()), Ok(()));
        assert_eq!(
            verify(
                b"test_webhook_secret",
                Some(&SIG.to_uppercase().replace("SHA512", "sha512")),
                BODY.as_bytes()
            ),
            Ok(())
        );
    }

    #[test]
    fn rejects_missing_malformed_wrong_and_tampered() {
        let body = BODY.as_bytes();
        assert_eq!(verify(b"test_webhook_secret", None, body), Err(SignatureError::Missing));
        assert_eq!(verify(b"test_webhook_secret", Some("md5=abc"), body), Err(SignatureError::Malformed));
        assert_eq!(verify(b"test_webhook_secret", Some("sha512=zz"), body), Err(SignatureError::Malformed));
        assert_eq!(verify(b"other", Some(SIG), body), Err(SignatureError::Mismatch));
        let tampered = BODY.replace("ready", "READY");
        assert_eq!(
            verify(b"test_webhook_secret", Some(SIG), tampered.as_bytes()),
            Err(SignatureError::Mismatch)
        );
    }
}
