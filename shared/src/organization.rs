//! Resellers and customers: the levels below a system provider (R24).

use serde::{Deserialize, Serialize};

use crate::provider::present;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    SystemProvider,
    Reseller,
    Customer,
}

/// A reseller or a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: i64,
    pub kind: OrganizationKind,
    /// The provider or reseller it belongs to.
    pub parent_id: i64,
    pub parent_kind: OrganizationKind,
    pub name: String,
    /// IANA time zone; null when not set.
    pub timezone: Option<String>,
    /// BCP 47 tag; null means the default language.
    pub language: Option<String>,
    pub accounts_reference: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// Creating a reseller or customer. `name` is required (checked with the other fields, so
/// that every problem is reported at once).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name, required = true))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::timezone_or_null))]
    pub timezone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::language_or_null))]
    pub language: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::reference_or_null))]
    pub accounts_reference: Option<String>,
}

/// Changing a reseller or customer: absent fields stay; `null` clears a nullable one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganizationUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name_or_null))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::timezone_or_null))]
    pub timezone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::language_or_null))]
    pub language: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::reference_or_null))]
    pub accounts_reference: Option<Option<String>>,
}
