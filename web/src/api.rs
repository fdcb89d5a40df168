//! The typed API client: one function per endpoint, shared wire types, and one error enum
//! that carries the API's error envelope when there is one.

use cpaas_shared::{
    ApiErrorBody, EndUser, HistoryEntry, LoginRequest, LoginResponse, NewEndUser, NewOrganization,
    Organization, Page, Provider, ProviderUpdate, ReadyStatus,
};
use gloo_net::http::{Request, Response};
use serde::Serialize;
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
    /// The problems the API reported for `field`, if any.
    pub fn field(&self, field: &str) -> Option<String> {
        match self {
            Self::Api { body, .. } => body.fields.get(field).map(|problems| problems.join("; ")),
            _ => None,
        }
    }

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
    decode(response).await
}

async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ApiClientError> {
    let response = Request::post(url)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiClientError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiClientError::Network(e.to_string()))?;
    decode(response).await
}

async fn get_auth<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, ApiClientError> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiClientError::Network(e.to_string()))?;
    decode(response).await
}

async fn post_auth<B: Serialize, T: DeserializeOwned>(
    url: &str,
    token: &str,
    body: &B,
) -> Result<T, ApiClientError> {
    let response = Request::post(url)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .json(body)
        .map_err(|e| ApiClientError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiClientError::Network(e.to_string()))?;
    decode(response).await
}

async fn patch_auth<B: Serialize, T: DeserializeOwned>(
    url: &str,
    token: &str,
    body: &B,
) -> Result<T, ApiClientError> {
    let response = Request::patch(url)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .json(body)
        .map_err(|e| ApiClientError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiClientError::Network(e.to_string()))?;
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiClientError> {
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

/// `POST /api/v1/auth/login`.
pub async fn login(request: &LoginRequest) -> Result<LoginResponse, ApiClientError> {
    post_json("/api/v1/auth/login", request).await
}

/// `GET /api/v1/providers/{id}`.
pub async fn provider(token: &str, id: i64) -> Result<Provider, ApiClientError> {
    get_auth(&format!("/api/v1/providers/{id}"), token).await
}

/// `PATCH /api/v1/providers/{id}`.
pub async fn update_provider(
    token: &str,
    id: i64,
    update: &ProviderUpdate,
) -> Result<Provider, ApiClientError> {
    patch_auth(&format!("/api/v1/providers/{id}"), token, update).await
}

/// `GET /api/v1/providers/{id}/history` (first page, newest first).
pub async fn provider_history(token: &str, id: i64) -> Result<Page<HistoryEntry>, ApiClientError> {
    get_auth(
        &format!("/api/v1/providers/{id}/history?per_page=50"),
        token,
    )
    .await
}

/// A list of resellers or customers (`/api/v1/…/resellers`, `/api/v1/…/customers`).
pub async fn organizations(token: &str, url: &str) -> Result<Page<Organization>, ApiClientError> {
    get_auth(&format!("{url}?per_page=100"), token).await
}

/// Creates a reseller or customer at `url`.
pub async fn create_organization(
    token: &str,
    url: &str,
    body: &NewOrganization,
) -> Result<Organization, ApiClientError> {
    post_auth(url, token, body).await
}

/// `GET /api/v1/{resellers,customers}/{id}`.
pub async fn organization(
    token: &str,
    collection: &str,
    id: i64,
) -> Result<Organization, ApiClientError> {
    get_auth(&format!("/api/v1/{collection}/{id}"), token).await
}

/// `GET /api/v1/customers/{id}/users`.
pub async fn users(token: &str, customer: i64) -> Result<Page<EndUser>, ApiClientError> {
    get_auth(
        &format!("/api/v1/customers/{customer}/users?per_page=100"),
        token,
    )
    .await
}

/// `POST /api/v1/customers/{id}/users`.
pub async fn create_user(
    token: &str,
    customer: i64,
    body: &NewEndUser,
) -> Result<EndUser, ApiClientError> {
    post_auth(&format!("/api/v1/customers/{customer}/users"), token, body).await
}
