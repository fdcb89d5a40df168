//! The typed API client: a handful of generic calls over the shared wire types, and one error
//! enum that carries the API's error envelope when there is one.

use cpaas_shared::{
    ApiErrorBody, ClientLoginRequest, ClientLoginResponse, LoginRequest, LoginResponse, ReadyStatus,
};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

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
        self.fields()
            .into_iter()
            .find(|(name, _)| name == field)
            .map(|(_, problem)| problem)
    }

    /// Every field problem the API reported, as `(field, problems joined)`.
    pub fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::Api { body, .. } => body
                .fields
                .iter()
                .map(|(field, problems)| (field.clone(), problems.join("; ")))
                .collect(),
            _ => Vec::new(),
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

async fn send(
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Result<Response, ApiClientError> {
    let mut request = RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let network = |e: gloo_net::Error| ApiClientError::Network(e.to_string());
    let response = match body {
        Some(body) => request.json(body).map_err(network)?.send().await,
        None => request.send().await,
    };
    let response = response.map_err(network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    match response.json::<ApiErrorBody>().await {
        Ok(body) => Err(ApiClientError::Api { status, body }),
        Err(_) => Err(ApiClientError::Network(format!("HTTP {status}"))),
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiClientError> {
    response
        .json::<T>()
        .await
        .map_err(|e| ApiClientError::Decode(e.to_string()))
}

/// `GET /readyz`: version, database backend and schema version.
pub async fn readiness() -> Result<ReadyStatus, ApiClientError> {
    decode(send(Method::GET, "/readyz", None, None).await?).await
}

/// `POST /api/v1/auth/login`.
pub async fn login(request: &LoginRequest) -> Result<LoginResponse, ApiClientError> {
    let body = serde_json::to_value(request).map_err(|e| ApiClientError::Decode(e.to_string()))?;
    decode(send(Method::POST, "/api/v1/auth/login", None, Some(&body)).await?).await
}

/// `POST /api/v1/auth/refresh`: a new token from the refresh cookie (sent by the browser).
pub async fn refresh() -> Result<LoginResponse, ApiClientError> {
    decode(send(Method::POST, "/api/v1/auth/refresh", None, None).await?).await
}

/// `POST /api/v1/auth/logout`: ends every session of the signed-in account.
pub async fn logout(token: &str) -> Result<(), ApiClientError> {
    send(Method::POST, "/api/v1/auth/logout", Some(token), None)
        .await
        .map(drop)
}

/// `POST /api/v1/client/login` (the end users' client view).
pub async fn client_login(
    request: &ClientLoginRequest,
) -> Result<ClientLoginResponse, ApiClientError> {
    let body = serde_json::to_value(request).map_err(|e| ApiClientError::Decode(e.to_string()))?;
    decode(send(Method::POST, "/api/v1/client/login", None, Some(&body)).await?).await
}

/// An authenticated `GET` of any resource or list.
pub async fn get<T: DeserializeOwned>(token: &str, url: &str) -> Result<T, ApiClientError> {
    decode(send(Method::GET, url, Some(token), None).await?).await
}

/// An authenticated `POST` or `PATCH` with a JSON body; answers the resource as written.
pub async fn write(
    token: &str,
    method: Method,
    url: &str,
    body: &Value,
) -> Result<Value, ApiClientError> {
    decode(send(method, url, Some(token), Some(body)).await?).await
}

/// An authenticated `GET` of a non-JSON representation (e.g. `text/csv`).
pub async fn get_text(token: &str, url: &str, accept: &str) -> Result<String, ApiClientError> {
    let response = RequestBuilder::new(url)
        .header("Accept", accept)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiClientError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(ApiClientError::Network(format!(
            "HTTP {}",
            response.status()
        )));
    }
    response
        .text()
        .await
        .map_err(|e| ApiClientError::Decode(e.to_string()))
}

/// An authenticated `DELETE` that answers JSON.
pub async fn delete_with<T: DeserializeOwned>(token: &str, url: &str) -> Result<T, ApiClientError> {
    decode(send(Method::DELETE, url, Some(token), None).await?).await
}

/// An authenticated `DELETE` whose answer is not needed.
pub async fn delete(token: &str, url: &str) -> Result<(), ApiClientError> {
    send(Method::DELETE, url, Some(token), None).await.map(drop)
}
