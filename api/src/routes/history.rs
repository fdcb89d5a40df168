//! The history log (R23) at provider, reseller and customer level: that level and below,
//! newest first, paginated and filterable by action.

use actix_web::{get, web};
use cpaas_shared::{HistoryAction, HistoryEntry, Page};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::PortalUser;
use crate::db::models::history::{self, Filter};
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::routes::paging::paging;
use crate::services::{audit, scope, users};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// 1-based page (default 1), at most 100.
    #[param(minimum = 1, maximum = 100)]
    pub page: Option<u32>,
    /// Entries per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
    /// Only entries of this action.
    pub action: Option<HistoryAction>,
}

/// Whose history: an organization (that level and below) or one end user.
#[derive(Clone, Copy)]
enum Target {
    Organization(OrgKind, i64),
    User(i64),
}

async fn history_of(
    state: web::Data<AppState>,
    user: PortalUser,
    target: Target,
    query: HistoryQuery,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, None)?;
    let action = query.action;
    let (items, total) = state
        .db
        .read(move |conn| {
            let listed = match target {
                Target::Organization(kind, id) => {
                    let org = scope::find_visible(conn, &user, kind, id)?;
                    history::list(conn, Filter::Below(&org.path), action, page, per_page)?
                }
                Target::User(id) => {
                    let (end_user, _) = users::find_visible(conn, &user, id)?;
                    history::list(
                        conn,
                        Filter::About("user", end_user.id),
                        action,
                        page,
                        per_page,
                    )?
                }
            };
            let (listed, total) = listed;
            Ok::<_, ApiError>((audit::as_seen_by(conn, &user, listed)?, total))
        })
        .await?;
    Ok(web::Json(Page::exact(items, total, page, per_page)))
}

/// The history log of a system provider and everything below it, newest first.
#[utoipa::path(
    tag = "history",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "System provider id"), HistoryQuery),
    responses(
        (status = OK, description = "A page of entries", body = Page<HistoryEntry>),
    )
)]
#[get("/providers/{id}/history")]
pub async fn get_provider_history(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    history_of(
        state,
        user,
        Target::Organization(OrgKind::SystemProvider, id.into_inner()),
        query.into_inner(),
    )
    .await
}

/// The history log of a reseller and everything below it, newest first.
#[utoipa::path(
    tag = "history",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reseller id"), HistoryQuery),
    responses(
        (status = OK, description = "A page of entries", body = Page<HistoryEntry>),
    )
)]
#[get("/resellers/{id}/history")]
pub async fn get_reseller_history(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    history_of(
        state,
        user,
        Target::Organization(OrgKind::Reseller, id.into_inner()),
        query.into_inner(),
    )
    .await
}

/// The history log of a customer and everything below it, newest first.
#[utoipa::path(
    tag = "history",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id"), HistoryQuery),
    responses(
        (status = OK, description = "A page of entries", body = Page<HistoryEntry>),
    )
)]
#[get("/customers/{id}/history")]
pub async fn get_customer_history(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    history_of(
        state,
        user,
        Target::Organization(OrgKind::Customer, id.into_inner()),
        query.into_inner(),
    )
    .await
}

/// The history log of an end user, newest first.
#[utoipa::path(
    tag = "history",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id"), HistoryQuery),
    responses(
        (status = OK, description = "A page of entries", body = Page<HistoryEntry>),
    )
)]
#[get("/users/{id}/history")]
pub async fn get_user_history(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    history_of(
        state,
        user,
        Target::User(id.into_inner()),
        query.into_inner(),
    )
    .await
}
