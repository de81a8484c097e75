use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::client::Repeat;
use super::{LeanClient, LeanError};

#[derive(Debug, Deserialize)]
pub struct EventsPage {
    #[serde(default)]
    pub data: Vec<Value>,
    pub page: PageInfo,
}

#[derive(Debug, Deserialize)]
pub struct PageInfo {
    #[serde(default)]
    pub total_pages: u32,
}

impl LeanClient {
    /// `GET /events/v1`: every webhook Lean sent in the past 90 days, oldest filter by `from`.
    pub async fn events(&self, page: u32, size: u32, from: Option<&str>) -> Result<EventsPage, LeanError> {
        let mut path = format!("/events/v1?page={page}&size={size}");
        if let Some(from) = from {
            path.push_str("&from=");
            path.push_str(&super::customers::urlencode(from));
        }
        self.call(Method::GET, &path, None, Repeat::Safe)
            .await?
            .ok_or_else(|| LeanError::Unavailable("the events endpoint answered 404".into()))
    }
}
