//! The dev-mode view of the built-in carrier simulator (`CPAAS_CARRIER=simulator`): what the
//! simulated Inteliquent accounts hold. Keys appear as hints only.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulatorState {
    pub accounts: Vec<SimulatedAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulatedAccount {
    /// 1-based position, to name the account when adding numbers.
    pub id: u32,
    /// e.g. `••••EHY`.
    pub account_key_hint: String,
    pub numbers: Vec<SimulatedNumber>,
    pub webhooks: Vec<SimulatedWebhook>,
    pub published: Vec<SimulatedMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulatedNumber {
    /// Ten digits.
    pub number: String,
    /// e.g. "In Service".
    pub status: String,
    /// e.g. "A2PLC SMSMMS" once messaging is provisioned.
    pub messaging: Option<String>,
    /// Provisioned and past the provisioning delay.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulatedWebhook {
    /// Ten digits; null for the account-wide default.
    pub number: Option<String>,
    pub url: String,
    pub header_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulatedMessage {
    pub reference_id: String,
    pub from: String,
    pub to: Vec<String>,
    pub text: String,
    pub media_urls: Vec<String>,
    /// RFC 3339.
    pub at: String,
}

/// `POST /api/v1/simulator/numbers`: numbers for a simulated account (any US form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSimulatedNumbers {
    /// The account's `id`; the demo account (1) when absent.
    #[serde(default)]
    pub account: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::phones, required = true))]
    pub numbers: Vec<String>,
}
