//! CPaaS platforms (R1–R5): a provider's carrier account. Secrets are write-only: responses
//! carry a masked hint (the last four characters) and never the value.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlatformKind {
    #[default]
    Inteliquent,
}

impl PlatformKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inteliquent => "inteliquent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpaasPlatform {
    pub id: i64,
    pub provider_id: i64,
    pub kind: PlatformKind,
    pub name: String,
    /// e.g. `••••NHEHY`: the Account/Key is never returned.
    pub account_key_hint: String,
    pub token_secret_hint: String,
    pub outbound_api_key_hint: String,
    pub user_confirmation_required: bool,
    pub user_can_block_numbers: bool,
    /// MMS available (includes SMS).
    pub mms_available: bool,
    /// R18: what each number costs a month, in cents.
    pub monthly_charge_cents: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// `POST /api/v1/providers/{id}/cpaas-platforms`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCpaasPlatform {
    /// Only `inteliquent` for now (the default).
    #[serde(default)]
    pub kind: PlatformKind,
    /// Defaults to "Inteliquent"; unique within the provider.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name_or_null))]
    pub name: Option<String>,
    /// The Services API key (Account/Key).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::credential, required = true))]
    pub account_key: Option<String>,
    /// The Services API secret (Token/Secret).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::credential, required = true))]
    pub token_secret: Option<String>,
    /// The Message Broker key used to send (R17).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::credential, required = true))]
    pub outbound_api_key: Option<String>,
    #[serde(default)]
    pub user_confirmation_required: bool,
    #[serde(default)]
    pub user_can_block_numbers: bool,
    #[serde(default)]
    pub mms_available: bool,
    /// R18: what each number costs a month, in cents (default 0).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 1000000))]
    pub monthly_charge_cents: u32,
}

/// `PATCH /api/v1/cpaas-platforms/{id}`: absent fields stay; an absent or empty secret keeps
/// the stored one.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CpaasPlatformUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name_or_null))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::credential_or_null))]
    pub account_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::credential_or_null))]
    pub token_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::credential_or_null))]
    pub outbound_api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_confirmation_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_can_block_numbers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mms_available: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 1000000))]
    pub monthly_charge_cents: Option<u32>,
}

impl fmt::Debug for NewCpaasPlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCpaasPlatform")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CpaasPlatformUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CpaasPlatformUpdate")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A platform a number of a given user can be assigned on (no credentials, not even hints):
/// what the assignment form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformChoice {
    pub id: i64,
    pub name: String,
    pub user_confirmation_required: bool,
    pub user_can_block_numbers: bool,
    pub mms_available: bool,
}
