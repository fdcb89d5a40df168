//! The carrier's webhook: inbound messages and delivery receipts. Authenticate (the platform's
//! token in our header, compared in constant time), then parse, then store once, then answer:
//! the carrier retries until it gets a 2xx, so a repeated `referenceId` is answered alike and
//! stored once. A message that reaches no active assignment of the platform is kept in the
//! unassigned inbox, never dropped.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::Utc;
use cpaas_shared::ErrorCode;
use diesel::prelude::*;
use secrecy::{ExposeSecret, SecretString};

use crate::carrier::webhook::{self, Delivered, InboundMessage, WebhookBody};
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::db::DbConnection;
use crate::db::models::message::{self, MessageRow};
use crate::db::models::platform;
use crate::db::schema::cpaas_numbers;
use crate::error::ApiError;
use crate::limits::Limit;
use crate::services::provisioning;

/// What a webhook call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A message, stored for `stored` of our numbers (0 when it was a repeat).
    Message { stored: usize },
    /// A delivery receipt.
    Receipt,
}

/// Opened webhook tokens by platform, kept briefly so that checking a call costs no database
/// work. A platform changed on this node is forgotten at once ([`TokenCache::forget`]); one
/// changed on another node at the latest after [`CACHED_FOR`] (a token, once set, never
/// changes; a deleted platform's calls then fail to store).
#[derive(Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<i64, (Instant, SecretString)>>,
}

/// How long an opened token is used without reading the platform again.
pub const CACHED_FOR: Duration = Duration::from_secs(60);

impl TokenCache {
    fn get(&self, platform_id: i64) -> Option<SecretString> {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens
            .get(&platform_id)
            .filter(|(at, _)| at.elapsed() < CACHED_FOR)
            .map(|(_, token)| token.clone())
    }

    fn put(&self, platform_id: i64, token: SecretString) {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.insert(platform_id, (Instant::now(), token));
    }

    /// Forgets platform `platform_id`'s token (it changed or went).
    pub fn forget(&self, platform_id: i64) {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.remove(&platform_id);
    }
}

/// What the webhook uses of this node: its pool, the secret box, its limit on refused calls
/// and its cache of opened tokens.
pub struct Node<'a> {
    pub db: &'a Db,
    pub secrets: &'a Arc<SecretBox>,
    pub refusals: &'a Limit,
    pub tokens: &'a TokenCache,
}

/// Handles one POST to `/webhooks/inteliquent/{platform_id}` from `address`. A call without a
/// token of the right length is refused before any database work; the platform's token is
/// opened once and kept ([`TokenCache`]). Refused calls count against their address, which
/// past its limit is answered 429; calls with the right token are never limited.
pub async fn receive(
    node: Node<'_>,
    platform_id: i64,
    (token, address): (Option<String>, Option<IpAddr>),
    body: Vec<u8>,
) -> Result<Received, ApiError> {
    let refused = || {
        node.refusals.hit(address)?;
        Err(ApiError::new(
            ErrorCode::Unauthorized,
            format!(
                "The {} header is missing or wrong.",
                provisioning::WEBHOOK_HEADER
            ),
        ))
    };
    let Some(given) = token.filter(|t| t.len() == provisioning::WEBHOOK_TOKEN_LEN) else {
        return refused();
    };
    let expected = match node.tokens.get(platform_id) {
        Some(token) => Some(token),
        None => {
            let secrets = Arc::clone(node.secrets);
            // An unknown platform is refused as a wrong token is: the carrier-facing endpoint
            // tells a caller without the token nothing, not even which platforms exist.
            let opened = node
                .db
                .run(
                    move |conn| match platform::find(conn, platform_id).optional()? {
                        Some(row) => provisioning::stored_webhook_token(&row, &secrets),
                        None => Ok(None),
                    },
                )
                .await?;
            if let Some(token) = &opened {
                node.tokens.put(platform_id, token.clone());
            }
            opened
        }
    };
    let authentic = expected.is_some_and(|expected| {
        crate::crypto::equal_in_constant_time(expected.expose_secret().as_bytes(), given.as_bytes())
    });
    if !authentic {
        return refused();
    }
    node.db
        .run(move |conn| match parse(&body)? {
            Delivered::Receipt(receipt) => {
                // Nothing is sent through the carrier yet, so no receipt can match a send:
                // acknowledged (else the carrier retries) and noted.
                tracing::info!(platform_id, reference_id = %receipt.reference_id, "delivery receipt");
                Ok(Received::Receipt)
            }
            Delivered::Message(message) => store(conn, platform_id, message),
        })
        .await
}

fn parse(body: &[u8]) -> Result<Delivered, ApiError> {
    let post: WebhookBody = crate::extract::parse(body)?;
    webhook::read(post).map_err(|refused| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            format!(
                "The webhook body is not an Inteliquent message: {}",
                refused.problem
            ),
        )
        .with_field(refused.field, refused.problem)
    })
}

/// Stores the message once for each of our numbers among the recipients: its active assignment
/// on this platform, or the unassigned inbox when no recipient has one.
fn store(
    conn: &mut DbConnection,
    platform_id: i64,
    post: InboundMessage,
) -> Result<Received, ApiError> {
    let assigned: Vec<(i64, String)> = cpaas_numbers::table
        .filter(cpaas_numbers::number.eq_any(&post.to))
        .filter(cpaas_numbers::platform_id.eq(platform_id))
        .filter(cpaas_numbers::end_date.is_null())
        .select((cpaas_numbers::id, cpaas_numbers::number))
        .load(conn)?;
    let targets: Vec<(Option<i64>, String)> = if assigned.is_empty() {
        post.to.into_iter().take(1).map(|n| (None, n)).collect()
    } else {
        assigned.into_iter().map(|(id, n)| (Some(id), n)).collect()
    };
    let media_urls = serde_json::to_string(&post.media_urls).map_err(ApiError::internal)?;
    let now = Utc::now().naive_utc();
    let mut stored = 0;
    for (number_id, our_number) in targets {
        let row = MessageRow {
            id: 0,
            platform_id: Some(platform_id),
            cpaas_number_id: number_id,
            direction: "inbound".to_owned(),
            our_number,
            remote_number: post.from.clone(),
            body: post.text.clone(),
            media_urls: media_urls.clone(),
            reference_id: post.reference_id.clone(),
            status: "received".to_owned(),
            created_at: now,
        };
        if message::insert_once(conn, &row)? {
            stored += 1;
        }
    }
    tracing::info!(platform_id, stored, reference_id = %post.reference_id, "inbound message");
    Ok(Received::Message { stored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked_field_by_field() {
        let err = parse(br#"{"from":"13125550100","to":["12015550100"]}"#).expect_err("no id");
        assert_eq!(err.body().code, ErrorCode::ValidationFailed);
        let err = parse(br#"{"referenceId":"r","to":["12015550100"]}"#).expect_err("no from");
        assert!(err.body().fields.contains_key("from"), "{:?}", err.body());
        let err = parse(br#"{"referenceId":"r","from":"1","to":["5"]}"#).expect_err("no to");
        assert!(err.body().fields.contains_key("to"), "{:?}", err.body());
        let err = parse(b"{not json").expect_err("syntax");
        assert_eq!(err.body().code, ErrorCode::MalformedJson);
        let ok = parse(br#"{"referenceId":"r","from":13125550100,"to":[12015550100]}"#);
        assert!(ok.is_ok(), "{ok:?}");
    }
}
