//! The simulated Message Broker (`/msgbroker/rest/{operation}`): `Authorization: Bearer
//! <outbound key>`, answers `{success, reason, detail, …}`.
//!
//! Assumption C3 (docs/carrier.md): failures are HTTP 4xx with
//! `{"success":false,"reason":"<CODE>","detail":"<text>"}`; a second webhook for a number is
//! kept beside the first, and the newest one receives the messages.

use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::state::{Account, Authorization, PublishedMessage, WebhookConfig};
use super::{Sim, gate, uuid};
use crate::auth::extractor::bearer;
use crate::carrier::wire::{self, Authorizations, PublishRequest};

pub fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized().json(json!({
        "success": false, "reason": "UNAUTHORIZED",
        "detail": "The authorization bearer header must match one of your API keys for the message broker service"
    }))
}

fn bad(reason: &str, detail: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({ "success": false, "reason": reason, "detail": detail }))
}

fn ok(extra: Value) -> HttpResponse {
    let mut body = json!({ "success": true, "reason": "SUCCESS", "detail": "SUCCESS" });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    HttpResponse::Ok().json(body)
}

pub async fn handle(
    sim: Sim,
    req: HttpRequest,
    operation: web::Path<String>,
    body: web::Json<Value>,
) -> HttpResponse {
    if let Some(answer) = gate(&sim, true, &operation).await {
        return answer;
    }
    let Some(key) = bearer(&req) else {
        return unauthorized();
    };
    let mut state = sim.state();
    let Some(account) = state.broker_account(&key) else {
        return unauthorized();
    };
    let body = body.into_inner();
    match operation.as_str() {
        "selectAuthorization" => ok(json!({ "authConfig": { "authorizations":
            account.authorizations.iter().map(describe).collect::<Vec<_>>() } })),
        "configureAuthorization" => configure(account, body),
        "removeAuthorization" => remove(account, body),
        "publishMessages" => publish(account, body),
        _ => HttpResponse::NotFound().json(
            json!({ "success": false, "reason": "NOT_FOUND", "detail": "unknown operation" }),
        ),
    }
}

fn describe(auth: &Authorization) -> Value {
    match (&auth.outbound_key, &auth.webhook) {
        (_, Some(hook)) => {
            let mut entry =
                json!({ "authId": auth.auth_id, "inboundAuth": true, "webhookUrl": hook.url });
            if let Some(entry) = entry.as_object_mut() {
                if let Some(number) = &hook.number {
                    entry.insert("tn".into(), json!(number));
                }
                if let Some(name) = &hook.header_name {
                    entry.insert("headerName".into(), json!(name));
                }
                if let Some(value) = &hook.header_value {
                    entry.insert("headerValue".into(), json!(value));
                }
            }
            entry
        }
        (key, None) => json!({ "authId": auth.auth_id, "inboundAuth": false, "apiKey": key }),
    }
}

fn configure(account: &mut Account, body: Value) -> HttpResponse {
    let Ok(request) = serde_json::from_value::<Authorizations>(body) else {
        return bad("INVALID_REQUEST", "authorizations is required");
    };
    if request.authorizations.is_empty() {
        return bad("INVALID_REQUEST", "authorizations is required");
    }
    // Every entry is checked before any is stored: nothing half-done.
    let mut hooks = Vec::new();
    for auth in request.authorizations {
        if auth.inbound_auth != Some(true) {
            return bad("INVALID_REQUEST", "inboundAuth must be sent as true");
        }
        let Some(url) = auth.webhook_url.filter(|u| !u.trim().is_empty()) else {
            return bad("INVALID_REQUEST", "webhookUrl is required");
        };
        let number = match auth.tn.as_deref() {
            None => None,
            Some(raw) => match wire::ten_digits(raw) {
                Some(ten) if account.numbers.contains_key(&ten) => Some(ten),
                _ => return bad("INVALID_TN", "tn is not a number on this account"),
            },
        };
        hooks.push((
            auth.tn,
            WebhookConfig {
                number,
                url,
                api_key: auth.api_key,
                header_name: auth.header_name,
                header_value: auth.header_value,
            },
        ));
    }
    let mut added = Vec::new();
    for (tn, hook) in hooks {
        let auth_id = account.next_auth_id();
        added.push(
            json!({ "authId": auth_id, "inboundAuth": true, "webhookUrl": hook.url, "tn": tn }),
        );
        account.authorizations.push(Authorization {
            auth_id,
            outbound_key: None,
            webhook: Some(hook),
        });
    }
    ok(json!({ "authConfig": { "authorizations": added } }))
}

fn remove(account: &mut Account, body: Value) -> HttpResponse {
    let Ok(request) = serde_json::from_value::<Authorizations>(body) else {
        return bad("INVALID_REQUEST", "authorizations is required");
    };
    let ids: Vec<u64> = request
        .authorizations
        .iter()
        .filter_map(|a| a.auth_id.as_deref()?.parse().ok())
        .collect();
    if ids.is_empty() {
        return bad("INVALID_REQUEST", "authId is required");
    }
    if let Some(missing) = ids
        .iter()
        .find(|id| !account.authorizations.iter().any(|a| a.auth_id == **id))
    {
        return bad("NOT_FOUND", &format!("authId {missing} does not exist"));
    }
    // As on the real broker, this removes outbound keys too: removing our own revokes it.
    account.authorizations.retain(|a| !ids.contains(&a.auth_id));
    ok(json!({}))
}

fn publish(account: &mut Account, body: Value) -> HttpResponse {
    let Ok(request) = serde_json::from_value::<PublishRequest>(body) else {
        return bad("INVALID_REQUEST", "from and to are required");
    };
    let from = request.from.as_deref().and_then(wire::ten_digits);
    let active = from
        .as_ref()
        .and_then(|f| account.numbers.get(f))
        .is_some_and(|n| n.messaging_active(Instant::now()));
    let Some(from) = from.filter(|_| active) else {
        return bad(
            "INVALID_FROM",
            "from must be a number on this account with active messaging",
        );
    };
    let to: Vec<String> = request
        .to
        .iter()
        .filter_map(|t| wire::ten_digits(t))
        .collect();
    if to.is_empty() || to.len() != request.to.len() {
        return bad("INVALID_TO", "to must list one or more US numbers");
    }
    let reference_id = uuid();
    let kind = if request.media_urls.is_empty() {
        "SMS"
    } else {
        "MMS"
    };
    account.published.push(PublishedMessage {
        reference_id: reference_id.clone(),
        from: from.clone(),
        to: to.clone(),
        text: request.text.clone(),
        media_urls: request.media_urls.clone(),
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    });
    ok(json!({ "result": {
        "referenceId": reference_id,
        "from": wire::eleven_digits(&from),
        "text": request.text,
        "mediaUrls": request.media_urls,
        "messageType": kind,
        "resultResponses": to.iter().map(|t| json!({ "to": wire::eleven_digits(t), "status": "SUCCESS" })).collect::<Vec<_>>(),
    } }))
}
