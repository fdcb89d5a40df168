//! What the simulated carrier remembers, per account: credentials, numbers with their
//! messaging state, broker authorizations (outbound keys and webhooks) and published messages.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The demo account (`docs/carrier.md`; the provisioning guide's screenshots' values).
pub const DEMO_ACCOUNT_KEY: &str = "WtGNy8Wc2Vh2Vh71KnHEHY";
pub const DEMO_TOKEN_SECRET: &str = "B6PDluhgYsIUZc4NNYDEQY";
pub const DEMO_OUTBOUND_KEY: &str = "ZJUJZLWYI9Nb1la7WKLkgsqdczzMTb";
pub const DEMO_NUMBERS: [&str; 4] = ["2019920778", "2019920780", "2019920781", "9495418806"];

#[derive(Debug, Clone)]
pub struct Number {
    pub status: String,
    /// `(messageClass, messageType)` once provisioned.
    pub messaging: Option<(String, String)>,
    /// When provisioned messaging starts working (the provisioning delay).
    pub active_at: Option<Instant>,
}

impl Number {
    pub fn in_service() -> Self {
        Self {
            status: "In Service".to_owned(),
            messaging: None,
            active_at: None,
        }
    }

    pub fn messaging_active(&self, now: Instant) -> bool {
        self.messaging.is_some() && self.active_at.is_some_and(|at| at <= now)
    }
}

/// A broker authorization: an outbound key (`webhook` none) or an inbound webhook.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub auth_id: u64,
    pub outbound_key: Option<String>,
    pub webhook: Option<WebhookConfig>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WebhookConfig {
    /// Ten digits; none for the account-wide default.
    pub number: Option<String>,
    pub url: String,
    #[serde(skip)]
    pub api_key: Option<String>,
    pub header_name: Option<String>,
    #[serde(skip)]
    pub header_value: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PublishedMessage {
    pub reference_id: String,
    /// Ten digits.
    pub from: String,
    pub to: Vec<String>,
    pub text: String,
    pub media_urls: Vec<String>,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub secret: String,
    pub numbers: BTreeMap<String, Number>,
    pub authorizations: Vec<Authorization>,
    pub published: Vec<PublishedMessage>,
    pub delivery_receipts: bool,
    last_auth_id: u64,
}

impl Account {
    /// A fresh authorization id (integers, as in every example the carrier publishes).
    pub fn next_auth_id(&mut self) -> u64 {
        self.last_auth_id += 1;
        self.last_auth_id
    }
}

/// How calls to the carrier endpoints misbehave (the control API is never affected).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every carrier call.
    pub latency_ms: u64,
    /// Share (0 to 1) of carrier calls answered HTTP 500.
    pub error_rate: f64,
    /// Every carrier call fails this way, or only the next `count` calls when set.
    pub force: Option<Forced>,
    pub count: Option<u32>,
    /// Only these operations (e.g. `tnMessaging`, `configureAuthorization`) misbehave; all
    /// when empty.
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forced {
    /// HTTP 503.
    ServerError,
    /// HTTP 401 (as for bad credentials).
    Unauthorized,
    /// Services `431` "try again" in an HTTP 200; HTTP 429 on the broker.
    Busy,
    /// No answer until the client gives up.
    Timeout,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Behaviour {
    /// Time from enabling messaging on a number to it working.
    pub provisioning_delay_ms: u64,
    /// Extra deliveries of an inbound POST after a non-2xx answer.
    pub webhook_retries: u32,
    /// How long a forced timeout hangs.
    pub hang_ms: u64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            provisioning_delay_ms: 0,
            webhook_retries: 2,
            hang_ms: 30_000,
        }
    }
}

pub struct State {
    /// By account key.
    pub accounts: BTreeMap<String, Account>,
    pub faults: Faults,
    pub behaviour: Behaviour,
}

impl State {
    pub fn new(behaviour: Behaviour) -> Self {
        let mut state = Self {
            accounts: BTreeMap::new(),
            faults: Faults::default(),
            behaviour,
        };
        state.add_account(
            DEMO_ACCOUNT_KEY,
            DEMO_TOKEN_SECRET,
            DEMO_OUTBOUND_KEY,
            &DEMO_NUMBERS,
        );
        state
    }

    /// Adds (or replaces) an account with one outbound key and the given numbers.
    pub fn add_account(&mut self, key: &str, secret: &str, outbound_key: &str, numbers: &[&str]) {
        self.accounts.insert(
            key.to_owned(),
            Account {
                secret: secret.to_owned(),
                numbers: numbers
                    .iter()
                    .map(|n| ((*n).to_owned(), Number::in_service()))
                    .collect(),
                authorizations: vec![Authorization {
                    auth_id: 19,
                    outbound_key: Some(outbound_key.to_owned()),
                    webhook: None,
                }],
                published: Vec::new(),
                delivery_receipts: true,
                last_auth_id: 19,
            },
        );
    }

    /// The account whose key and secret these are.
    pub fn services_account(&mut self, key: &str, secret: &str) -> Option<&mut Account> {
        self.accounts
            .get_mut(key)
            .filter(|account| account.secret == secret)
    }

    /// The account holding this outbound key.
    pub fn broker_account(&mut self, outbound_key: &str) -> Option<&mut Account> {
        self.accounts.values_mut().find(|account| {
            account
                .authorizations
                .iter()
                .any(|a| a.outbound_key.as_deref() == Some(outbound_key))
        })
    }

    /// The account holding `number`, with its webhook for it: the newest per-number one, else
    /// the account default (assumption C4, docs/carrier.md).
    pub fn route(&self, number: &str) -> Option<(&Account, Option<&WebhookConfig>)> {
        let account = self
            .accounts
            .values()
            .find(|account| account.numbers.contains_key(number))?;
        let webhooks = || {
            account
                .authorizations
                .iter()
                .rev()
                .filter_map(|a| a.webhook.as_ref())
        };
        let webhook = webhooks()
            .find(|w| w.number.as_deref() == Some(number))
            .or_else(|| webhooks().find(|w| w.number.is_none()));
        Some((account, webhook))
    }
}

/// Consumes one forced fault (when counted) and says which applies to this call, if any.
pub fn take_fault(faults: &mut Faults, operation: &str, roll: f64) -> Option<Forced> {
    if !faults.operations.is_empty() && !faults.operations.iter().any(|o| o == operation) {
        return None;
    }
    if let Some(forced) = faults.force {
        match faults.count {
            None => return Some(forced),
            Some(left) => {
                if left <= 1 {
                    faults.force = None;
                    faults.count = None;
                } else {
                    faults.count = Some(left - 1);
                }
                if left >= 1 {
                    return Some(forced);
                }
            }
        }
    }
    (roll < faults.error_rate).then_some(Forced::ServerError)
}

pub fn delay(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_run_out() {
        let mut faults = Faults {
            force: Some(Forced::Busy),
            count: Some(2),
            ..Faults::default()
        };
        assert_eq!(take_fault(&mut faults, "tnDetail", 0.5), Some(Forced::Busy));
        assert_eq!(take_fault(&mut faults, "tnDetail", 0.5), Some(Forced::Busy));
        assert_eq!(take_fault(&mut faults, "tnDetail", 0.5), None);
        assert_eq!(faults, Faults::default());
        let mut only = Faults {
            force: Some(Forced::ServerError),
            operations: vec!["tnMessaging".to_owned()],
            ..Faults::default()
        };
        assert_eq!(
            take_fault(&mut only, "tnDetail", 0.5),
            None,
            "another operation"
        );
        assert_eq!(
            take_fault(&mut only, "tnMessaging", 0.5),
            Some(Forced::ServerError)
        );
    }

    #[test]
    fn error_rate_uses_the_roll() {
        let mut faults = Faults {
            error_rate: 0.25,
            ..Faults::default()
        };
        assert_eq!(
            take_fault(&mut faults, "tnDetail", 0.1),
            Some(Forced::ServerError)
        );
        assert_eq!(take_fault(&mut faults, "tnDetail", 0.3), None);
    }

    #[test]
    fn routing_prefers_the_newest_number_webhook_then_the_default() {
        let mut state = State::new(Behaviour::default());
        let hook = |number: Option<&str>, url: &str| WebhookConfig {
            number: number.map(str::to_owned),
            url: url.to_owned(),
            api_key: None,
            header_name: None,
            header_value: None,
        };
        let account = state.accounts.get_mut(DEMO_ACCOUNT_KEY).expect("demo");
        account.authorizations.push(Authorization {
            auth_id: 1,
            outbound_key: None,
            webhook: Some(hook(None, "default")),
        });
        account.authorizations.push(Authorization {
            auth_id: 2,
            outbound_key: None,
            webhook: Some(hook(Some("2019920778"), "old")),
        });
        account.authorizations.push(Authorization {
            auth_id: 3,
            outbound_key: None,
            webhook: Some(hook(Some("2019920778"), "new")),
        });
        let url = |n: &str| state.route(n).and_then(|(_, w)| w.map(|w| w.url.clone()));
        assert_eq!(url("2019920778").as_deref(), Some("new"));
        assert_eq!(url("2019920780").as_deref(), Some("default"));
        assert!(state.route("2019920789").is_none(), "not on any account");
    }
}
