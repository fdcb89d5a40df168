//! One CPaaS number: read, change, delete, its messages, its opt-in, its platforms.

use actix_web::{delete, get, patch, post, web};
use cpaas_shared::{
    ApiErrorBody, CpaasNumber, CpaasNumberUpdate, DeletedMessages, Page, PlatformChoice,
};

use super::csv_imports::*;
use super::listing::*;
use crate::auth::PortalUser;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::numbers::{self, Target};

/// One CPaaS number with its provisioning and opt-in state. An ended assignment (deleted) stays
/// readable here as history, with its `end_date`; changing or deleting it again is 409.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "The number", body = CpaasNumber),
    )
)]
#[get("/cpaas-numbers/{id}")]
pub async fn get_number(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .read(move |conn| numbers::find_visible(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Changes friendly name, messaging type (MMS only where the platform has it) or blocking.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    request_body = CpaasNumberUpdate,
    responses(
        (status = OK, description = "The updated number", body = CpaasNumber),
        (status = CONFLICT, description = "The assignment has ended", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields or `mms_not_available`", body = ApiErrorBody),
    )
)]
#[patch("/cpaas-numbers/{id}")]
pub async fn update_number(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<CpaasNumberUpdate>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| numbers::update(conn, &user, id, body))
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(row.to_api()))
}

/// Deletes the number (R14): the assignment ends (it stays in the lists as history) and the
/// carrier webhook is removed asynchronously.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "The ended assignment", body = CpaasNumber),
        (status = CONFLICT, description = "Already ended", body = ApiErrorBody),
    )
)]
#[delete("/cpaas-numbers/{id}")]
pub async fn delete_number(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| numbers::delete(conn, &user, id))
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(row.to_api()))
}

/// Delete Messages (R14): deletes the number's stored messages and keeps the number.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "How many messages were deleted", body = DeletedMessages),
    )
)]
#[delete("/cpaas-numbers/{id}/messages")]
pub async fn delete_messages(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<DeletedMessages>, ApiError> {
    let id = id.into_inner();
    let deleted = state
        .db
        .run(move |conn| numbers::delete_messages(conn, &user, id))
        .await?;
    Ok(web::Json(DeletedMessages { deleted }))
}

/// Puts the opt-in state back to pending (R13): the client asks the user again.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "The number, opt-in pending", body = CpaasNumber),
        (status = CONFLICT, description = "Ended, or a media stream's number", body = ApiErrorBody),
    )
)]
#[post("/cpaas-numbers/{id}/opt-in/reset")]
pub async fn reset_opt_in(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| numbers::reset_opt_in(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// The CPaaS platforms a number of this user can be assigned on (the assignment form: the
/// platform selector appears only when there are several; MMS only where available).
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "End user id")),
    responses(
        (status = OK, description = "The provider's platforms", body = Page<PlatformChoice>),
    )
)]
#[get("/users/{id}/cpaas-platforms")]
pub async fn user_platforms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Page<PlatformChoice>>, ApiError> {
    choices(state, user, Target::User(id.into_inner())).await
}
