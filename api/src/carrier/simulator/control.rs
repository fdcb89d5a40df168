//! The simulator's control API (`/control/…`, never subject to faults): seed accounts and
//! numbers, set faults and behaviour, inject an inbound message or a delivery receipt (POSTed
//! to the configured webhook with the configured header), and read what was published.

use std::time::{Duration, Instant};

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::state::{Behaviour, Faults, Number, PublishedMessage, WebhookConfig};
use super::{Sim, Simulator, uuid};
use crate::carrier::wire::{self, InboundPost};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NumberView {
    pub number: String,
    pub status: String,
    /// e.g. "A2PLC SMSMMS" once provisioned.
    pub messaging: Option<String>,
    /// Provisioned and past the provisioning delay.
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub account_key: String,
    pub numbers: Vec<NumberView>,
    pub webhooks: Vec<WebhookConfig>,
    pub published: Vec<PublishedMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    account_key: String,
    token_secret: String,
    outbound_api_key: String,
    #[serde(default)]
    numbers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewNumbers {
    numbers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InboundRequest {
    /// The remote party (any US form).
    pub from: String,
    /// Our number (any US form).
    pub to: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub media_urls: Vec<String>,
    /// Sends this `referenceId` instead of a new one: the carrier repeating a message.
    #[serde(default)]
    pub reference_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptRequest {
    reference_id: String,
    /// SMPP `stat:` value; DELIVRD unless said otherwise.
    #[serde(default)]
    stat: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InboundResult {
    pub delivered: bool,
    pub reference_id: String,
    pub attempts: u32,
    /// The webhook's last HTTP status, if it answered.
    pub status: Option<u16>,
    pub detail: String,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/control")
            .route("/accounts", web::get().to(list_accounts))
            .route("/accounts", web::post().to(add_account))
            .route("/accounts/{key}/numbers", web::post().to(add_numbers))
            .route("/faults", web::get().to(get_faults))
            .route("/faults", web::put().to(put_faults))
            .route("/behaviour", web::get().to(get_behaviour))
            .route("/behaviour", web::put().to(put_behaviour))
            .route("/inbound", web::post().to(inbound))
            .route("/receipts", web::post().to(receipt)),
    );
}

fn problem(status: actix_web::http::StatusCode, detail: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "error": detail }))
}

impl Simulator {
    /// Every account with its numbers, webhooks and published messages.
    pub fn accounts(&self) -> Vec<AccountView> {
        let now = Instant::now();
        self.state()
            .accounts
            .iter()
            .map(|(key, account)| AccountView {
                account_key: key.clone(),
                numbers: account
                    .numbers
                    .iter()
                    .map(|(number, n)| NumberView {
                        number: number.clone(),
                        status: n.status.clone(),
                        messaging: n.messaging.as_ref().map(|(c, t)| format!("{c} {t}")),
                        active: n.messaging_active(now),
                    })
                    .collect(),
                webhooks: account
                    .authorizations
                    .iter()
                    .filter_map(|a| a.webhook.clone())
                    .collect(),
                published: account.published.clone(),
            })
            .collect()
    }

    /// Puts numbers (any US form) on an account; answers the ten-digit forms added.
    pub fn add_numbers(
        &self,
        account_key: &str,
        numbers: &[String],
    ) -> Result<Vec<String>, String> {
        let tens = numbers
            .iter()
            .map(|n| typed(n).ok_or_else(|| format!("{n} is not a US number")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut state = self.state();
        let account = state
            .accounts
            .get_mut(account_key)
            .ok_or_else(|| "no such account".to_owned())?;
        for ten in &tens {
            account
                .numbers
                .entry(ten.clone())
                .or_insert_with(Number::in_service);
        }
        Ok(tens)
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state().faults = faults;
    }

    pub fn set_behaviour(&self, behaviour: Behaviour) {
        self.state().behaviour = behaviour;
    }

    /// Delivers an inbound message to `to`'s webhook as the carrier would, or says why not.
    pub async fn deliver_inbound(&self, request: InboundRequest) -> InboundResult {
        let reference_id = request.reference_id.clone().unwrap_or_else(uuid);
        let (Some(from), Some(to)) = (typed(&request.from), typed(&request.to)) else {
            return not_delivered(reference_id, "from and to must be US numbers");
        };
        let webhook = {
            let state = self.state();
            match state.route(&to) {
                None => Err(format!("{to} is not on any simulated account")),
                Some((account, _))
                    if !account
                        .numbers
                        .get(&to)
                        .is_some_and(|n| n.messaging_active(Instant::now())) =>
                {
                    Err(format!("messaging is not active on {to}"))
                }
                Some((_, None)) => Err(format!(
                    "no webhook for {to} and no default: the carrier drops the message"
                )),
                Some((_, Some(hook))) => Ok(hook.clone()),
            }
        };
        let hook = match webhook {
            Ok(hook) => hook,
            Err(detail) => return not_delivered(reference_id, &detail),
        };
        let post = InboundPost {
            reference_id: reference_id.clone(),
            from: Some(wire::eleven_digits(&from)),
            to: vec![wire::eleven_digits(&to)],
            text: request.text,
            media_urls: request.media_urls,
            delivery_receipt: None,
        };
        self.post(&hook, &post).await
    }

    /// Sends the delivery receipt of a published message to its sender number's webhook.
    /// Assumption C5 (docs/carrier.md): same referenceId as the send, our number as `from`,
    /// an SMPP-style `stat:` inside `text`.
    async fn deliver_receipt(
        &self,
        reference_id: &str,
        stat: &str,
    ) -> Result<InboundResult, String> {
        let (message, hook) = {
            let state = self.state();
            let message = state
                .accounts
                .values()
                .flat_map(|a| a.published.iter())
                .find(|m| m.reference_id == reference_id)
                .cloned()
                .ok_or_else(|| format!("no published message {reference_id}"))?;
            let hook = state
                .route(&message.from)
                .and_then(|(_, hook)| hook.cloned())
                .ok_or_else(|| format!("no webhook for {}", message.from))?;
            (message, hook)
        };
        let stamp = chrono::Utc::now().format("%y%m%d%H%M");
        let post = InboundPost {
            reference_id: reference_id.to_owned(),
            from: Some(wire::eleven_digits(&message.from)),
            to: message.to.iter().map(|t| wire::eleven_digits(t)).collect(),
            text: format!(
                "id:{reference_id} sub:001 dlvrd:001 submit date:{stamp} done date:{stamp} stat:{stat} err:000 text:"
            ),
            media_urls: Vec::new(),
            delivery_receipt: Some(true),
        };
        Ok(self.post(&hook, &post).await)
    }

    /// POSTs to a webhook with its header; retries non-2xx answers with backoff.
    async fn post(&self, hook: &WebhookConfig, body: &InboundPost) -> InboundResult {
        let retries = self.state().behaviour.webhook_retries;
        let mut last = (None, String::new());
        for attempt in 1..=retries + 1 {
            let mut request = self.http.post(&hook.url).json(body);
            if let (Some(name), Some(value)) = (&hook.header_name, &hook.header_value) {
                request = request.header(name.as_str(), value.as_str());
            }
            match request.send().await {
                Ok(response) if response.status().is_success() => {
                    return InboundResult {
                        delivered: true,
                        reference_id: body.reference_id.clone(),
                        attempts: attempt,
                        status: Some(response.status().as_u16()),
                        detail: "delivered".to_owned(),
                    };
                }
                Ok(response) => {
                    last = (
                        Some(response.status().as_u16()),
                        format!("webhook answered {}", response.status()),
                    )
                }
                Err(err) => last = (None, format!("webhook unreachable: {err}")),
            }
            if attempt <= retries {
                tokio::time::sleep(Duration::from_millis(100 << attempt.min(6))).await;
            }
        }
        InboundResult {
            delivered: false,
            reference_id: body.reference_id.clone(),
            attempts: retries + 1,
            status: last.0,
            detail: last.1,
        }
    }
}

/// A number as people type it (`+1 (312) 555-0100`), as ten digits.
/// A number as people type it (the forms the api accepts), as its ten digits.
fn typed(number: &str) -> Option<String> {
    cpaas_shared::PhoneNumber::parse(number)
        .ok()
        .map(|n| n.digits().to_owned())
}

fn not_delivered(reference_id: String, detail: &str) -> InboundResult {
    InboundResult {
        delivered: false,
        reference_id,
        attempts: 0,
        status: None,
        detail: detail.to_owned(),
    }
}

async fn list_accounts(sim: Sim) -> HttpResponse {
    HttpResponse::Ok().json(sim.accounts())
}

async fn add_account(sim: Sim, body: web::Json<NewAccount>) -> HttpResponse {
    let body = body.into_inner();
    let numbers = match body
        .numbers
        .iter()
        .map(|n| typed(n).ok_or(n))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(numbers) => numbers,
        Err(bad) => {
            return problem(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &format!("{bad} is not a US number"),
            );
        }
    };
    let refs: Vec<&str> = numbers.iter().map(String::as_str).collect();
    sim.state().add_account(
        &body.account_key,
        &body.token_secret,
        &body.outbound_api_key,
        &refs,
    );
    HttpResponse::Created().json(json!({ "account_key": body.account_key, "numbers": numbers }))
}

async fn add_numbers(
    sim: Sim,
    key: web::Path<String>,
    body: web::Json<NewNumbers>,
) -> HttpResponse {
    match sim.add_numbers(&key, &body.numbers) {
        Ok(numbers) => HttpResponse::Ok().json(json!({ "numbers": numbers })),
        Err(detail) if detail == "no such account" => {
            problem(actix_web::http::StatusCode::NOT_FOUND, &detail)
        }
        Err(detail) => problem(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &detail),
    }
}

async fn get_faults(sim: Sim) -> HttpResponse {
    HttpResponse::Ok().json(sim.state().faults.clone())
}

async fn put_faults(sim: Sim, body: web::Json<Faults>) -> HttpResponse {
    let faults = body.into_inner();
    if !(0.0..=1.0).contains(&faults.error_rate) {
        return problem(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "error_rate must be between 0 and 1",
        );
    }
    sim.set_faults(faults.clone());
    HttpResponse::Ok().json(faults)
}

async fn get_behaviour(sim: Sim) -> HttpResponse {
    HttpResponse::Ok().json(sim.state().behaviour.clone())
}

async fn put_behaviour(sim: Sim, body: web::Json<Behaviour>) -> HttpResponse {
    sim.set_behaviour(body.clone());
    HttpResponse::Ok().json(body.into_inner())
}

async fn inbound(sim: Sim, body: web::Json<InboundRequest>) -> HttpResponse {
    HttpResponse::Ok().json(sim.deliver_inbound(body.into_inner()).await)
}

async fn receipt(sim: Sim, body: web::Json<ReceiptRequest>) -> HttpResponse {
    let stat = body.stat.clone().unwrap_or_else(|| "DELIVRD".to_owned());
    match sim.deliver_receipt(&body.reference_id, &stat).await {
        Ok(result) => HttpResponse::Ok().json(result),
        Err(detail) => problem(actix_web::http::StatusCode::NOT_FOUND, &detail),
    }
}
