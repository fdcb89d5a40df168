//! The typed API client: one function per endpoint, shared wire types, and one error enum
//! that carries the API's error envelope when there is one.

use cpaas_shared::{ApiErrorBody, ReadyStatus};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiClientError {
    /// The API answered with its error envelope.
    Api { status: u16, body: ApiErrorBody },
    /// No usable answer: network failure or a non-JSON error.
    Network(String),
    /// A 2xx answer whose body did not match the expected type.
    Decode(String),
}

impl ApiClientError {
    /// A sentence to show the user.
    pub fn message(&self) -> String {
        match self {
            Self::Api { body, .. } => body.message.clone(),
            Self::Network(detail) => format!("The API could not be reached ({detail})."),
            Self::Decode(detail) => format!("The API sent an unexpected answer ({detail})."),
        }
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiClientError> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiClientError::Network(e.to_string()))?;
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiClientError::Decode(e.to_string()));
    }
    let status = response.status();
    match response.json::<ApiErrorBody>().await {
        Ok(body) => Err(ApiClientError::Api { status, body }),
        Err(_) => Err(ApiClientError::Network(format!("HTTP {status}"))),
    }
}

/// `GET /readyz`: version, database backend and schema version.
pub async fn readiness() -> Result<ReadyStatus, ApiClientError> {
    get_json("/readyz").await
}
