//! `PortalUser`: the signed-in portal account, from `Authorization: Bearer <jwt>`. The account
//! is re-read on every request, so a deleted account's tokens, and tokens of an older token
//! version (a changed password, a sign-out), stop working at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use cpaas_shared::ErrorCode;
use diesel::OptionalExtension;

use super::Audience;
use crate::db::models::organization;
use crate::db::models::portal_account::{self, PortalAccountRow};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct PortalUser {
    pub account: PortalAccountRow,
    /// The materialized path it may act on: its organization's, or `/` (everything) for an
    /// operator.
    pub scope: String,
    /// The level of the account's organization.
    pub organization_kind: cpaas_shared::OrganizationKind,
}

impl PortalUser {
    /// Portal account `id` as a caller: its organization's subtree (everything for an
    /// operator). `None` when the account no longer exists.
    pub fn load(conn: &mut crate::db::DbConnection, id: i64) -> Result<Option<Self>, ApiError> {
        let Some(account) = portal_account::find(conn, id).optional()? else {
            return Ok(None);
        };
        let org = organization::find(conn, account.organization_id)?;
        Ok(Some(PortalUser {
            organization_kind: crate::services::organizations::kind_of(&org),
            scope: if account.operator {
                "/".to_owned()
            } else {
                org.path
            },
            account,
        }))
    }
}

pub fn unauthorized() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "Sign in first: send a valid, unexpired bearer token.",
    )
}

pub fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

impl FromRequest for PortalUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("AppState is not registered"))?;
            let token = token.ok_or_else(unauthorized)?;
            let (id, version) = state
                .tokens
                .verify(Audience::Portal, &token)
                .map_err(|_| unauthorized())?;
            let found = state
                .db
                .read(move |conn| PortalUser::load(conn, id))
                .await?;
            found
                .filter(|user| user.account.token_version == version)
                .ok_or_else(unauthorized)
        })
    }
}
