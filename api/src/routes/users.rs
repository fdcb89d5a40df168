//! End users (R22): create and list under a customer; read, update, delete by id.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use cpaas_shared::{EndUser, EndUserUpdate, NewEndUser, Page};

use crate::auth::PortalUser;
use crate::db::models::end_user;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::{ListQuery, paging};
use crate::services::{scope, users};
use crate::state::AppState;

type Data = web::Data<AppState>;

/// Creates an end user under a customer. `user_id` must match the BroadWorks user id.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NewEndUser,
    responses(
        (status = CREATED, description = "Created", body = EndUser),
    )
)]
#[post("/customers/{id}/users")]
pub async fn create_user(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewEndUser>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.into_inner());
    let created = state
        .db
        .run(move |conn| users::create(conn, &user, id, input))
        .await?;
    Ok(HttpResponse::Created().json(created.to_api()))
}

/// A customer's end users by name; `search` matches name or user id.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id"), ListQuery),
    responses(
        (status = OK, description = "A page of users", body = Page<EndUser>),
    )
)]
#[get("/customers/{id}/users")]
pub async fn list_users(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<EndUser>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let (id, pattern) = (id.into_inner(), query.pattern());
    let page = state
        .db
        .read(move |conn| {
            let customer = scope::find_visible(conn, &user, OrgKind::Customer, id)?;
            let (rows, total) =
                end_user::list(conn, customer.id, pattern.as_deref(), page, per_page)?;
            Ok::<_, ApiError>(Page::exact(
                rows.iter().map(end_user::EndUserRow::to_api).collect(),
                total,
                page,
                per_page,
            ))
        })
        .await?;
    Ok(web::Json(page))
}

/// One end user.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = OK, description = "The user", body = EndUser),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<EndUser>, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db
        .read(move |conn| users::find_visible(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Changes an end user; recorded in the history log.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = EndUserUpdate,
    responses(
        (status = OK, description = "The updated user", body = EndUser),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<EndUserUpdate>,
) -> Result<web::Json<EndUser>, ApiError> {
    let (id, update) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| users::update(conn, &user, id, update))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Deletes an end user.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| users::delete(conn, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
