//! Types that cross the wire between the server and the browser.

mod entity;
mod error;
mod flow;
mod live;
mod user;

pub use entity::{Entity, EntityStatus};
pub use error::AppError;
pub use flow::{CallbackBank, CallbackData, FlowOutcome, LaunchConfig};
pub use live::LiveEvent;
pub use user::CurrentUser;
