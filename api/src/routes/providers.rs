//! System providers (R20): list, read, update; operators (`cpaas create-admin --operator`)
//! also create and delete them.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use cpaas_shared::{ApiErrorBody, Page, Provider, ProviderUpdate};

use crate::auth::PortalUser;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::{ListQuery, paging};
use crate::services::{organizations, providers, scope};
use crate::state::AppState;

/// The system providers the caller can see: its own, for a provider-level account.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = OK, description = "A page of providers", body = Page<Provider>),
    )
)]
#[get("/providers")]
pub async fn list_providers(
    state: web::Data<AppState>,
    user: PortalUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Provider>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let search = query.into_inner().search;
    let list = state
        .db
        .read(move |conn| providers::list(conn, &user, search.as_deref(), page, per_page))
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
        .read(move |conn| {
            let org = scope::find_visible(conn, &user, OrgKind::SystemProvider, id)?;
            providers::load(conn, org)
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
        (status = NOT_FOUND, description = "No such provider in the caller's scope", body = ApiErrorBody),
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

/// Creates a system provider (operators only). Takes the same fields as an update; `name` is
/// required. Its first portal account is then added through its portal-accounts collection.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    request_body = ProviderUpdate,
    responses(
        (status = CREATED, description = "The new provider", body = Provider),
        (status = FORBIDDEN, description = "The caller is not an operator", body = ApiErrorBody),
    )
)]
#[post("/providers")]
pub async fn create_provider(
    state: web::Data<AppState>,
    user: PortalUser,
    body: Json<ProviderUpdate>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let provider = state
        .db
        .run(move |conn| providers::create(conn, &user, body))
        .await?;
    Ok(HttpResponse::Created().json(provider))
}

/// Deletes a system provider (operators only); refused with `conflict` while resellers,
/// customers or portal accounts hang from it.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = FORBIDDEN, description = "The caller is not an operator", body = ApiErrorBody),
        (status = NOT_FOUND, description = "No such provider in the caller's scope", body = ApiErrorBody),
        (status = CONFLICT, description = "Something still hangs from it", body = ApiErrorBody),
    )
)]
#[delete("/providers/{id}")]
pub async fn delete_provider(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| organizations::delete(conn, &user, OrgKind::SystemProvider, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
