//! Every Link SDK flow the UI starts goes the same way: the server mints a launch config, the
//! browser opens `Lean.<method>` with it, and how the SDK closed is recorded for support and the
//! dashboard's history. [`launch`] is that one way; pages only choose the method and their words.

use std::future::Future;

use crate::api::record_flow_outcome;
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::{Launch, SdkError};
use crate::model::{AppError, CallbackData, FlowOutcome};

/// Why a flow has no recorded outcome.
#[derive(Debug, Clone)]
pub enum LaunchError {
    /// The server gave no launch config.
    Config(AppError),
    /// The SDK did not open.
    Sdk(SdkError),
    /// The SDK dropped its callback without calling it.
    NoCallback,
    /// The SDK closed, but recording how failed. The flow did end: `data` says how.
    NotSaved { data: CallbackData, error: AppError },
}

impl LaunchError {
    /// The error in plain words, in the reader's language.
    pub fn localized(&self) -> String {
        match self {
            LaunchError::Config(e) => e.localized(),
            LaunchError::Sdk(e) => e.localized(),
            LaunchError::NoCallback => t("sdk-unreadable-callback"),
            LaunchError::NotSaved { error, .. } => {
                t_with("flow-not-saved", &[("error", arg(error.localized()))])
            }
        }
    }

    /// How the SDK closed, where it opened and closed but the outcome was not recorded.
    pub fn closed(&self) -> Option<&CallbackData> {
        match self {
            LaunchError::NotSaved { data, .. } => Some(data),
            _ => None,
        }
    }
}

/// Runs one Link SDK flow: `config` (a server function) mints the launch config, `method` makes
/// it the `Lean.<method>` call, and once the SDK closes its callback is recorded under that method's
/// name. The answer is the stored record.
///
/// `on_close` sees the callback the moment the SDK closes, with the config it was launched with,
/// before the record is written: a page says how the flow ended without waiting for the server, and
/// a flow that leaves the page (REDIRECT) has said it before the browser goes.
pub async fn launch<L>(
    config: impl Future<Output = Result<L, AppError>>,
    method: impl FnOnce(&L) -> Launch,
    on_close: impl FnOnce(&L, &CallbackData),
) -> Result<FlowOutcome, LaunchError> {
    launch_recorded(config, method, on_close, |name, data| record_flow_outcome(name.into(), data)).await
}

/// [`launch`], with the record written by `record` (the method's name and the callback) instead of
/// `record_flow_outcome`: an Open Finance return is recorded once, under its return's key.
pub async fn launch_recorded<L, R>(
    config: impl Future<Output = Result<L, AppError>>,
    method: impl FnOnce(&L) -> Launch,
    on_close: impl FnOnce(&L, &CallbackData),
    record: impl FnOnce(&'static str, CallbackData) -> R,
) -> Result<FlowOutcome, LaunchError>
where
    R: Future<Output = Result<FlowOutcome, AppError>>,
{
    let config = config.await.map_err(LaunchError::Config)?;
    let sdk = method(&config);
    let name = sdk.method();
    let (closed, callback) = futures_channel::oneshot::channel();
    sdk.open(move |data| {
        let _ = closed.send(data);
    })
    .map_err(LaunchError::Sdk)?;
    // The SDK calls back exactly once, when it closes (CANCELLED included).
    let data = callback.await.map_err(|_| LaunchError::NoCallback)?;
    on_close(&config, &data);
    record(name, data.clone()).await.map_err(|error| LaunchError::NotSaved { data, error })
}
