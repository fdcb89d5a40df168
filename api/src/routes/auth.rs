//! Portal sign-in, the web app's session refresh, and sign-out.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use cpaas_shared::{ApiErrorBody, LoginRequest, LoginResponse, PortalAccount};

use crate::auth::PortalUser;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::organizations::kind_of;
use crate::services::{accounts, sessions};
use crate::state::AppState;

/// Whether cookies must be `Secure`: the api is reached over https.
fn secure(state: &AppState) -> bool {
    state.public_url.starts_with("https://")
}

fn refresh_token(req: &HttpRequest) -> Option<String> {
    let cookies = req.headers().get(header::COOKIE)?.to_str().ok()?;
    sessions::from_header(cookies).map(str::to_owned)
}

/// `body` with the refresh cookie set to `token` (removed when `None`).
fn with_cookie(state: &AppState, token: Option<&str>, body: &LoginResponse) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::SET_COOKIE, sessions::cookie(token, secure(state))))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Signs a portal account in: a bearer token for the portal API (audience `portal`), and an
/// `HttpOnly` refresh cookie (`cpaas_refresh`, path `/api/v1/auth`) for `POST /auth/refresh`.
/// Unknown emails and wrong passwords get the same 401; after five failures from one address
/// that email is locked there for a growing time (429 with `Retry-After`), and an address may
/// try only so often per minute.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = OK, description = "Signed in", body = LoginResponse),
        (status = UNAUTHORIZED, description = "Wrong email or password", body = ApiErrorBody),
        (status = TOO_MANY_REQUESTS, description = "`too_many_attempts` (this email from this address, after repeated failures) or `too_many_requests` (this address); see `Retry-After`", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "A field is missing", body = ApiErrorBody),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let address = state.limits.sign_in_from(&req)?;
    let (response, cookie) =
        accounts::login((&state.db, &state.tokens), body.into_inner(), &address).await?;
    Ok(with_cookie(&state, Some(&cookie), &response))
}

/// A new bearer token for the session of the refresh cookie, which is replaced by a new one
/// (each cookie is good once). The web app calls it when it starts, so a reload or a new tab
/// stays signed in.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = OK, description = "Signed in again", body = LoginResponse),
        (status = UNAUTHORIZED, description = "No session: no cookie, or one spent, expired or ended", body = ApiErrorBody),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let Some(token) = refresh_token(&req) else {
        return Err(ApiError::new(
            cpaas_shared::ErrorCode::Unauthorized,
            "There is no session: sign in.",
        ));
    };
    let now = Utc::now().naive_utc();
    let (account, kind, next) = state
        .db
        .run(move |conn| {
            let (account, next) = sessions::refresh(conn, &token, now)?;
            let org = crate::db::models::organization::find(conn, account.organization_id)?;
            Ok::<_, ApiError>((account, kind_of(&org), next))
        })
        .await?;
    let response = accounts::issue(&state.tokens, &account, kind)?;
    Ok(with_cookie(&state, Some(&next), &response))
}

/// Signs out: every token and session of the account ends (here and in every other tab or
/// device), and the refresh cookie is removed. The account is the bearer token's or, when that
/// has expired, the refresh cookie's; without either there is nothing to end.
#[utoipa::path(
    tag = "auth",
    security((), ("bearer" = [])),
    responses(
        (status = NO_CONTENT, description = "Signed out (or nothing to end)"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    user: Option<PortalUser>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = refresh_token(&req);
    let now = Utc::now().naive_utc();
    match (user, token) {
        (Some(user), token) => {
            let id = user.account.id;
            state
                .db
                .run(move |conn| sessions::end(conn, id, token.as_deref()))
                .await?;
            tracing::info!(account = id, "portal sign-out");
        }
        (None, Some(token)) => {
            state
                .db
                .run(move |conn| sessions::end_by_cookie(conn, &token, now))
                .await?;
        }
        (None, None) => {}
    }
    Ok(HttpResponse::NoContent()
        .insert_header((header::SET_COOKIE, sessions::cookie(None, secure(&state))))
        .finish())
}

/// The signed-in portal account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "The account", body = PortalAccount),
    )
)]
#[get("/auth/me")]
pub async fn get_me(user: PortalUser) -> web::Json<PortalAccount> {
    web::Json(user.account.to_api(user.organization_kind))
}
