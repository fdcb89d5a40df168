//! Portal accounts (R21): create and list at provider, reseller and customer level (listing
//! that level and below); read, update and delete by id. Passwords are write-only.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use cpaas_shared::{ApiErrorBody, NewPortalAccount, Page, PortalAccount, PortalAccountUpdate};

use crate::auth::PortalUser;
use crate::db::models::organization::OrgKind;
use crate::db::models::portal_account;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::{ListQuery, paging};
use crate::services::organizations::{api_kind, kind_of};
use crate::services::{portal_accounts, scope, throttle};
use crate::state::AppState;

type Data = web::Data<AppState>;

async fn hashed(password: Option<String>) -> Result<portal_accounts::Password, ApiError> {
    crate::auth::password::limited(move || portal_accounts::hash_password(password.as_deref()))
        .await
}

async fn create(
    state: Data,
    user: PortalUser,
    at: (OrgKind, i64),
    mut body: NewPortalAccount,
) -> Result<HttpResponse, ApiError> {
    // Scope first: nothing is hashed for an organization the caller cannot see.
    let check = user.clone();
    state
        .db
        .run(move |conn| scope::find_visible(conn, &check, at.0, at.1).map(drop))
        .await?;
    let password = hashed(body.password.take()).await?;
    let (account, org) = state
        .db
        .run(move |conn| portal_accounts::create(conn, &user, at, body, password))
        .await?;
    Ok(HttpResponse::Created().json(account.to_api(kind_of(&org))))
}

async fn list(
    state: Data,
    user: PortalUser,
    at: (OrgKind, i64),
    query: ListQuery,
) -> Result<web::Json<Page<PortalAccount>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let pattern = query.pattern();
    let page = state
        .db
        .read(move |conn| {
            let org = scope::find_visible(conn, &user, at.0, at.1)?;
            let (rows, total) =
                portal_account::list_below(conn, &org.path, pattern.as_deref(), page, per_page)?;
            Ok::<_, ApiError>(Page::exact(
                rows.iter()
                    .map(|(row, kind)| row.to_api(api_kind(OrgKind::parse(kind))))
                    .collect(),
                total,
                page,
                per_page,
            ))
        })
        .await?;
    Ok(web::Json(page))
}

/// Creates a portal account at a provider.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id")),
    request_body = NewPortalAccount,
    responses(
        (status = CREATED, description = "Created", body = PortalAccount),
    )
)]
#[post("/providers/{id}/portal-accounts")]
pub async fn create_provider_portal_account(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewPortalAccount>,
) -> Result<HttpResponse, ApiError> {
    create(
        state,
        user,
        (OrgKind::SystemProvider, id.into_inner()),
        body.into_inner(),
    )
    .await
}

/// The portal accounts of a provider and everything below it, by email.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id"), ListQuery),
    responses(
        (status = OK, description = "A page of accounts", body = Page<PortalAccount>),
    )
)]
#[get("/providers/{id}/portal-accounts")]
pub async fn list_provider_portal_accounts(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<PortalAccount>>, ApiError> {
    list(
        state,
        user,
        (OrgKind::SystemProvider, id.into_inner()),
        query.into_inner(),
    )
    .await
}

/// Creates a portal account at a reseller.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id")),
    request_body = NewPortalAccount,
    responses(
        (status = CREATED, description = "Created", body = PortalAccount),
    )
)]
#[post("/resellers/{id}/portal-accounts")]
pub async fn create_reseller_portal_account(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewPortalAccount>,
) -> Result<HttpResponse, ApiError> {
    create(
        state,
        user,
        (OrgKind::Reseller, id.into_inner()),
        body.into_inner(),
    )
    .await
}

/// The portal accounts of a reseller and everything below it, by email.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id"), ListQuery),
    responses(
        (status = OK, description = "A page of accounts", body = Page<PortalAccount>),
    )
)]
#[get("/resellers/{id}/portal-accounts")]
pub async fn list_reseller_portal_accounts(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<PortalAccount>>, ApiError> {
    list(
        state,
        user,
        (OrgKind::Reseller, id.into_inner()),
        query.into_inner(),
    )
    .await
}

/// Creates a portal account at a customer.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NewPortalAccount,
    responses(
        (status = CREATED, description = "Created", body = PortalAccount),
    )
)]
#[post("/customers/{id}/portal-accounts")]
pub async fn create_customer_portal_account(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewPortalAccount>,
) -> Result<HttpResponse, ApiError> {
    create(
        state,
        user,
        (OrgKind::Customer, id.into_inner()),
        body.into_inner(),
    )
    .await
}

/// The portal accounts of a customer and everything below it, by email.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id"), ListQuery),
    responses(
        (status = OK, description = "A page of accounts", body = Page<PortalAccount>),
    )
)]
#[get("/customers/{id}/portal-accounts")]
pub async fn list_customer_portal_accounts(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<PortalAccount>>, ApiError> {
    list(
        state,
        user,
        (OrgKind::Customer, id.into_inner()),
        query.into_inner(),
    )
    .await
}

/// One portal account.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Portal account id")),
    responses(
        (status = OK, description = "The account", body = PortalAccount),
    )
)]
#[get("/portal-accounts/{id}")]
pub async fn get_portal_account(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<PortalAccount>, ApiError> {
    let id = id.into_inner();
    let (account, org) = state
        .db
        .read(move |conn| portal_accounts::find_visible(conn, &user, id))
        .await?;
    Ok(web::Json(account.to_api(kind_of(&org))))
}

/// Changes a portal account: email, password (write-only), notification settings.
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Portal account id")),
    request_body = PortalAccountUpdate,
    responses(
        (status = OK, description = "The updated account", body = PortalAccount),
        (status = FORBIDDEN, description = "An operator's account changed by a non-operator; another account's email or password changed from its own level or below; one's own without the right `current_password`", body = ApiErrorBody),
        (status = TOO_MANY_REQUESTS, description = "`too_many_attempts`: too many wrong `current_password`s (see `Retry-After`)", body = ApiErrorBody),
    )
)]
#[patch("/portal-accounts/{id}")]
pub async fn update_portal_account(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    req: actix_web::HttpRequest,
    body: Json<PortalAccountUpdate>,
) -> Result<web::Json<PortalAccount>, ApiError> {
    let (id, mut update) = (id.into_inner(), body.into_inner());
    // Who may change whom, before anything is hashed.
    let (check, asked) = (user.clone(), update.clone());
    let needs = state
        .db
        .run(move |conn| portal_accounts::authorize_update(conn, &check, id, &asked))
        .await?;
    let current = update.current_password.take();
    let verified = needs.clone();
    if let Some(hash) = needs {
        if current.is_none() {
            return Err(portal_accounts::current_password_missing());
        }
        // Guesses at the current password are throttled like sign-ins: a stolen token does
        // not buy unlimited tries.
        let address = state.limits.client(&req).map(|a| a.to_string());
        let account = user.account.id.to_string();
        let key = throttle::key(
            &["current_password", &account],
            &address.unwrap_or_default(),
        );
        let now = chrono::Utc::now().naive_utc();
        let reserved = key.clone();
        state
            .db
            .run(move |conn| throttle::reserve(conn, &reserved, now))
            .await?;
        crate::auth::password::limited(move || {
            portal_accounts::current_password_matches(current.as_deref(), &hash)
        })
        .await??;
        state
            .db
            .run(move |conn| throttle::succeeded(conn, &key, now))
            .await?;
    }
    let password = hashed(update.password.clone()).await?;
    let (account, org) = state
        .db
        .run(move |conn| portal_accounts::update(conn, &user, id, update, (password, verified)))
        .await?;
    Ok(web::Json(account.to_api(kind_of(&org))))
}

/// Deletes a portal account (not the one signed in).
#[utoipa::path(
    tag = "portal-accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Portal account id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = FORBIDDEN, description = "An operator's account deleted by a non-operator", body = ApiErrorBody),
        (status = CONFLICT, description = "It is the caller's own account", body = ApiErrorBody),
    )
)]
#[delete("/portal-accounts/{id}")]
pub async fn delete_portal_account(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| portal_accounts::delete(conn, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
