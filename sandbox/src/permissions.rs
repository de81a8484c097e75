//! Link SDK permission names (REFERENCE §9.2) and the entity's boolean map (§4).

/// The nine data permissions that appear in an Entity's `permissions` map, in Lean's order.
pub const DATA_PERMISSIONS: [&str; 9] = [
    "identity",
    "accounts",
    "balance",
    "transactions",
    "identities",
    "scheduled_payments",
    "standing_orders",
    "direct_debits",
    "beneficiaries",
];

/// Everything `connect` accepts: the data permissions plus `payments`.
pub fn is_known(name: &str) -> bool {
    name == "payments" || DATA_PERMISSIONS.contains(&name)
}

pub fn is_data(name: &str) -> bool {
    DATA_PERMISSIONS.contains(&name)
}

/// `{"identity":true,"accounts":false,...}` with all nine keys present.
pub fn boolean_map(granted: &[String]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for name in DATA_PERMISSIONS {
        map.insert(name.to_string(), serde_json::Value::Bool(granted.iter().any(|g| g == name)));
    }
    serde_json::Value::Object(map)
}
