use serde::{Deserialize, Serialize};

use super::Entity;

/// How Lean answered a data call (REFERENCE §5): the data, or one of its asynchronous or failure states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataState<T> {
    Ready(T),
    /// Lean is still fetching; a `results.ready` webhook follows.
    Pending,
    /// The bank could not provide it; `message` is Lean's `status_additional_info`.
    Failed {
        code: String,
        message: String,
    },
    /// The bank wants the user to log in again: `Lean.reconnect` with this id.
    ReconnectRequired {
        reconnect_id: String,
    },
    /// The consent ran out: the user connects the bank again.
    ConsentExpired,
}

impl<T> DataState<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> DataState<U> {
        match self {
            DataState::Ready(t) => DataState::Ready(f(t)),
            DataState::Pending => DataState::Pending,
            DataState::Failed { code, message } => DataState::Failed { code, message },
            DataState::ReconnectRequired { reconnect_id } => DataState::ReconnectRequired { reconnect_id },
            DataState::ConsentExpired => DataState::ConsentExpired,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: String,
    pub name: String,
    /// Lean's `account_sub_type`, e.g. CURRENT_ACCOUNT, SAVINGS, CREDIT_CARD.
    pub kind: String,
    /// Last four characters only.
    pub iban_tail: String,
    pub currency: String,
    /// Negative when the account is in debit.
    pub balance: Option<super::Money>,
    /// Which of Lean's balance types is shown (see `pick_balance`).
    pub balance_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySummary {
    pub full_name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRow {
    pub id: String,
    /// YYYY-MM-DD
    pub date: String,
    pub description: String,
    pub category: Option<String>,
    /// Negative for money out.
    pub amount: super::Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionsPage {
    pub rows: Vec<TransactionRow>,
    pub page: u32,
    pub total_pages: u32,
}

/// Everything the bank page shows at first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityOverview {
    pub entity: Entity,
    pub accounts: DataState<Vec<AccountSummary>>,
    pub identity: DataState<IdentitySummary>,
    /// Default transaction range (the last 90 days, by the server's clock), YYYY-MM-DD.
    pub default_from: String,
    pub default_to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTotal {
    pub category: String,
    /// Money out in this category, in minor units (positive).
    pub minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalancePoint {
    /// YYYY-MM-DD
    pub date: String,
    /// End-of-day booked balance, in minor units.
    pub minor: i64,
}

/// What the account charts draw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInsights {
    pub currency: String,
    pub from: String,
    pub to: String,
    /// Largest first; small categories folded into "OTHER".
    pub spending: Vec<CategoryTotal>,
    /// One point a day, oldest first.
    pub balance: Vec<BalancePoint>,
}
