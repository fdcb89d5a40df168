//! A media stream SMS number (R10) and the platforms it may use.

use actix_web::{HttpResponse, delete, get, put, web};
use cpaas_shared::{ApiErrorBody, CpaasNumber, MediaStreamSms, Page, PlatformChoice};

use super::csv_imports::*;
use super::listing::*;
use crate::auth::PortalUser;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::numbers::{self, Target};

/// A media stream's SMS configuration (R10): its number with the settings.
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The configuration", body = CpaasNumber),
        (status = NOT_FOUND, description = "Not in the caller's scope, or no configuration", body = ApiErrorBody),
    )
)]
#[get("/media-streams/{id}/sms")]
pub async fn get_stream_sms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .read(move |conn| numbers::stream_sms(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Sets a media stream's SMS configuration (R10): number, platform, MMS available, remote
/// numbers can be blocked, initial reply. Without a number yet it is assigned with the same
/// rules and asynchronous provisioning as for users (201); otherwise the settings change (200).
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    request_body = MediaStreamSms,
    responses(
        (status = OK, description = "The configuration changed", body = CpaasNumber),
        (status = CREATED, description = "The number assigned; provisioning is `pending`", body = CpaasNumber),
        (status = CONFLICT, description = "Not an SMS stream, another number configured, `number_already_assigned`, `no_platform`", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `platform_required`, `mms_not_available`, `number_not_on_account`", body = ApiErrorBody),
        (status = BAD_GATEWAY, description = "`carrier_unreachable`", body = ApiErrorBody),
    )
)]
#[put("/media-streams/{id}/sms")]
pub async fn put_stream_sms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<MediaStreamSms>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let (first_user, input) = (user.clone(), body.clone());
    let changed = state
        .db
        .run(move |conn| numbers::update_stream_sms(conn, &first_user, id, &input))
        .await?;
    if let Some(row) = changed {
        state.jobs.notify_one();
        return Ok(HttpResponse::Ok().json(row.to_api()));
    }
    let row = numbers::assign_stream_sms(&state.deps(), &user, id, &body).await?;
    Ok(HttpResponse::Created().json(row.to_api()))
}

/// Removes a media stream's SMS configuration: its number is deleted (R14) and the carrier
/// webhook removed asynchronously.
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The ended assignment", body = CpaasNumber),
        (status = NOT_FOUND, description = "Not in the caller's scope, or no configuration", body = ApiErrorBody),
    )
)]
#[delete("/media-streams/{id}/sms")]
pub async fn delete_stream_sms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| {
            let current = numbers::stream_sms(conn, &user, id)?;
            numbers::delete(conn, &user, current.id)
        })
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(row.to_api()))
}

/// The CPaaS platforms an SMS media stream's number can be assigned on.
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The provider's platforms", body = Page<PlatformChoice>),
    )
)]
#[get("/media-streams/{id}/cpaas-platforms")]
pub async fn stream_platforms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Page<PlatformChoice>>, ApiError> {
    choices(state, user, Target::Stream(id.into_inner())).await
}
