//! Portal sign-in.

use actix_web::{get, post, web};
use cpaas_shared::{ApiErrorBody, LoginRequest, LoginResponse, PortalAccount};

use crate::auth::PortalUser;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::accounts;
use crate::state::AppState;

/// Signs a portal account in: a bearer token for the portal API (audience `portal`).
/// Unknown emails and wrong passwords get the same 401; after five failures in a row the
/// account is locked for a growing time (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = OK, description = "Signed in", body = LoginResponse),
        (status = UNAUTHORIZED, description = "Wrong email or password", body = ApiErrorBody),
        (status = TOO_MANY_REQUESTS, description = "Locked after repeated failures", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "A field is missing", body = ApiErrorBody),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, ApiError> {
    Ok(web::Json(accounts::login(&state, body.into_inner()).await?))
}

/// The signed-in portal account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "The account", body = PortalAccount),
        (status = UNAUTHORIZED, description = "No valid token", body = ApiErrorBody),
    )
)]
#[get("/auth/me")]
pub async fn get_me(user: PortalUser) -> web::Json<PortalAccount> {
    web::Json(user.account.to_api(user.organization_kind))
}
