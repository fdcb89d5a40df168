//! The client API (audience `client`): sign-in, the user's numbers, the opt-in decision (R12);
//! and the admin route that sets a user's client password.

use actix_web::{get, post, put, web};
use cpaas_shared::{
    ApiErrorBody, ClientLoginRequest, ClientLoginResponse, ClientNumber, ClientPassword, EndUser,
    ErrorCode, OptInAnswer, Page, validate,
};

use crate::auth::{ClientUser, PortalUser};
use crate::db::models::number::NumberRow;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::{client, users};
use crate::state::AppState;

type Data = web::Data<AppState>;

fn to_client(row: &NumberRow) -> ClientNumber {
    let api = row.to_api();
    ClientNumber {
        id: api.id,
        display: api.display,
        number: api.number,
        friendly_name: api.friendly_name,
        messaging_type: api.messaging_type,
        user_can_block_numbers: api.user_can_block_numbers,
        opt_in: api.opt_in,
    }
}

/// Client sign-in with the BroadWorks user id and the password an admin set on the user page
/// (`provider_id` picks the provider when the id exists at several). Wrong credentials answer
/// 401 alike, for unknown ids too; five failures from one address lock that user id there for
/// 1, 2, 4 … minutes, and an address may try only so often per minute.
#[utoipa::path(
    tag = "client",
    request_body = ClientLoginRequest,
    responses(
        (status = OK, description = "Signed in", body = ClientLoginResponse),
        (status = UNAUTHORIZED, description = "Wrong user id or password", body = ApiErrorBody),
        (status = TOO_MANY_REQUESTS, description = "`too_many_attempts` or `too_many_requests` (see `Retry-After`)", body = ApiErrorBody),
    )
)]
#[post("/client/login")]
pub async fn client_login(
    state: Data,
    req: actix_web::HttpRequest,
    body: Json<ClientLoginRequest>,
) -> Result<web::Json<ClientLoginResponse>, ApiError> {
    let address = state.limits.sign_in_from(&req)?;
    Ok(web::Json(
        client::login((&state.db, &state.tokens), body.into_inner(), &address).await?,
    ))
}

/// The signed-in user's numbers; those with opt-in `pending` await the user's decision.
#[utoipa::path(
    tag = "client",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "The user's active numbers", body = Page<ClientNumber>),
        (status = UNAUTHORIZED, description = "No valid client token", body = ApiErrorBody),
    )
)]
#[get("/client/numbers")]
pub async fn client_numbers(
    state: Data,
    user: ClientUser,
) -> Result<web::Json<Page<ClientNumber>>, ApiError> {
    let rows = state
        .db
        .read(move |conn| client::numbers(conn, &user.0))
        .await?;
    let items: Vec<ClientNumber> = rows.iter().map(to_client).collect();
    Ok(web::Json(Page::whole(items)))
}

/// Accepts or declines SMS on a number awaiting the user's decision (R12). A decline mails
/// every Send-Alerts portal account of the provider.
#[utoipa::path(
    tag = "client",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "CPaaS number id")),
    request_body = OptInAnswer,
    responses(
        (status = OK, description = "The decision, with its time", body = ClientNumber),
        (status = UNAUTHORIZED, description = "No valid client token", body = ApiErrorBody),
        (status = NOT_FOUND, description = "Not one of the user's numbers", body = ApiErrorBody),
        (status = CONFLICT, description = "No decision is awaited", body = ApiErrorBody),
    )
)]
#[post("/client/numbers/{id}/opt-in")]
pub async fn client_opt_in(
    state: Data,
    user: ClientUser,
    id: web::Path<i64>,
    body: Json<OptInAnswer>,
) -> Result<web::Json<ClientNumber>, ApiError> {
    let (id, decision) = (id.into_inner(), body.into_inner().decision);
    let row = state
        .db
        .run(move |conn| client::decide(conn, &user.0, id, decision))
        .await?;
    state.jobs.notify_one();
    Ok(web::Json(to_client(&row)))
}

/// Sets the password the user's client signs in with (write-only; history notes only that it
/// was set).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "End user id")),
    request_body = ClientPassword,
    responses(
        (status = OK, description = "Set", body = EndUser),
        (status = UNPROCESSABLE_ENTITY, description = "Too short or too long", body = ApiErrorBody),
    )
)]
#[put("/users/{id}/client-password")]
pub async fn set_client_password(
    state: Data,
    user: PortalUser,
    id: web::Path<i64>,
    body: Json<ClientPassword>,
) -> Result<web::Json<EndUser>, ApiError> {
    let id = id.into_inner();
    // Scope first: a caller outside the subtree learns nothing from validation.
    let check = user.clone();
    state
        .db
        .run(move |conn| users::find_visible(conn, &check, id).map(drop))
        .await?;
    let password = body.into_inner().password.unwrap_or_default();
    validate::new_password(&password).map_err(|problem| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            "The password is not acceptable.",
        )
        .with_field("password", problem)
    })?;
    let hash = crate::auth::password::limited(move || crate::auth::password::hash(&password))
        .await?
        .map_err(ApiError::internal)?;
    let row = state
        .db
        .run(move |conn| users::set_client_password(conn, &user, id, &hash))
        .await?;
    Ok(web::Json(row.to_api()))
}
