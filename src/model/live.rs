use serde::{Deserialize, Serialize};

use super::{Entity, PaymentRow};

/// One message on a user's live stream (Server-Sent Events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// An entity was created or changed by a webhook.
    EntityChanged { entity: Entity },
    /// A payment intent of the user changed (intent created, payment created or updated).
    PaymentChanged { payment: PaymentRow },
    /// A payment source or one of its beneficiaries changed (created, cool-off over).
    PaymentSourceChanged { payment_source_id: String, status: String },
}
