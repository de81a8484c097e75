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
    PaymentSourceChanged { payment_source_id: super::PaymentSourceId, status: super::BeneficiaryStatus },
    /// An Account-on-File consent of the user, or a payment against it, changed.
    ConsentChanged { consent_id: super::ConsentId, status: super::ConsentStatus },
    /// A developer-console row was recorded or changed (an outbound Lean call, an inbound webhook).
    /// Only on streams opened with `?console=1`, and only rows that stream's user may see.
    Console { entry: super::console::ConsoleEntry },
}
