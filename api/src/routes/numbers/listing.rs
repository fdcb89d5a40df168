//! Assigning a number to a user, and the number lists at every level (R11).

use actix_web::{HttpResponse, get, post, web};
use cpaas_shared::{ApiErrorBody, CpaasNumber, NewCpaasNumber, Page};

use cpaas_shared::ErrorCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::PortalUser;
use crate::db::models::number::Sort;
use crate::db::models::organization::OrgKind;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::paging::paging;
use crate::services::numbers::{self, Level, Target};
use crate::state::AppState;

pub(super) type Data = web::Data<AppState>;

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
