//! Statuses as types. Each is Lean's (or this app's) word for a state, kept exactly as sent: a status
//! Lean adds later is carried as `Other`, shown as unknown, and stored unchanged, never refused.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! status {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A word this app does not know, as it was sent.
            Other(String),
        }

        impl $name {
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(text) => text,
                }
            }

            /// Every status this app knows, in its wire spelling.
            pub const KNOWN: &'static [&'static str] = &[$($text,)+];
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::parse(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        // Stored as the same text it travels as.
        #[cfg(feature = "ssr")]
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok($name::parse(&<String as sqlx::Decode<'r, DB>>::decode(value)?))
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            String: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, DB>>::encode(self.as_str().to_owned(), buf)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok($name::parse(&String::deserialize(d)?))
            }
        }
    };
}

status!(
    /// A payment intent's state: `INTENT_CREATED` until Lean reports a payment, then that payment's
    /// status (REFERENCE §6.3).
    PaymentStatus {
        IntentCreated = "INTENT_CREATED",
        PendingWithBank = "PENDING_WITH_BANK",
        AcceptedByBank = "ACCEPTED_BY_BANK",
        RejectedByBank = "REJECTED_BY_BANK",
        Failed = "FAILED",
    }
);

impl PaymentStatus {
    /// The message id that says the status in plain words.
    pub fn key(&self) -> &'static str {
        match self {
            PaymentStatus::IntentCreated => "pay-status-intent-created",
            PaymentStatus::PendingWithBank => "pay-status-pending-with-bank",
            PaymentStatus::AcceptedByBank => "pay-status-accepted-by-bank",
            PaymentStatus::RejectedByBank => "pay-status-rejected-by-bank",
            PaymentStatus::Failed => "pay-status-failed",
            PaymentStatus::Other(_) => "pay-status-unknown",
        }
    }

    /// Whether the payer can (still) pay an intent in this state.
    pub fn payable(&self) -> bool {
        matches!(self, PaymentStatus::IntentCreated | PaymentStatus::Failed | PaymentStatus::RejectedByBank)
    }
}

status!(
    /// An Account-on-File consent's state (REFERENCE §6.5).
    ConsentStatus {
        AwaitingAuthorisation = "AWAITING_AUTHORISATION",
        Authorised = "AUTHORISED",
        Revoked = "REVOKED",
        Rejected = "REJECTED",
        Expired = "EXPIRED",
        Consumed = "CONSUMED",
    }
);

impl ConsentStatus {
    /// After these nothing changes any more.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            ConsentStatus::Revoked
                | ConsentStatus::Rejected
                | ConsentStatus::Expired
                | ConsentStatus::Consumed
        )
    }
}

status!(
    /// A payment against a consent: this app's `SENDING` until Lean answers and `REFUSED` when Lean
    /// said no, then Lean's own status.
    ConsentPaymentStatus {
        Sending = "SENDING",
        Refused = "REFUSED",
        Created = "CREATED",
        Processing = "PROCESSING",
        Processed = "PROCESSED",
        Failed = "FAILED",
    }
);

status!(
    /// A payment source, or one recipient of it, at the payer's bank: banks hold a new beneficiary in
    /// a cool-off before it can be paid (REFERENCE §6.2).
    BeneficiaryStatus {
        AwaitingCoolOff = "AWAITING_BENEFICIARY_COOL_OFF",
        PendingCoolOff = "PENDING_BENEFICIARY_COOL_OFF",
        Active = "ACTIVE",
    }
);

status!(
    /// How a Link SDK flow ended, as its callback says (REFERENCE §9.5).
    FlowStatus {
        Success = "SUCCESS",
        Error = "ERROR",
        Cancelled = "CANCELLED",
        Redirect = "REDIRECT",
        ClosedProgrammatically = "LINK_CLOSED_PROGRAMMATICALLY",
    }
);

/// A callback nobody described is read as an error.
impl Default for FlowStatus {
    fn default() -> Self {
        FlowStatus::Error
    }
}

status!(
    /// Where a received webhook stands in this app.
    WebhookStatus {
        Received = "received",
        Processing = "processing",
        Processed = "processed",
        Failed = "failed",
        /// Answered 401 for its signature; never stored.
        Rejected = "rejected",
    }
);

status!(
    /// A payment destination at Lean.
    DestinationStatus {
        Confirmed = "CONFIRMED",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_travel_as_lean_spells_them_and_unknown_ones_survive() {
        assert_eq!(serde_json::to_string(&PaymentStatus::AcceptedByBank).unwrap(), "\"ACCEPTED_BY_BANK\"");
        let later: PaymentStatus = serde_json::from_str("\"SETTLED_SOMEWHERE_NEW\"").unwrap();
        assert_eq!(later, PaymentStatus::Other("SETTLED_SOMEWHERE_NEW".into()));
        assert_eq!(serde_json::to_string(&later).unwrap(), "\"SETTLED_SOMEWHERE_NEW\"");
        assert_eq!(later.key(), "pay-status-unknown");
        for text in ConsentStatus::KNOWN {
            assert_eq!(ConsentStatus::parse(text).as_str(), *text);
            assert!(!matches!(ConsentStatus::parse(text), ConsentStatus::Other(_)), "{text}");
        }
    }
}
