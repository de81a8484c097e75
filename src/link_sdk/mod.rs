//! Typed bindings to the Link SDK's `window.Lean` (loaded by the page shell from the configured
//! loader URL). Browser-only: on the server these functions report that the SDK is unavailable.

use serde::Serialize;

use crate::model::{CallbackData, LaunchConfig};

/// `Lean.connect` config (REFERENCE §9.1). Field names are Lean's.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectConfig<'a> {
    pub app_token: &'a str,
    pub customer_id: &'a str,
    pub permissions: &'a [String],
    pub access_token: &'a str,
    pub sandbox: bool,
    pub language: &'a str,
}

impl<'a> From<&'a LaunchConfig> for ConnectConfig<'a> {
    fn from(c: &'a LaunchConfig) -> Self {
        ConnectConfig {
            app_token: &c.app_token,
            customer_id: &c.customer_id,
            permissions: &c.permissions,
            access_token: &c.access_token,
            sandbox: c.sandbox,
            language: &c.language,
        }
    }
}

/// `Lean.reconnect` config (REFERENCE §9.1).
#[derive(Debug, Clone, Serialize)]
pub struct ReconnectConfig<'a> {
    pub app_token: &'a str,
    pub reconnect_id: &'a str,
    pub access_token: &'a str,
    pub sandbox: bool,
    pub language: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdkError {
    #[error("The Lean Link SDK did not load. Check your connection and reload the page.")]
    NotLoaded,
    #[error("The Lean Link SDK refused to start: {0}")]
    Launch(String),
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Function, Reflect, JSON};
    use wasm_bindgen::prelude::*;

    use super::SdkError;
    use crate::model::CallbackData;

    /// Calls `window.Lean[method](config)` with `callback` attached.
    pub fn launch(
        method: &str,
        config: &impl serde::Serialize,
        callback: impl FnOnce(CallbackData) + 'static,
    ) -> Result<(), SdkError> {
        let window = web_sys::window().ok_or(SdkError::NotLoaded)?;
        let lean = Reflect::get(&window, &JsValue::from_str("Lean")).map_err(|_| SdkError::NotLoaded)?;
        if lean.is_undefined() || lean.is_null() {
            return Err(SdkError::NotLoaded);
        }
        let func: Function = Reflect::get(&lean, &JsValue::from_str(method))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or(SdkError::NotLoaded)?;

        let json = serde_json::to_string(config).map_err(|e| SdkError::Launch(e.to_string()))?;
        let js_config = JSON::parse(&json).map_err(|_| SdkError::Launch("config is not JSON".into()))?;
        let on_done = Closure::once_into_js(move |data: JsValue| callback(decode(data)));
        Reflect::set(&js_config, &JsValue::from_str("callback"), &on_done)
            .map_err(|_| SdkError::Launch("cannot attach the callback".into()))?;
        func.call1(&lean, &js_config)
            .map(|_| ())
            .map_err(|e| SdkError::Launch(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    }

    /// CallbackData arrives as a plain JS object; anything unreadable becomes an ERROR outcome.
    fn decode(data: JsValue) -> CallbackData {
        JSON::stringify(&data)
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_else(|| CallbackData {
                status: "ERROR".into(),
                message: Some("The SDK returned data this app could not read.".into()),
                ..Default::default()
            })
    }
}

/// Launches `Lean.connect`; `callback` gets the CallbackData when the SDK closes.
pub fn connect(config: &LaunchConfig, callback: impl FnOnce(CallbackData) + 'static) -> Result<(), SdkError> {
    #[cfg(feature = "hydrate")]
    {
        browser::launch("connect", &ConnectConfig::from(config), callback)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (config, callback);
        Err(SdkError::NotLoaded)
    }
}

/// Launches `Lean.reconnect` for the config's `reconnect_id`.
pub fn reconnect(
    config: &LaunchConfig,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let Some(reconnect_id) = config.reconnect_id.as_deref() else {
        return Err(SdkError::Launch("no reconnect_id".into()));
    };
    let js = ReconnectConfig {
        app_token: &config.app_token,
        reconnect_id,
        access_token: &config.access_token,
        sandbox: config.sandbox,
        language: &config.language,
    };
    #[cfg(feature = "hydrate")]
    {
        browser::launch("reconnect", &js, callback)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (js, callback);
        Err(SdkError::NotLoaded)
    }
}
