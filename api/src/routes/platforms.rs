//! CPaaS platforms of a provider (R1–R5). Create and update check the credentials with the
//! carrier before anything is stored; secrets are write-only.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use cpaas_shared::{ApiErrorBody, CpaasPlatform, CpaasPlatformUpdate, NewCpaasPlatform, Page};

use crate::auth::PortalUser;
use crate::db::models::organization::OrgKind;
use crate::db::models::platform;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::{platforms, scope};
use crate::state::AppState;

type Data = web::Data<AppState>;

/// A provider's CPaaS platforms, by name (all of them: a provider has a few).
#[utoipa::path(
    tag = "cpaas-platforms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    responses(
        (status = OK, description = "The provider's platforms", body = Page<CpaasPlatform>),
    )
)]
#[get("/providers/{id}/cpaas-platforms")]
pub async fn list_platforms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Page<CpaasPlatform>>, ApiError> {
    let id = id.into_inner();
    let state = state.into_inner();
    let keys = state.clone();
    let rows = state
        .db
        .read(move |conn| {
            let provider = scope::find_visible(conn, &user, OrgKind::SystemProvider, id)?;
            Ok::<_, ApiError>(platform::of_provider(conn, provider.id)?)
        })
        .await?;
    let items = rows
        .iter()
        .map(|row| platforms::to_api(row, &keys.secrets))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(Page::whole(items)))
}

/// Adds a CPaaS platform (R1). Refused with `no_alert_recipient` unless a provider-level portal
/// account has Send Alerts on (R2); the Services key and secret and the Outbound API Key are
/// checked with the carrier first, and nothing is saved if any check fails (R4).
#[utoipa::path(
    tag = "cpaas-platforms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    request_body = NewCpaasPlatform,
    responses(
        (status = CREATED, description = "Verified and stored", body = CpaasPlatform),
        (status = CONFLICT, description = "`no_alert_recipient`: no provider-level account receives alerts", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, or `carrier_rejected_credentials` naming the rejected fields", body = ApiErrorBody),
        (status = BAD_GATEWAY, description = "`carrier_unreachable`: the carrier could not be asked", body = ApiErrorBody),
    )
)]
#[post("/providers/{id}/cpaas-platforms")]
pub async fn create_platform(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewCpaasPlatform>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let (prepare_user, store_user) = (user.clone(), user);
    let prepared = state
        .db
        .run(move |conn| platforms::prepare_create(conn, &prepare_user, id, body))
        .await?;
    platforms::verify(state.carrier.as_ref(), prepared.secrets()).await?;
    let app = state.into_inner();
    let keys = app.clone();
    let row = app
        .db
        .run(move |conn| platforms::store(conn, &store_user, &keys.secrets, prepared))
        .await?;
    Ok(HttpResponse::Created().json(platforms::to_api(&row, &app.secrets)?))
}

/// One CPaaS platform (secrets as hints only).
#[utoipa::path(
    tag = "cpaas-platforms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Platform id")),
    responses(
        (status = OK, description = "The platform", body = CpaasPlatform),
    )
)]
#[get("/cpaas-platforms/{id}")]
pub async fn get_platform(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasPlatform>, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db
        .read(move |conn| platforms::find_visible(conn, &user, id))
        .await?;
    Ok(web::Json(platforms::to_api(&row, &state.secrets)?))
}

/// Changes a CPaaS platform. Absent fields stay; an absent or empty secret keeps the stored
/// one. The resulting credentials are checked with the carrier before anything is saved (R4).
#[utoipa::path(
    tag = "cpaas-platforms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Platform id")),
    request_body = CpaasPlatformUpdate,
    responses(
        (status = OK, description = "Verified and stored", body = CpaasPlatform),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, or `carrier_rejected_credentials` naming the rejected fields", body = ApiErrorBody),
        (status = BAD_GATEWAY, description = "`carrier_unreachable`: the carrier could not be asked", body = ApiErrorBody),
    )
)]
#[patch("/cpaas-platforms/{id}")]
pub async fn update_platform(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<CpaasPlatformUpdate>,
) -> Result<web::Json<CpaasPlatform>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let app = state.into_inner();
    let (keys, prepare_user, store_user) = (app.clone(), user.clone(), user);
    let prepared = app
        .db
        .run(move |conn| platforms::prepare_update(conn, &prepare_user, &keys.secrets, id, body))
        .await?;
    platforms::verify(app.carrier.as_ref(), prepared.secrets()).await?;
    let keys = app.clone();
    let row = app
        .db
        .run(move |conn| platforms::store(conn, &store_user, &keys.secrets, prepared))
        .await?;
    app.webhook_tokens.forget(id);
    Ok(web::Json(platforms::to_api(&row, &app.secrets)?))
}

/// Deletes a CPaaS platform.
#[utoipa::path(
    tag = "cpaas-platforms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Platform id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = CONFLICT, description = "Numbers still use the platform", body = ApiErrorBody),
    )
)]
#[delete("/cpaas-platforms/{id}")]
pub async fn delete_platform(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| platforms::delete(conn, &user, id))
        .await?;
    state.webhook_tokens.forget(id);
    Ok(HttpResponse::NoContent().finish())
}
