//! The carrier-facing webhook.

use actix_web::{HttpRequest, post, web};
use cpaas_shared::{ApiErrorBody, ErrorCode};
use serde::Serialize;

use crate::carrier::webhook::WebhookBody;
use crate::error::ApiError;
use crate::services::inbound;
use crate::services::provisioning::WEBHOOK_HEADER;
use crate::state::AppState;

/// The acknowledgement Inteliquent's documentation shows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAck {
    /// `"200"`.
    pub status_code: String,
    /// `"success"`.
    pub status: String,
}

/// Inteliquent POSTs inbound messages and delivery receipts here (the per-number webhook set
/// up when a number is provisioned). Authenticated by the `X-Cpaas-Webhook-Token` header the
/// platform configured. The message is stored before the answer, once per `referenceId`
/// however often the carrier retries; one that reaches no active assignment waits in the
/// unassigned inbox.
#[utoipa::path(
    tag = "webhooks",
    params(
        ("platform_id" = i64, Path, description = "CPaaS platform id"),
        ("X-Cpaas-Webhook-Token" = String, Header, description = "The platform's webhook token"),
    ),
    request_body = WebhookBody,
    responses(
        (status = OK, description = "Stored (or a repeat of a stored message), or a receipt noted", body = WebhookAck),
        (status = BAD_REQUEST, description = "`malformed_json`", body = ApiErrorBody),
        (status = UNAUTHORIZED, description = "The header is missing or wrong, or there is no such platform", body = ApiErrorBody),
        (status = TOO_MANY_REQUESTS, description = "`too_many_requests`: this address made too many refused calls (see `Retry-After`); calls with the right token are never limited", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Not an Inteliquent message (see `fields`)", body = ApiErrorBody),
    )
)]
#[post("/webhooks/inteliquent/{platform_id}")]
pub async fn inteliquent_webhook(
    state: web::Data<AppState>,
    platform_id: web::Path<i64>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<web::Json<WebhookAck>, ApiError> {
    let token = request
        .headers()
        .get(WEBHOOK_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let address = state.limits.client(&request);
    let metrics = state.metrics.clone();
    let node = inbound::Node {
        db: &state.db,
        secrets: &state.secrets,
        refusals: &state.limits.webhook_refusals,
        tokens: &state.webhook_tokens,
    };
    let received = inbound::receive(
        node,
        platform_id.into_inner(),
        (token, address),
        body.to_vec(),
    )
    .await;
    metrics.webhook(match &received {
        Ok(inbound::Received::Message { stored: 0 }) => "repeat",
        Ok(inbound::Received::Message { .. }) => "stored",
        Ok(inbound::Received::Receipt) => "receipt",
        Err(err) => match err.code() {
            ErrorCode::Unauthorized => "refused",
            ErrorCode::TooManyRequests => "limited",
            ErrorCode::ValidationFailed | ErrorCode::MalformedJson => "invalid",
            _ => "error",
        },
    });
    received?;
    Ok(web::Json(WebhookAck {
        status_code: "200".to_owned(),
        status: "success".to_owned(),
    }))
}
