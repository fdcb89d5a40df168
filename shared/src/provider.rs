//! System providers (R20) as the API shows and changes them.

use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReportFrequency {
    #[default]
    None,
    Daily,
    Weekly,
    Monthly,
}

impl SnapshotReportFrequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::None, Self::Daily, Self::Weekly, Self::Monthly]
            .into_iter()
            .find(|f| f.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provider {
    pub id: i64,
    pub name: String,
    /// IANA time zone, e.g. `America/Chicago`; null when not set.
    pub timezone: Option<String>,
    /// BCP 47 tag; null means the default language.
    pub language: Option<String>,
    pub accounts_reference: Option<String>,
    pub trial_duration_days: u32,
    pub use_trial_licenses_until_expiration: bool,
    pub snapshot_report_frequency: SnapshotReportFrequency,
    /// Provider-level portal accounts with Send Alerts on. CPaaS platforms can only be added
    /// while there is at least one (R2).
    pub alert_recipients: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// `PATCH /api/v1/providers/{id}`: absent fields stay as they are; `null` clears a nullable one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderUpdate {
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    pub trial_duration_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_trial_licenses_until_expiration: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_report_frequency: Option<SnapshotReportFrequency>,
}

/// A present field, `null` included, is `Some(value)`; an absent one stays `None` (default).
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_null_and_value_differ() {
        let update: ProviderUpdate =
            serde_json::from_str(r#"{"timezone": null, "language": "en-GB"}"#).expect("parses");
        assert_eq!(update.timezone, Some(None));
        assert_eq!(update.language, Some(Some("en-GB".to_owned())));
        assert_eq!(update.accounts_reference, None);
        assert!(serde_json::from_str::<ProviderUpdate>(r#"{"nmae": "x"}"#).is_err());
    }
}
