//! Signed webhook bodies shaped like Lean's `entity.created` sample.

use hmac::{Hmac, Mac};
use sha2::Sha512;

pub fn entity_created(event_id: &str, entity_id: &str, customer_id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "type": "entity.created",
        "message": "An entity object has been created.",
        "payload": {
            "id": entity_id,
            "app_user_id": "bench",
            "customer_id": customer_id,
            "permissions": ["identity", "accounts", "balance", "transactions"],
            "bank_details": {
                "logo": "https://cdn.leantech.me/img/banks/white-lean.png",
                "name": "Lean Open Finance MockBank",
                "bank_type": "RETAIL",
                "identifier": "LEAN_OF_RETAIL_UAE",
                "main_color": "#1beb75",
                "swift_code": null,
                "account_type": "PERSONAL",
                "background_color": "#ffffff"
            }
        },
        "event_id": event_id,
        "timestamp": chrono::Utc::now().to_rfc3339(),
    }))
    .expect("json")
}

/// The `lean-signature` header value: HMAC-SHA512 of the raw body.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha512={}", hex::encode(mac.finalize().into_bytes()))
}

/// POSTs one signed webhook; true on 200.
pub async fn post(client: &reqwest::Client, url: &str, secret: &str, body: Vec<u8>) -> bool {
    let sig = sign(secret, &body);
    match client
        .post(format!("{url}/webhooks/lean"))
        .header("content-type", "application/json")
        .header("lean-signature", sig)
        .body(body)
        .send()
        .await
    {
        Ok(res) => res.status().as_u16() == 200,
        Err(_) => false,
    }
}
