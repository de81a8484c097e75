use serde::{Deserialize, Serialize};

use super::Entity;

/// One message on a user's live stream (Server-Sent Events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// An entity was created or changed by a webhook.
    EntityChanged { entity: Entity },
}
