//! Bulk imports of CPaaS numbers from CSV.

use actix_web::{HttpResponse, get, post, web};
use cpaas_shared::{ApiErrorBody, NewNumberImport, NumberImport, Page, PlatformChoice};

use super::listing::*;
use crate::auth::PortalUser;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::imports;
use crate::services::numbers::{self, Target};

/// Imports CPaaS numbers into a customer from CSV (header `number`, `user_id` or
/// `media_stream`, optional `friendly_name`, `messaging_type`, `platform_id`; at most 10,000
/// rows). A job assigns every row with the single assignment's rules; follow it with GET.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NewNumberImport,
    responses(
        (status = ACCEPTED, description = "Queued", body = NumberImport),
        (status = UNPROCESSABLE_ENTITY, description = "The CSV cannot be read (see `fields.csv`)", body = ApiErrorBody),
    )
)]
#[post("/customers/{id}/cpaas-number-imports")]
pub async fn create_import(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewNumberImport>,
) -> Result<HttpResponse, ApiError> {
    let (id, csv) = (id.into_inner(), body.into_inner().csv);
    let record = state
        .db
        .run(move |conn| {
            let record = imports::create(conn, &user, id, csv)?;
            Ok::<_, ApiError>(record.to_api(conn)?)
        })
        .await?;
    state.jobs.notify_one();
    Ok(HttpResponse::Accepted().json(record))
}

/// A bulk import's progress and per-row results.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Import id")),
    responses(
        (status = OK, description = "Progress and results", body = NumberImport),
    )
)]
#[get("/cpaas-number-imports/{id}")]
pub async fn get_import(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<NumberImport>, ApiError> {
    let id = id.into_inner();
    let record = state
        .db
        .read(move |conn| {
            let record = imports::find_visible(conn, &user, id)?;
            Ok::<_, ApiError>(record.to_api(conn)?)
        })
        .await?;
    Ok(web::Json(record))
}

pub(super) async fn choices(
    state: Data,
    user: PortalUser,
    target: Target,
) -> Result<web::Json<Page<PlatformChoice>>, ApiError> {
    let items = state
        .db
        .read(move |conn| numbers::platforms_for(conn, &user, target))
        .await?;
    Ok(web::Json(Page::whole(items)))
}
