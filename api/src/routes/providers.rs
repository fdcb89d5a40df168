//! System providers. (Only the history log so far; the provider resource itself arrives with
//! the rest of the hierarchy.)

use actix_web::{get, web};
use cpaas_shared::page::check_page;
use cpaas_shared::{ApiErrorBody, ErrorCode, HistoryAction, HistoryEntry, Page};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::PortalUser;
use crate::db::models::history;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::services::scope;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// 1-based page (default 1).
    pub page: Option<u32>,
    /// Entries per page, 1 to 100 (default 25).
    pub per_page: Option<u32>,
    /// Only entries of this action.
    pub action: Option<HistoryAction>,
}

/// The history log (R23) of a system provider and everything below it, newest first.
#[utoipa::path(
    tag = "history",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id"), HistoryQuery),
    responses(
        (status = OK, description = "A page of entries", body = Page<HistoryEntry>),
        (status = UNAUTHORIZED, description = "No valid token", body = ApiErrorBody),
        (status = NOT_FOUND, description = "No such provider in the caller's scope", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Bad paging", body = ApiErrorBody),
    )
)]
#[get("/providers/{id}/history")]
pub async fn get_provider_history(
    state: web::Data<AppState>,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    let (page, per_page) = check_page(query.page, query.per_page).map_err(|(field, problem)| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            format!("The {field} parameter {problem}."),
        )
        .with_field(field, problem)
    })?;
    let (id, action) = (id.into_inner(), query.action);
    let (items, total) = state
        .db
        .run(move |conn| {
            let provider = scope::find_visible(conn, &user, OrgKind::SystemProvider, id)?;
            Ok::<_, ApiError>(history::list(conn, &provider.path, action, page, per_page)?)
        })
        .await?;
    Ok(web::Json(Page {
        items,
        total,
        page,
        per_page,
    }))
}
