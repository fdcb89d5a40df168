//! Sign-in bodies and the portal account as the API shows it (never with its password).

use std::fmt;

use serde::{Deserialize, Serialize};

/// `POST /api/v1/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(format = Password))]
    pub password: String,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A bearer token for the portal API and the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub account: PortalAccount,
}

/// A portal account (R21): belongs to one organization and manages it and everything below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalAccount {
    pub id: i64,
    pub organization_id: i64,
    /// The level of that organization.
    pub organization_kind: crate::OrganizationKind,
    /// An operator (the hosting company) sees every provider and may create and delete them.
    /// Set only by `cpaas create-admin --operator`.
    pub operator: bool,
    pub email: String,
    pub send_technical_emails: bool,
    pub send_alerts: bool,
    pub send_invoices_and_receipts: bool,
    pub send_license_expiry_alerts: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// Creating a portal account. `email` and `password` are required (checked with the other
/// fields, so every problem is reported at once); notification settings default to off.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPortalAccount {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email, required = true))]
    pub email: Option<String>,
    /// Write-only; at least 10 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::new_password, required = true))]
    pub password: Option<String>,
    #[serde(default)]
    pub send_technical_emails: bool,
    #[serde(default)]
    pub send_alerts: bool,
    #[serde(default)]
    pub send_invoices_and_receipts: bool,
    #[serde(default)]
    pub send_license_expiry_alerts: bool,
}

/// Changing a portal account: absent fields stay as they are.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PortalAccountUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email_or_null))]
    pub email: Option<String>,
    /// Write-only; at least 10 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::new_password_or_null))]
    pub password: Option<String>,
    /// Write-only: the signed-in account's own password, required to change its own email or
    /// password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Password))]
    pub current_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_technical_emails: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_alerts: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_invoices_and_receipts: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_license_expiry_alerts: Option<bool>,
}

impl fmt::Debug for NewPortalAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPortalAccount")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for PortalAccountUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortalAccountUpdate")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}
