//! The simulated Services API (`/Services/2.0.0/{operation}`): Basic auth with the account key
//! and secret, `privateKey` in every body, business answers in the body of an HTTP 200.

use std::time::Instant;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use serde_json::{Value, json};

use super::state::{Account, delay};
use super::{Sim, gate};
use crate::carrier::wire::{self, TnDetailRequest, TnMessagingRequest};

pub fn status(code: &str, status: &str) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "statusCode": code, "status": status }))
}

pub fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized().json(json!({
        "message": "Invalid authentication information provided",
        "status": "Invalid credentials",
        "statusCode": "401001",
        "timestamp": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string(),
    }))
}

fn basic(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (key, secret) = String::from_utf8(decoded)
        .ok()?
        .split_once(':')
        .map(|(k, s)| (k.to_owned(), s.to_owned()))?;
    Some((key, secret))
}

pub async fn handle(
    sim: Sim,
    req: HttpRequest,
    operation: web::Path<String>,
    body: web::Json<Value>,
) -> HttpResponse {
    if let Some(answer) = gate(&sim, false, &operation).await {
        return answer;
    }
    let Some((key, secret)) = basic(&req) else {
        return unauthorized();
    };
    let body = body.into_inner();
    match body.get("privateKey").and_then(Value::as_str) {
        None | Some("") => return status("408", "privateKey can not blank"),
        Some(private_key) if private_key != key => return unauthorized(),
        Some(_) => {}
    }
    let mut state = sim.state();
    let delay_ms = state.behaviour.provisioning_delay_ms;
    let Some(account) = state.services_account(&key, &secret) else {
        return unauthorized();
    };
    match operation.as_str() {
        "accountDefaultDetail" => HttpResponse::Ok().json(json!({
            "statusCode": "200", "status": "Success",
            "accountDefaultDetail": {
                "msgDeliveryReceipt": if account.delivery_receipts { "Y" } else { "N" },
                "authorizeWebhookPortout": "N",
            }
        })),
        "tnDetail" => tn_detail(account, body),
        "tnAssignedList" => HttpResponse::Ok().json(json!({
            "status": "Success", "statusCode": "200",
            "tnBasicList": { "tnBasicItem": account.numbers.iter()
                .map(|(tn, n)| json!({ "tn": tn, "tnStatus": n.status }))
                .collect::<Vec<_>>() }
        })),
        "tnFeatureMessageList" => {
            let items: Vec<Value> = account
                .numbers
                .iter()
                .filter_map(|(tn, n)| {
                    let (class, kind) = n.messaging.as_ref()?;
                    Some(json!({ "tn": tn, "messageClass": class, "messageType": kind }))
                })
                .collect();
            HttpResponse::Ok().json(json!({
                "status": "Success", "statusCode": "200", "page": "1", "totalPages": "1",
                "totalItems": items.len().to_string(),
                "tnFeatureList": { "tnFeatureItem": items }
            }))
        }
        "tnMessaging" => tn_messaging(account, body, delay_ms),
        _ => status("409", "Invalid Input Parameters"),
    }
}

fn tn_detail(account: &Account, body: Value) -> HttpResponse {
    let Ok(request) = serde_json::from_value::<TnDetailRequest>(body) else {
        return status("414", "Fields Are Required:tnSearchList");
    };
    let Some(mask) = request
        .tn_search_list
        .tn_search_item
        .first()
        .and_then(|item| item.tn_mask.clone())
    else {
        return status("414", "Fields Are Required:tnMask");
    };
    let Some(number) = account.numbers.get(&mask) else {
        return status("430", "No Result Found");
    };
    let messaging = match &number.messaging {
        Some((class, kind)) => {
            json!({ "messageClass": class, "messageType": kind, "netNumberId": "SIM" })
        }
        None => json!({}),
    };
    HttpResponse::Ok().json(json!({
        "statusCode": "200", "status": "Success",
        "page": "1", "totalPages": "1", "totalItems": "1", "searchId": "SIMULATED",
        "tnList": { "tnItem": [ {
            "tn": mask, "tnStatus": number.status, "countryCode": "1", "tnSource": "NATIVE",
            "endUser": {},
            "tnFeature": { "callerId": { "cnamDip": "N" }, "directoryListing": {}, "e911": {},
                "messaging": messaging }
        } ] }
    }))
}

fn tn_messaging(account: &mut Account, body: Value, delay_ms: u64) -> HttpResponse {
    let Ok(request) = serde_json::from_value::<TnMessagingRequest>(body) else {
        return status("409", "Invalid Input Parameters");
    };
    let Some(tn) = request.tn.as_deref().and_then(wire::ten_digits) else {
        return status("414", "Fields Are Required:tn");
    };
    let Some(number) = account.numbers.get_mut(&tn) else {
        return status("430", "No Result Found");
    };
    if request.remove_messaging.as_deref() == Some("Y") {
        number.messaging = None;
        number.active_at = None;
        return status("200", "Success");
    }
    let (Some(class), Some(kind)) = (request.message_class, request.message_type) else {
        return status("414", "Fields Are Required:messageClass,messageType");
    };
    let known_class = ["P2P", "A2PLC", "A2P8XX"].contains(&class.as_str());
    let known_type =
        ["SMS", "MMS", "SMSMMS", "SMS_ALT", "MMS_ALT", "SMSMMS_ALT"].contains(&kind.as_str());
    if !known_class || !known_type {
        return status("409", "Invalid Input Parameters");
    }
    number.messaging = Some((class, kind));
    number.active_at = Some(Instant::now() + delay(delay_ms));
    status("200", "Success")
}
