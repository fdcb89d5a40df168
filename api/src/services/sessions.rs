//! Sessions of the web app that survive a reload and can be ended.
//!
//! A sign-in answers a short-lived bearer token (kept in the app's memory only) and sets a
//! refresh cookie: random, `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's
//! page sends it), `Secure` when the public URL is https, and scoped to `/api/v1/auth`, so it
//! travels only to sign-in, refresh and sign-out. Only its BLAKE2 hash is stored; each use
//! replaces it with a new one. Signing out, or a changed password, raises the account's token
//! version (its bearer tokens stop working) and forgets its cookies.

use blake2::{Blake2s256, Digest};
use chrono::{NaiveDateTime, TimeDelta};
use cpaas_shared::ErrorCode;
use diesel::Connection;

use crate::db::DbConnection;
use crate::db::models::portal_account::{self, PortalAccountRow};
use crate::error::ApiError;

/// The refresh cookie's name.
pub const COOKIE: &str = "cpaas_refresh";
/// Where the browser sends it.
pub const COOKIE_PATH: &str = "/api/v1/auth";
/// How long a refresh cookie lasts unused.
pub const LIFETIME: TimeDelta = TimeDelta::days(14);

/// What is stored of a refresh token.
pub fn digest(token: &str) -> String {
    crate::crypto::to_hex(&Blake2s256::digest(token.as_bytes()))
}

/// Starts a session for `account` as it was when its password was checked: good only while
/// its token version stays the same. Answers the refresh token to set as the cookie.
pub fn start(
    conn: &mut DbConnection,
    account: &PortalAccountRow,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let token = crate::crypto::random_hex(32).map_err(ApiError::internal)?;
    let at = (account.id, account.token_version);
    portal_account::insert_session(conn, at, &digest(&token), (now, now + LIFETIME))?;
    Ok(token)
}

fn ended() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "The session has ended: sign in again.",
    )
}

/// Exchanges refresh `token` for its account and a new refresh token; the old one is spent. A
/// cookie of an older token version (a password changed, a sign-out since) is refused. One
/// transaction, so a sign-out cannot slip between taking the old cookie and storing the new.
pub fn refresh(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<(PortalAccountRow, String), ApiError> {
    conn.transaction(|conn| {
        let (account, version) =
            portal_account::take_session(conn, &digest(token), now)?.ok_or_else(ended)?;
        let row = portal_account::find(conn, account)?;
        if row.token_version != version {
            return Err(ended());
        }
        let next = start(conn, &row, now)?;
        Ok((row, next))
    })
}

/// Ends every session of `account`, and forgets the refresh `token` given with the request.
pub fn end(conn: &mut DbConnection, account: i64, token: Option<&str>) -> Result<(), ApiError> {
    if let Some(token) = token {
        portal_account::forget_session(conn, &digest(token))?;
    }
    portal_account::end_sessions(conn, account)?;
    Ok(())
}

/// Signs out by the refresh cookie alone (the bearer token may have expired): every session of
/// its account ends. A cookie that signs nobody in changes nothing.
pub fn end_by_cookie(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        if let Some((account, _)) = portal_account::take_session(conn, &digest(token), now)? {
            portal_account::end_sessions(conn, account)?;
        }
        Ok(())
    })
}

/// The `Set-Cookie` value for refresh `token` (`None`: one that removes the cookie).
pub fn cookie(token: Option<&str>, secure: bool) -> String {
    let (value, max_age) = match token {
        Some(token) => (token, LIFETIME.num_seconds()),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    )
}

/// The refresh token in a `Cookie` header, if there is one.
pub fn from_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_strict_and_scoped() {
        let set = cookie(Some("abc"), true);
        assert_eq!(
            set,
            "cpaas_refresh=abc; Path=/api/v1/auth; Max-Age=1209600; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(!cookie(None, false).contains("Secure"));
        assert!(cookie(None, false).contains("Max-Age=0"));
        assert_eq!(from_header("a=1; cpaas_refresh=xyz; b=2"), Some("xyz"));
        assert_eq!(from_header("cpaas_refresh="), None);
        assert_eq!(from_header("other=1"), None);
        assert_ne!(digest("a"), digest("b"));
        assert_eq!(digest("a").len(), 64);
    }
}
