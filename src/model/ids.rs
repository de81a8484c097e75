//! Ids as types: a customer id cannot be passed where an entity id is wanted. Each travels and is
//! stored as the plain string Lean (or this app) gave it.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id!(
    /// A user of this app (our own UUID; Lean knows it as the customer's `app_user_id`).
    UserId
);
id!(
    /// A Lean customer: one per user of this app.
    CustomerId
);
id!(
    /// A Lean entity: one bank connection of a customer.
    EntityId
);
id!(
    /// A Lean payment intent.
    PaymentIntentId
);
id!(
    /// A Lean Open Finance (Account-on-File) consent.
    ConsentId
);
id!(
    /// A Lean payment destination: an account money is paid into.
    DestinationId
);
id!(
    /// A Lean payment source: a payer's account set up for payments.
    PaymentSourceId
);
id!(
    /// A Lean webhook event's `event_id`.
    EventId
);
