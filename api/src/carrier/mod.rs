//! The carrier boundary. The flows (platforms, provisioning, sending) see only [`Carrier`] and
//! these types; the Inteliquent wire format lives in [`inteliquent`] and its [`simulator`].
//! Numbers cross this boundary as ten NANP digits; the wire code adds or strips the leading 1.

mod endpoints;
pub mod inteliquent;
pub mod metered;
pub mod simulator;
pub mod webhook;
mod wire;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use secrecy::SecretString;

pub use inteliquent::{Endpoints, Inteliquent};

/// What every carrier call returns.
pub type CarrierFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, CarrierError>> + Send + 'a>>;

/// The Services API credentials of one platform: Account/Key and Token/Secret.
#[derive(Clone)]
pub struct ServicesAccount {
    pub key: SecretString,
    pub secret: SecretString,
}

impl fmt::Debug for ServicesAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServicesAccount(<redacted>)")
    }
}

/// Messaging type as the carrier provisions it on a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessagingType {
    Sms,
    MmsSms,
}

/// A number on the account, as the Services API describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberDetail {
    /// Ten digits.
    pub number: String,
    /// e.g. "In Service".
    pub status: String,
    /// The messaging feature, when provisioned: `(messageClass, messageType)`.
    pub messaging: Option<(String, String)>,
}

/// An inbound-message webhook registered with the Message Broker.
#[derive(Clone)]
pub struct Webhook {
    pub auth_id: String,
    /// Ten digits; `None` for the account-wide default webhook.
    pub number: Option<String>,
    pub url: String,
    pub header_name: Option<String>,
    pub header_value: Option<SecretString>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("auth_id", &self.auth_id)
            .field("number", &self.number)
            .field("url", &self.url)
            .field("header_name", &self.header_name)
            .finish_non_exhaustive()
    }
}

/// A webhook to register for one number.
#[derive(Clone)]
pub struct WebhookSpec {
    /// Ten digits.
    pub number: String,
    pub url: String,
    pub header_name: String,
    pub header_value: SecretString,
}

/// An outbound message (R16/R17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    /// Ten digits each.
    pub from: String,
    pub to: String,
    pub text: String,
    pub media_urls: Vec<String>,
}

/// What the broker answered to a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Matches the delivery receipt later.
    pub reference_id: String,
    /// Per-recipient status, e.g. "SUCCESS".
    pub status: String,
}

/// Which credential the carrier refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// Services API key and secret (they are checked together).
    Services,
    /// The Message Broker outbound API key.
    Outbound,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarrierError {
    #[error("the carrier rejected the {}", match .0 {
        Credential::Services => "API key and secret",
        Credential::Outbound => "outbound API key",
    })]
    Rejected(Credential),
    /// A final business answer (e.g. `425` "Unable to provision messaging for this TN").
    #[error("the carrier answered {code}: {detail}")]
    Refused { code: String, detail: String },
    /// Busy (`431`, HTTP 429) or failing (HTTP 5xx): try again later.
    #[error("the carrier is busy or failing ({0}); try again later")]
    Unavailable(String),
    #[error("the carrier did not answer in time")]
    Timeout,
    /// The connection failed (refused, reset, DNS).
    #[error("the carrier could not be reached ({0})")]
    Unreachable(String),
    /// An answer this client does not understand.
    #[error("the carrier sent an unexpected answer ({0})")]
    Unexpected(String),
}

impl CarrierError {
    /// Whether the same call may succeed later (back off and retry).
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Self::Unavailable(_) | Self::Timeout | Self::Unreachable(_)
        )
    }
}

/// The operations the flows need from a carrier.
pub trait Carrier: Send + Sync {
    /// Checks the Services API key and secret.
    fn verify_services<'a>(&'a self, account: &'a ServicesAccount) -> CarrierFuture<'a, ()>;
    /// Checks the Message Broker outbound API key.
    fn verify_outbound<'a>(&'a self, outbound_key: &'a SecretString) -> CarrierFuture<'a, ()>;
    /// The number on the account, or `None` when the account does not hold it.
    fn number_detail<'a>(
        &'a self,
        account: &'a ServicesAccount,
        number: &'a str,
    ) -> CarrierFuture<'a, Option<NumberDetail>>;
    /// Turns messaging on for a number of the account.
    fn enable_messaging<'a>(
        &'a self,
        account: &'a ServicesAccount,
        number: &'a str,
        kind: MessagingType,
    ) -> CarrierFuture<'a, ()>;
    /// The inbound webhooks registered with the broker.
    fn list_webhooks<'a>(
        &'a self,
        outbound_key: &'a SecretString,
    ) -> CarrierFuture<'a, Vec<Webhook>>;
    /// Registers a per-number webhook; answers its auth id.
    fn add_webhook<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        spec: &'a WebhookSpec,
    ) -> CarrierFuture<'a, String>;
    fn remove_webhook<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        auth_id: &'a str,
    ) -> CarrierFuture<'a, ()>;
    /// Sends a message with the platform's outbound key (R17).
    fn publish<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        message: &'a Outbound,
    ) -> CarrierFuture<'a, Published>;
}
