//! The Inteliquent client: Services API (Basic auth plus `privateKey` in the body, business
//! status inside the body) and Message Broker (`Authorization: Bearer <outbound key>`). One
//! shared reqwest client with connect and request timeouts.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use super::endpoints::Endpoints;
use super::wire::{self, BrokerReply, ServicesStatus};
use super::{
    Carrier, CarrierError, CarrierFuture, Credential, MessagingType, NumberDetail, Outbound,
    Published, ServicesAccount, Webhook, WebhookSpec,
};

/// Assumption C1 (docs/carrier.md): 10DLC business traffic uses message class `A2PLC`.
pub const MESSAGE_CLASS: &str = "A2PLC";

pub struct Inteliquent {
    http: reqwest::Client,
    endpoints: Endpoints,
}

fn transport(err: &reqwest::Error) -> CarrierError {
    if err.is_timeout() {
        CarrierError::Timeout
    } else {
        // Without the URL: the message names the failure, not where we were calling.
        CarrierError::Unreachable(
            std::error::Error::source(err)
                .map_or_else(|| "connection failed".to_owned(), ToString::to_string),
        )
    }
}

fn clipped(text: &str) -> String {
    text.chars().take(200).collect()
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, CarrierError> {
    serde_json::from_slice(body).map_err(|e| CarrierError::Unexpected(e.to_string()))
}

impl Inteliquent {
    pub fn new(endpoints: Endpoints, timeout: Duration) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .user_agent(concat!("cpaas-bridge/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, endpoints })
    }

    /// A Services call: answers the body's status and the body, after the checks every call
    /// shares (bad credentials, busy, failing). Business codes are left to the caller.
    async fn services<B: Serialize>(
        &self,
        account: &ServicesAccount,
        operation: &str,
        body: &B,
    ) -> Result<(String, Vec<u8>), CarrierError> {
        let response = self
            .http
            .post(format!("{}/{operation}", self.endpoints.services))
            .basic_auth(
                account.key.expose_secret(),
                Some(account.secret.expose_secret()),
            )
            .json(body)
            .send()
            .await
            .map_err(|e| transport(&e))?;
        let http = response.status();
        let bytes = response.bytes().await.map_err(|e| transport(&e))?.to_vec();
        if http == reqwest::StatusCode::UNAUTHORIZED || http == reqwest::StatusCode::FORBIDDEN {
            return Err(CarrierError::Rejected(Credential::Services));
        }
        if http == reqwest::StatusCode::TOO_MANY_REQUESTS || http.is_server_error() {
            return Err(CarrierError::Unavailable(format!("HTTP {}", http.as_u16())));
        }
        let status: ServicesStatus = match serde_json::from_slice(&bytes) {
            Ok(status) => status,
            Err(_) if !http.is_success() => {
                return Err(CarrierError::Refused {
                    code: http.as_u16().to_string(),
                    detail: clipped(&String::from_utf8_lossy(&bytes)),
                });
            }
            Err(e) => return Err(CarrierError::Unexpected(e.to_string())),
        };
        let code = status.status_code.clone().unwrap_or_default();
        let detail = || {
            clipped(
                &status
                    .status
                    .clone()
                    .or_else(|| status.message.clone())
                    .unwrap_or_default(),
            )
        };
        match code.as_str() {
            "401001" => Err(CarrierError::Rejected(Credential::Services)),
            "431" => Err(CarrierError::Unavailable(format!("431 {}", detail()))),
            "" if http.is_success() => Err(CarrierError::Unexpected(
                "no statusCode in the answer".to_owned(),
            )),
            _ if !http.is_success() => Err(CarrierError::Refused {
                code,
                detail: detail(),
            }),
            _ => Ok((code, bytes)),
        }
    }

    /// A Message Broker call; fails unless the HTTP status is 2xx and `success` is true.
    async fn broker<B: Serialize>(
        &self,
        key: &SecretString,
        operation: &str,
        body: &B,
    ) -> Result<BrokerReply, CarrierError> {
        let response = self
            .http
            .post(format!("{}/{operation}", self.endpoints.broker))
            .bearer_auth(key.expose_secret())
            .json(body)
            .send()
            .await
            .map_err(|e| transport(&e))?;
        let http = response.status();
        let bytes = response.bytes().await.map_err(|e| transport(&e))?;
        if http == reqwest::StatusCode::UNAUTHORIZED || http == reqwest::StatusCode::FORBIDDEN {
            return Err(CarrierError::Rejected(Credential::Outbound));
        }
        if http == reqwest::StatusCode::TOO_MANY_REQUESTS || http.is_server_error() {
            return Err(CarrierError::Unavailable(format!("HTTP {}", http.as_u16())));
        }
        let reply: Option<BrokerReply> = serde_json::from_slice(&bytes).ok();
        match reply {
            Some(reply) if http.is_success() && reply.success => Ok(reply),
            Some(reply) => {
                // Some failures use the Services shape instead: {"statusCode","status"}.
                let status: ServicesStatus = serde_json::from_slice(&bytes).unwrap_or_default();
                Err(CarrierError::Refused {
                    code: reply
                        .reason
                        .or(status.status_code)
                        .unwrap_or_else(|| http.as_u16().to_string()),
                    detail: clipped(&reply.detail.or(status.status).unwrap_or_default()),
                })
            }
            None if http.is_success() => Err(CarrierError::Unexpected(
                "the broker answer is not JSON".to_owned(),
            )),
            None => Err(CarrierError::Refused {
                code: http.as_u16().to_string(),
                detail: clipped(&String::from_utf8_lossy(&bytes)),
            }),
        }
    }
}

fn refused(code: String, what: &str) -> CarrierError {
    CarrierError::Refused {
        code,
        detail: format!("{what} failed"),
    }
}

impl Carrier for Inteliquent {
    fn verify_services<'a>(&'a self, account: &'a ServicesAccount) -> CarrierFuture<'a, ()> {
        Box::pin(async move {
            // Assumption C2 (docs/carrier.md): `accountDefaultDetail` is a cheap authenticated
            // read that answers statusCode "200" for any valid key.
            let body = wire::PrivateKeyOnly {
                private_key: account.key.expose_secret().to_owned(),
            };
            match self
                .services(account, "accountDefaultDetail", &body)
                .await?
            {
                (code, _) if code == "200" => Ok(()),
                (code, _) => Err(refused(code, "the credential check")),
            }
        })
    }

    fn verify_outbound<'a>(&'a self, outbound_key: &'a SecretString) -> CarrierFuture<'a, ()> {
        Box::pin(async move {
            self.broker(outbound_key, "selectAuthorization", &serde_json::json!({}))
                .await
                .map(drop)
        })
    }

    fn number_detail<'a>(
        &'a self,
        account: &'a ServicesAccount,
        number: &'a str,
    ) -> CarrierFuture<'a, Option<NumberDetail>> {
        Box::pin(async move {
            let body = wire::TnDetailRequest {
                private_key: account.key.expose_secret().to_owned(),
                tn_search_list: wire::TnSearchList {
                    tn_search_item: vec![wire::TnSearchItem {
                        tn_mask: Some(number.to_owned()),
                    }],
                },
                page_sort: wire::PageSort { page: 1, size: 1 },
            };
            let (code, bytes) = self.services(account, "tnDetail", &body).await?;
            match code.as_str() {
                "200" => {}
                // "No Result Found": the account does not hold this number.
                "430" => return Ok(None),
                _ => return Err(refused(code, "the number lookup")),
            }
            let parsed: wire::TnDetailResponse = parse(&bytes)?;
            let item = parsed
                .tn_list
                .map(|list| list.tn_item)
                .unwrap_or_default()
                .into_iter()
                .find(|item| {
                    item.tn.as_deref().and_then(wire::ten_digits).as_deref() == Some(number)
                });
            Ok(item.map(|item| {
                let messaging = item
                    .tn_feature
                    .and_then(|f| f.messaging)
                    .and_then(|m| Some((m.message_class.unwrap_or_default(), m.message_type?)));
                NumberDetail {
                    number: number.to_owned(),
                    status: item.tn_status.unwrap_or_default(),
                    messaging,
                }
            }))
        })
    }

    fn enable_messaging<'a>(
        &'a self,
        account: &'a ServicesAccount,
        number: &'a str,
        kind: MessagingType,
    ) -> CarrierFuture<'a, ()> {
        Box::pin(async move {
            let body = wire::TnMessagingRequest {
                private_key: account.key.expose_secret().to_owned(),
                tn: Some(number.to_owned()),
                message_class: Some(MESSAGE_CLASS.to_owned()),
                // ASSUMPTION (§3a): `SMSMMS` is needed for MMS.
                message_type: Some(
                    match kind {
                        MessagingType::Sms => "SMS",
                        MessagingType::MmsSms => "SMSMMS",
                    }
                    .to_owned(),
                ),
                remove_messaging: None,
            };
            match self.services(account, "tnMessaging", &body).await? {
                (code, _) if code == "200" => Ok(()),
                (code, bytes) => {
                    let status: ServicesStatus = parse(&bytes)?;
                    Err(CarrierError::Refused {
                        code,
                        detail: clipped(&status.status.unwrap_or_default()),
                    })
                }
            }
        })
    }

    fn list_webhooks<'a>(
        &'a self,
        outbound_key: &'a SecretString,
    ) -> CarrierFuture<'a, Vec<Webhook>> {
        Box::pin(async move {
            let reply = self
                .broker(outbound_key, "selectAuthorization", &serde_json::json!({}))
                .await?;
            Ok(reply
                .auth_config
                .unwrap_or_default()
                .authorizations
                .into_iter()
                // Entries with inboundAuth false are outbound API keys, not webhooks.
                .filter(|a| a.inbound_auth == Some(true))
                .filter_map(|a| {
                    Some(Webhook {
                        auth_id: a.auth_id?,
                        // ASSUMPTION (§2): compare numbers on their last ten digits.
                        number: a.tn.as_deref().and_then(wire::ten_digits),
                        url: a.webhook_url?,
                        header_name: a.header_name,
                        header_value: a.header_value.map(SecretString::from),
                    })
                })
                .collect())
        })
    }

    fn add_webhook<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        spec: &'a WebhookSpec,
    ) -> CarrierFuture<'a, String> {
        Box::pin(async move {
            let body = wire::Authorizations {
                authorizations: vec![wire::Authorization {
                    inbound_auth: Some(true),
                    webhook_url: Some(spec.url.clone()),
                    // ASSUMPTION (§2): configureAuthorization takes the 11-digit form.
                    tn: Some(wire::eleven_digits(&spec.number)),
                    header_name: Some(spec.header_name.clone()),
                    header_value: Some(spec.header_value.expose_secret().to_owned()),
                    ..wire::Authorization::default()
                }],
            };
            let reply = self
                .broker(outbound_key, "configureAuthorization", &body)
                .await?;
            reply
                .auth_config
                .unwrap_or_default()
                .authorizations
                .into_iter()
                .find_map(|a| a.auth_id)
                .ok_or_else(|| CarrierError::Unexpected("no authId in the answer".to_owned()))
        })
    }

    fn remove_webhook<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        auth_id: &'a str,
    ) -> CarrierFuture<'a, ()> {
        Box::pin(async move {
            // The carrier types authId as a string but sends integers: send it back as it came.
            let id = auth_id
                .parse::<u64>()
                .map_or_else(|_| serde_json::json!(auth_id), |n| serde_json::json!(n));
            let body = serde_json::json!({ "authorizations": [ { "authId": id } ] });
            self.broker(outbound_key, "removeAuthorization", &body)
                .await
                .map(drop)
        })
    }

    fn publish<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        message: &'a Outbound,
    ) -> CarrierFuture<'a, Published> {
        Box::pin(async move {
            let body = wire::PublishRequest {
                from: Some(wire::eleven_digits(&message.from)),
                to: vec![wire::eleven_digits(&message.to)],
                text: message.text.clone(),
                media_urls: message.media_urls.clone(),
            };
            let reply = self.broker(outbound_key, "publishMessages", &body).await?;
            let result = reply
                .result
                .ok_or_else(|| CarrierError::Unexpected("no result in the answer".to_owned()))?;
            Ok(Published {
                status: result
                    .result_responses
                    .into_iter()
                    .find_map(|r| r.status)
                    .unwrap_or_else(|| "SUCCESS".to_owned()),
                reference_id: result.reference_id,
            })
        })
    }
}
