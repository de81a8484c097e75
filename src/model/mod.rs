//! Types that cross the wire between the server and the browser.

pub mod connect;
mod consent;
pub mod console;
mod data;
mod diagnostics;
mod entity;
mod error;
pub mod flow;
pub mod form_error;
mod ids;
mod live;
mod money;
mod payment;
pub mod sandbox_panel;
mod status;
mod user;

pub use connect::{BankChoice, ConnectChoices, ConnectLaunch, ConnectOptions};
pub use consent::{
    Consent, ConsentLaunch, ConsentPayment, ConsentsOverview, FINAL_CONSENT_STATUSES, PERIOD_TYPES,
    PURPOSE_CODES,
};
pub use data::{
    AccountInsights, AccountSummary, BalancePoint, CategoryTotal, DataState, EntityOverview, IdentitySummary,
    TransactionRow, TransactionsPage,
};
pub use diagnostics::{Check, Diagnostics, LastWebhook, Setting};
pub use entity::{bank_name_shown, BankName, Entity, EntityStatus};
pub use error::AppError;
pub use flow::{CallbackBank, CallbackData, FlowOutcome, LaunchConfig};
pub use ids::{
    ConsentId, CustomerId, DestinationId, EntityId, EventId, PaymentIntentId, PaymentSourceId, UserId,
};
pub use live::LiveEvent;
pub use money::Money;
pub use payment::{
    format_minor, lean_payment_error, parse_amount, parse_full_name, AmountError, Beneficiary,
    BeneficiaryLaunch, Destination, NameError, PayOptions, PaymentLaunch, PaymentRow, PaymentSource,
    PaymentsOverview, RiskDetails, SourceAccount, TransactionIndicators, VerifyAddressLaunch, CURRENCIES,
    LEAN_PAYMENT_CODES, MAX_BULK, MAX_NAME_CHARS,
};
pub use status::{
    BeneficiaryStatus, ConsentPaymentStatus, ConsentStatus, DestinationStatus, FlowStatus, PaymentStatus,
    WebhookStatus,
};
pub use user::CurrentUser;
