//! Types that cross the wire between the server and the browser.

mod data;
mod diagnostics;
mod entity;
mod error;
mod flow;
mod live;
mod payment;
mod user;

pub use data::{
    AccountInsights, AccountSummary, BalancePoint, CategoryTotal, DataState, EntityOverview, IdentitySummary,
    TransactionRow, TransactionsPage,
};
pub use diagnostics::{Check, Diagnostics, LastWebhook, Setting};
pub use entity::{Entity, EntityStatus};
pub use error::AppError;
pub use flow::{CallbackBank, CallbackData, FlowOutcome, LaunchConfig};
pub use live::LiveEvent;
pub use payment::{
    format_minor, parse_amount, Destination, PaymentLaunch, PaymentRow, PaymentSource, PaymentsOverview,
    CURRENCIES,
};
pub use user::CurrentUser;
