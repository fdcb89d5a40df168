//! Resellers and customers (R24): create, list (this level and below), read, update, delete.
//! Handlers are declarations; the shared helpers below do the work through
//! `services::organizations`.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use cpaas_shared::{
    ApiErrorBody, NewOrganization, Organization, OrganizationUpdate, Page, ProviderUpdate,
};

use crate::auth::PortalUser;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::{ListQuery, paging};
use crate::services::{organizations, scope};
use crate::state::AppState;

type Data = web::Data<AppState>;

async fn create(
    state: Data,
    user: PortalUser,
    parent: (OrgKind, i64),
    kind: OrgKind,
    body: NewOrganization,
) -> Result<HttpResponse, ApiError> {
    let created = state
        .db
        .run(move |conn| organizations::create(conn, &user, parent, kind, body))
        .await?;
    Ok(HttpResponse::Created().json(organizations::to_api(created)))
}

async fn list(
    state: Data,
    user: PortalUser,
    parent: (OrgKind, i64),
    kind: OrgKind,
    query: ListQuery,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let page = state
        .db
        .read(move |conn| {
            let root = scope::find_visible(conn, &user, parent.0, parent.1)?;
            let (rows, total) = organizations::list(
                conn,
                &root.path,
                kind,
                query.search.as_deref(),
                page,
                per_page,
            )?;
            Ok::<_, ApiError>(Page::exact(
                rows.into_iter().map(organizations::to_api).collect(),
                total,
                page,
                per_page,
            ))
        })
        .await?;
    Ok(web::Json(page))
}

async fn read(
    state: Data,
    user: PortalUser,
    kind: OrgKind,
    id: i64,
) -> Result<web::Json<Organization>, ApiError> {
    let org = state
        .db
        .read(move |conn| scope::find_visible(conn, &user, kind, id))
        .await?;
    Ok(web::Json(organizations::to_api(org)))
}

async fn update(
    state: Data,
    user: PortalUser,
    kind: OrgKind,
    id: i64,
    body: OrganizationUpdate,
) -> Result<web::Json<Organization>, ApiError> {
    let update = ProviderUpdate {
        name: body.name,
        timezone: body.timezone,
        language: body.language,
        accounts_reference: body.accounts_reference,
        ..ProviderUpdate::default()
    };
    let org = state
        .db
        .run(move |conn| organizations::update(conn, &user, kind, id, update))
        .await?;
    Ok(web::Json(organizations::to_api(org)))
}

async fn remove(
    state: Data,
    user: PortalUser,
    kind: OrgKind,
    id: i64,
) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(move |conn| organizations::delete(conn, &user, kind, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates a reseller under a system provider.
#[utoipa::path(
    tag = "resellers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    request_body = NewOrganization,
    responses(
        (status = CREATED, description = "Created", body = Organization),
    )
)]
#[post("/providers/{id}/resellers")]
pub async fn create_reseller(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewOrganization>,
) -> Result<HttpResponse, ApiError> {
    create(
        state,
        user,
        (OrgKind::SystemProvider, id.into_inner()),
        OrgKind::Reseller,
        body.into_inner(),
    )
    .await
}

/// The resellers of a system provider.
#[utoipa::path(
    tag = "resellers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id"), ListQuery),
    responses(
        (status = OK, description = "A page", body = Page<Organization>),
    )
)]
#[get("/providers/{id}/resellers")]
pub async fn list_resellers(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    list(
        state,
        user,
        (OrgKind::SystemProvider, id.into_inner()),
        OrgKind::Reseller,
        query.into_inner(),
    )
    .await
}

/// One reseller.
#[utoipa::path(
    tag = "resellers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id")),
    responses(
        (status = OK, description = "Found", body = Organization),
    )
)]
#[get("/resellers/{id}")]
pub async fn get_reseller(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Organization>, ApiError> {
    read(state, user, OrgKind::Reseller, id.into_inner()).await
}

/// Changes a reseller; recorded in the history log.
#[utoipa::path(
    tag = "resellers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id")),
    request_body = OrganizationUpdate,
    responses(
        (status = OK, description = "Updated", body = Organization),
    )
)]
#[patch("/resellers/{id}")]
pub async fn update_reseller(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<OrganizationUpdate>,
) -> Result<web::Json<Organization>, ApiError> {
    update(
        state,
        user,
        OrgKind::Reseller,
        id.into_inner(),
        body.into_inner(),
    )
    .await
}

/// Deletes a reseller; refused with `conflict` while customers or portal accounts hang from it.
#[utoipa::path(
    tag = "resellers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = CONFLICT, description = "Something still hangs from it", body = ApiErrorBody),
    )
)]
#[delete("/resellers/{id}")]
pub async fn delete_reseller(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    remove(state, user, OrgKind::Reseller, id.into_inner()).await
}

/// Creates a customer directly under a system provider.
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    request_body = NewOrganization,
    responses(
        (status = CREATED, description = "Created", body = Organization),
    )
)]
#[post("/providers/{id}/customers")]
pub async fn create_provider_customer(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewOrganization>,
) -> Result<HttpResponse, ApiError> {
    create(
        state,
        user,
        (OrgKind::SystemProvider, id.into_inner()),
        OrgKind::Customer,
        body.into_inner(),
    )
    .await
}

/// The customers of a system provider and of its resellers (this level and below).
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id"), ListQuery),
    responses(
        (status = OK, description = "A page", body = Page<Organization>),
    )
)]
#[get("/providers/{id}/customers")]
pub async fn list_provider_customers(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    list(
        state,
        user,
        (OrgKind::SystemProvider, id.into_inner()),
        OrgKind::Customer,
        query.into_inner(),
    )
    .await
}

/// Creates a customer under a reseller.
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id")),
    request_body = NewOrganization,
    responses(
        (status = CREATED, description = "Created", body = Organization),
    )
)]
#[post("/resellers/{id}/customers")]
pub async fn create_reseller_customer(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewOrganization>,
) -> Result<HttpResponse, ApiError> {
    create(
        state,
        user,
        (OrgKind::Reseller, id.into_inner()),
        OrgKind::Customer,
        body.into_inner(),
    )
    .await
}

/// The customers of a reseller.
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id"), ListQuery),
    responses(
        (status = OK, description = "A page", body = Page<Organization>),
    )
)]
#[get("/resellers/{id}/customers")]
pub async fn list_reseller_customers(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    list(
        state,
        user,
        (OrgKind::Reseller, id.into_inner()),
        OrgKind::Customer,
        query.into_inner(),
    )
    .await
}

/// One customer.
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = OK, description = "Found", body = Organization),
    )
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Organization>, ApiError> {
    read(state, user, OrgKind::Customer, id.into_inner()).await
}

/// Changes a customer; recorded in the history log.
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    request_body = OrganizationUpdate,
    responses(
        (status = OK, description = "Updated", body = Organization),
    )
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<OrganizationUpdate>,
) -> Result<web::Json<Organization>, ApiError> {
    update(
        state,
        user,
        OrgKind::Customer,
        id.into_inner(),
        body.into_inner(),
    )
    .await
}

/// Deletes a customer; refused with `conflict` while anything hangs from it.
#[utoipa::path(
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = CONFLICT, description = "Something still hangs from it", body = ApiErrorBody),
    )
)]
#[delete("/customers/{id}")]
pub async fn delete_customer(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    remove(state, user, OrgKind::Customer, id.into_inner()).await
}
