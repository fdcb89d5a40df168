//! Contact-center queues (under a customer) and their media streams (R10).

use actix_web::{HttpResponse, delete, get, patch, post, web};
use cpaas_shared::{ApiErrorBody, MediaStream, MediaStreamInput, Page, Queue, QueueInput};

use crate::auth::PortalUser;
use crate::db::models::organization::OrgKind;
use crate::db::models::queue;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::{ListQuery, paging};
use crate::services::{queues, scope};
use crate::state::AppState;

type Data = web::Data<AppState>;

/// Creates a queue under a customer.
#[utoipa::path(tag = "queues", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")), request_body = QueueInput,
    responses(
        (status = CREATED, description = "Created", body = Queue),
    ))]
#[post("/customers/{id}/queues")]
pub async fn create_queue(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<QueueInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| queues::create_queue(conn, &user, id, input))
        .await?;
    Ok(HttpResponse::Created().json(row.to_api()))
}

/// A customer's queues by name.
#[utoipa::path(tag = "queues", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id"), ListQuery),
    responses(
        (status = OK, description = "A page of queues", body = Page<Queue>),
    ))]
#[get("/customers/{id}/queues")]
pub async fn list_queues(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Queue>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let (id, pattern) = (id.into_inner(), query.pattern());
    let page = state
        .db
        .read(move |conn| {
            let customer = scope::find_visible(conn, &user, OrgKind::Customer, id)?;
            let (rows, total) = queue::list(conn, customer.id, pattern.as_deref(), page, per_page)?;
            Ok::<_, ApiError>(Page::exact(
                rows.iter().map(queue::QueueRow::to_api).collect(),
                total,
                page,
                per_page,
            ))
        })
        .await?;
    Ok(web::Json(page))
}

/// One queue.
#[utoipa::path(tag = "queues", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Queue id")),
    responses(
        (status = OK, description = "The queue", body = Queue),
    ))]
#[get("/queues/{id}")]
pub async fn get_queue(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Queue>, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db
        .read(move |conn| queues::find_visible(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Renames a queue.
#[utoipa::path(tag = "queues", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Queue id")), request_body = QueueInput,
    responses(
        (status = OK, description = "The updated queue", body = Queue),
    ))]
#[patch("/queues/{id}")]
pub async fn update_queue(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<QueueInput>,
) -> Result<web::Json<Queue>, ApiError> {
    let (id, input) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| queues::rename_queue(conn, &user, id, input))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Deletes a queue; refused with `conflict` while it has media streams.
#[utoipa::path(tag = "queues", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Queue id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = CONFLICT, description = "It still has media streams", body = ApiErrorBody),
    ))]
#[delete("/queues/{id}")]
pub async fn delete_queue(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| queues::delete_queue(conn, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates a media stream in a queue (`name` and `media_type` required).
#[utoipa::path(tag = "media-streams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Queue id")), request_body = MediaStreamInput,
    responses(
        (status = CREATED, description = "Created", body = MediaStream),
    ))]
#[post("/queues/{id}/media-streams")]
pub async fn create_media_stream(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<MediaStreamInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| queues::create_stream(conn, &user, id, input))
        .await?;
    Ok(HttpResponse::Created().json(row.to_api()))
}

/// A queue's media streams by name.
#[utoipa::path(tag = "media-streams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Queue id"), ListQuery),
    responses(
        (status = OK, description = "A page of media streams", body = Page<MediaStream>),
    ))]
#[get("/queues/{id}/media-streams")]
pub async fn list_media_streams(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<MediaStream>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let (id, pattern) = (id.into_inner(), query.pattern());
    let page = state
        .db
        .read(move |conn| {
            let (queue_row, _) = queues::find_visible(conn, &user, id)?;
            let (rows, total) =
                queue::list_streams(conn, queue_row.id, pattern.as_deref(), page, per_page)?;
            Ok::<_, ApiError>(Page::exact(
                rows.iter().map(queue::MediaStreamRow::to_api).collect(),
                total,
                page,
                per_page,
            ))
        })
        .await?;
    Ok(web::Json(page))
}

/// One media stream.
#[utoipa::path(tag = "media-streams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The media stream", body = MediaStream),
    ))]
#[get("/media-streams/{id}")]
pub async fn get_media_stream(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<MediaStream>, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db
        .read(move |conn| queues::find_visible_stream(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Changes a media stream; recorded in the history log.
#[utoipa::path(tag = "media-streams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")), request_body = MediaStreamInput,
    responses(
        (status = OK, description = "The updated media stream", body = MediaStream),
    ))]
#[patch("/media-streams/{id}")]
pub async fn update_media_stream(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<MediaStreamInput>,
) -> Result<web::Json<MediaStream>, ApiError> {
    let (id, input) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| queues::update_stream(conn, &user, id, input))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Deletes a media stream.
#[utoipa::path(tag = "media-streams", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = CONFLICT, description = "The stream still has its SMS number", body = ApiErrorBody),
    ))]
#[delete("/media-streams/{id}")]
pub async fn delete_media_stream(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| queues::delete_stream(conn, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
