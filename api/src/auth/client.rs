//! `ClientUser`: the signed-in end user, from a bearer token of audience `client`. A portal
//! token is refused here, as a client token is by the portal routes.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use diesel::OptionalExtension;

use super::Audience;
use super::extractor::{bearer, unauthorized};
use crate::db::models::end_user::{self, EndUserRow};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct ClientUser(pub EndUserRow);

impl FromRequest for ClientUser {
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
                .verify(Audience::Client, &token)
                .map_err(|_| unauthorized())?;
            let found = state
                .db
                .read(move |conn| Ok::<_, ApiError>(end_user::find(conn, id).optional()?))
                .await?;
            found
                .filter(|user| user.token_version == version)
                .map(ClientUser)
                .ok_or_else(unauthorized)
        })
    }
}
