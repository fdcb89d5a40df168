//! CPaaS numbers (R6–R14): assignment, the lists at every level, changes, deletion, opt-in
//! reset.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use cpaas_shared::{
    ApiErrorBody, CpaasNumber, CpaasNumberUpdate, DeletedMessages, MediaStreamSms, NewCpaasNumber,
    NewNumberImport, NumberImport, Page, PlatformChoice,
};

use cpaas_shared::ErrorCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::PortalUser;
use crate::db::models::number::Sort;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::paging;
use crate::services::imports;
use crate::services::numbers::{self, Level, Target};
use crate::state::AppState;

type Data = web::Data<AppState>;

/// Assigns a number to an end user (R6–R8). The carrier is asked first whether the number is
/// on the platform's account; then it is stored `pending` and configured asynchronously (R9).
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "End user id")),
    request_body = NewCpaasNumber,
    responses(
        (status = CREATED, description = "Assigned; provisioning is `pending`", body = CpaasNumber),
        (status = CONFLICT, description = "`number_already_assigned`, or `no_platform`", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `platform_required`, `mms_not_available`, `number_not_on_account`", body = ApiErrorBody),
        (status = BAD_GATEWAY, description = "`carrier_unreachable`", body = ApiErrorBody),
    )
)]
#[post("/users/{id}/cpaas-numbers")]
pub async fn assign_to_user(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<NewCpaasNumber>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let row = numbers::assign(&state.deps(), &user, Target::User(id), body).await?;
    Ok(HttpResponse::Created().json(row.to_api()))
}

/// The query of the number lists: paging, search and order.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NumbersQuery {
    /// 1-based page (default 1), at most 100: a search narrows a longer list.
    #[param(minimum = 1, maximum = 100)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
    /// Part of the number (digits, as typed), the friendly name or the user/stream name, any
    /// case; wildcards are added. At most 200 characters.
    #[param(max_length = 200)]
    pub search: Option<String>,
    /// `number`, `friendly_name`, `assigned_to`, `start_date` or `end_date`, `-` first for
    /// descending. Default: active assignments first, then by number.
    #[param(value_type = Option<SortName>, inline)]
    pub sort: Option<String>,
}

/// The values `sort` takes, as the document lists them; `Sort::parse` reads them.
#[derive(ToSchema)]
#[allow(dead_code)]
enum SortName {
    #[schema(rename = "number")]
    Number,
    #[schema(rename = "-number")]
    NumberDescending,
    #[schema(rename = "friendly_name")]
    FriendlyName,
    #[schema(rename = "-friendly_name")]
    FriendlyNameDescending,
    #[schema(rename = "assigned_to")]
    AssignedTo,
    #[schema(rename = "-assigned_to")]
    AssignedToDescending,
    #[schema(rename = "start_date")]
    StartDate,
    #[schema(rename = "-start_date")]
    StartDateDescending,
    #[schema(rename = "end_date")]
    EndDate,
    #[schema(rename = "-end_date")]
    EndDateDescending,
}

async fn list(
    state: Data,
    user: PortalUser,
    level: Level,
    query: NumbersQuery,
) -> Result<web::Json<Page<CpaasNumber>>, ApiError> {
    let (page, per_page) = paging(query.page, query.per_page, query.search.as_deref())?;
    let sort = match query.sort.as_deref() {
        None => Sort::ActiveFirst,
        Some(value) => Sort::parse(value).ok_or_else(|| {
            ApiError::new(ErrorCode::ValidationFailed, format!("The sort parameter {value} is not a column of the list."))
                .with_field("sort", "must be number, friendly_name, assigned_to, start_date or end_date, with - for descending")
        })?,
    };
    let search = query.search;
    let listed = state
        .db
        .read(move |conn| {
            numbers::list(conn, &user, level, search.as_deref(), sort, page, per_page)
        })
        .await?;
    Ok(web::Json(Page {
        items: listed.rows.iter().map(|row| row.to_api()).collect(),
        total: listed.total,
        page,
        per_page,
        total_capped: listed.capped,
    }))
}

macro_rules! list_route {
    ($name:ident, $path:literal, $what:literal, $level:expr) => {
        #[doc = concat!("The CPaaS numbers of a ", $what, " and below (R11): active first; `search` matches the number, the friendly name or the user/stream name, with wildcards added.")]
        #[utoipa::path(
            tag = "cpaas-numbers",
            security(("bearer" = [])),
            params(("id" = i64, Path, description = concat!($what, " id")), NumbersQuery),
            responses(
                (status = OK, description = "A page of numbers", body = Page<CpaasNumber>),
            )
        )]
        #[get($path)]
        pub async fn $name(
            state: Data,
            user: PortalUser,
            id: web::Path<i64>,
            query: web::Query<NumbersQuery>,
        ) -> Result<web::Json<Page<CpaasNumber>>, ApiError> {
            let level: fn(i64) -> Level = $level;
            list(state, user, level(id.into_inner()), query.into_inner()).await
        }
    };
}

list_route!(
    list_provider_numbers,
    "/providers/{id}/cpaas-numbers",
    "system provider",
    |id| Level::Organization(OrgKind::SystemProvider, id)
);
list_route!(
    list_reseller_numbers,
    "/resellers/{id}/cpaas-numbers",
    "reseller",
    |id| Level::Organization(OrgKind::Reseller, id)
);
list_route!(
    list_customer_numbers,
    "/customers/{id}/cpaas-numbers",
    "customer",
    |id| Level::Organization(OrgKind::Customer, id)
);
list_route!(
    list_user_numbers,
    "/users/{id}/cpaas-numbers",
    "user",
    Level::User
);
list_route!(
    list_queue_numbers,
    "/queues/{id}/cpaas-numbers",
    "queue",
    Level::Queue
);

/// One CPaaS number with its provisioning and opt-in state. An ended assignment (deleted) stays
/// readable here as history, with its `end_date`; changing or deleting it again is 409.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "The number", body = CpaasNumber),
    )
)]
#[get("/cpaas-numbers/{id}")]
pub async fn get_number(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .read(move |conn| numbers::find_visible(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Changes friendly name, messaging type (MMS only where the platform has it) or blocking.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    request_body = CpaasNumberUpdate,
    responses(
        (status = OK, description = "The updated number", body = CpaasNumber),
        (status = CONFLICT, description = "The assignment has ended", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields or `mms_not_available`", body = ApiErrorBody),
    )
)]
#[patch("/cpaas-numbers/{id}")]
pub async fn update_number(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<CpaasNumberUpdate>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let row = state
        .db
        .run(move |conn| numbers::update(conn, &user, id, body))
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(row.to_api()))
}

/// Deletes the number (R14): the assignment ends (it stays in the lists as history) and the
/// carrier webhook is removed asynchronously.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "The ended assignment", body = CpaasNumber),
        (status = CONFLICT, description = "Already ended", body = ApiErrorBody),
    )
)]
#[delete("/cpaas-numbers/{id}")]
pub async fn delete_number(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| numbers::delete(conn, &user, id))
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(row.to_api()))
}

/// Delete Messages (R14): deletes the number's stored messages and keeps the number.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "How many messages were deleted", body = DeletedMessages),
    )
)]
#[delete("/cpaas-numbers/{id}/messages")]
pub async fn delete_messages(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<DeletedMessages>, ApiError> {
    let id = id.into_inner();
    let deleted = state
        .db
        .run(move |conn| numbers::delete_messages(conn, &user, id))
        .await?;
    Ok(web::Json(DeletedMessages { deleted }))
}

/// Puts the opt-in state back to pending (R13): the client asks the user again.
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    responses(
        (status = OK, description = "The number, opt-in pending", body = CpaasNumber),
        (status = CONFLICT, description = "Ended, or a media stream's number", body = ApiErrorBody),
    )
)]
#[post("/cpaas-numbers/{id}/opt-in/reset")]
pub async fn reset_opt_in(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| numbers::reset_opt_in(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// The CPaaS platforms a number of this user can be assigned on (the assignment form: the
/// platform selector appears only when there are several; MMS only where available).
#[utoipa::path(
    tag = "cpaas-numbers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "End user id")),
    responses(
        (status = OK, description = "The provider's platforms", body = Page<PlatformChoice>),
    )
)]
#[get("/users/{id}/cpaas-platforms")]
pub async fn user_platforms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Page<PlatformChoice>>, ApiError> {
    choices(state, user, Target::User(id.into_inner())).await
}

/// A media stream's SMS configuration (R10): its number with the settings.
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The configuration", body = CpaasNumber),
        (status = NOT_FOUND, description = "Not in the caller's scope, or no configuration", body = ApiErrorBody),
    )
)]
#[get("/media-streams/{id}/sms")]
pub async fn get_stream_sms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .read(move |conn| numbers::stream_sms(conn, &user, id))
        .await?;
    Ok(web::Json(row.to_api()))
}

/// Sets a media stream's SMS configuration (R10): number, platform, MMS available, remote
/// numbers can be blocked, initial reply. Without a number yet it is assigned with the same
/// rules and asynchronous provisioning as for users (201); otherwise the settings change (200).
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    request_body = MediaStreamSms,
    responses(
        (status = OK, description = "The configuration changed", body = CpaasNumber),
        (status = CREATED, description = "The number assigned; provisioning is `pending`", body = CpaasNumber),
        (status = CONFLICT, description = "Not an SMS stream, another number configured, `number_already_assigned`, `no_platform`", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, `platform_required`, `mms_not_available`, `number_not_on_account`", body = ApiErrorBody),
        (status = BAD_GATEWAY, description = "`carrier_unreachable`", body = ApiErrorBody),
    )
)]
#[put("/media-streams/{id}/sms")]
pub async fn put_stream_sms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<MediaStreamSms>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let (first_user, input) = (user.clone(), body.clone());
    let changed = state
        .db
        .run(move |conn| numbers::update_stream_sms(conn, &first_user, id, &input))
        .await?;
    if let Some(row) = changed {
        state.jobs.notify_one();
        return Ok(HttpResponse::Ok().json(row.to_api()));
    }
    let row = numbers::assign_stream_sms(&state.deps(), &user, id, &body).await?;
    Ok(HttpResponse::Created().json(row.to_api()))
}

/// Removes a media stream's SMS configuration: its number is deleted (R14) and the carrier
/// webhook removed asynchronously.
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The ended assignment", body = CpaasNumber),
        (status = NOT_FOUND, description = "Not in the caller's scope, or no configuration", body = ApiErrorBody),
    )
)]
#[delete("/media-streams/{id}/sms")]
pub async fn delete_stream_sms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<CpaasNumber>, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |conn| {
            let current = numbers::stream_sms(conn, &user, id)?;
            numbers::delete(conn, &user, current.id)
        })
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(row.to_api()))
}

/// The CPaaS platforms an SMS media stream's number can be assigned on.
#[utoipa::path(
    tag = "media-streams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Media stream id")),
    responses(
        (status = OK, description = "The provider's platforms", body = Page<PlatformChoice>),
    )
)]
#[get("/media-streams/{id}/cpaas-platforms")]
pub async fn stream_platforms(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
) -> Result<web::Json<Page<PlatformChoice>>, ApiError> {
    choices(state, user, Target::Stream(id.into_inner())).await
}

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

async fn choices(
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
