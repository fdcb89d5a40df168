//! System providers (R20): list, read, update. Providers are created by
//! operators (`cpaas create-admin --provider-name`), not through the portal API.

use actix_web::{get, patch, web};
use cpaas_shared::page::check_page;
use cpaas_shared::{ApiErrorBody, ErrorCode, Page, Provider, ProviderUpdate};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::PortalUser;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::{providers, scope};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page (default 1).
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    pub per_page: Option<u32>,
    /// Part of the name, any case (wildcards are added).
    pub search: Option<String>,
}

pub fn paging(page: Option<u32>, per_page: Option<u32>) -> Result<(u32, u32), ApiError> {
    check_page(page, per_page).map_err(|(field, problem)| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            format!("The {field} parameter {problem}."),
        )
        .with_field(field, problem)
    })
}

/// The system providers the caller can see: its own, for a provider-level account.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = OK, description = "A page of providers", body = Page<Provider>),
        (status = UNAUTHORIZED, description = "No valid token", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Bad paging", body = ApiErrorBody),
    )
)]
#[get("/providers")]
pub async fn list_providers(
    state: web::Data<AppState>,
    user: PortalUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Provider>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page)?;
    let search = query.into_inner().search;
    let list = state
        .db
        .run(move |conn| providers::list(conn, &user, search.as_deref(), page, per_page))
        .await?;
    Ok(web::Json(list))
}

/// One system provider.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    responses(
        (status = OK, description = "The provider", body = Provider),
        (status = UNAUTHORIZED, description = "No valid token", body = ApiErrorBody),
        (status = NOT_FOUND, description = "No such provider in the caller's scope", body = ApiErrorBody),
    )
)]
#[get("/providers/{id}")]
pub async fn get_provider(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Provider>, ApiError> {
    let id = id.into_inner();
    let provider = state
        .db
        .run(move |conn| {
            Ok::<_, ApiError>(providers::to_api(scope::find_visible(
                conn,
                &user,
                OrgKind::SystemProvider,
                id,
            )?))
        })
        .await?;
    Ok(web::Json(provider))
}

/// Changes a system provider's settings (R20). Absent fields stay; `null` clears a nullable
/// one. Recorded in the history log with each field's old and new value.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    request_body = ProviderUpdate,
    responses(
        (status = OK, description = "The updated provider", body = Provider),
        (status = UNAUTHORIZED, description = "No valid token", body = ApiErrorBody),
        (status = NOT_FOUND, description = "No such provider in the caller's scope", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields (see `fields`)", body = ApiErrorBody),
    )
)]
#[patch("/providers/{id}")]
pub async fn update_provider(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<ProviderUpdate>,
) -> Result<web::Json<Provider>, ApiError> {
    let (id, update) = (id.into_inner(), body.into_inner());
    let provider = state
        .db
        .run(move |conn| providers::update(conn, &user, id, update))
        .await?;
    Ok(web::Json(provider))
}
