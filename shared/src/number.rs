//! CPaaS numbers (R6–R14): a US number assigned to an end user or an SMS media stream, with its
//! provisioning and opt-in state. Ended assignments remain as history.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessagingType {
    #[default]
    Sms,
    /// MMS & SMS (R7: only when the platform has MMS available).
    MmsSms,
}

impl MessagingType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::MmsSms => "mms_sms",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Sms, Self::MmsSms]
            .into_iter()
            .find(|t| t.as_str() == value)
    }

    /// As the guide's list shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::MmsSms => "MMS & SMS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsumerKind {
    User,
    MediaStream,
}

/// Who the number belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consumer {
    pub kind: ConsumerKind,
    /// Null once the user or media stream was deleted (the assignment stays as history).
    pub id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProvisioningState {
    /// Waiting for (or retrying) the carrier configuration (R9).
    Pending,
    /// Messaging enabled and the webhook registered.
    Active,
    /// The carrier configuration failed for good; the Send-Alerts accounts were told.
    Failed,
    /// Deleted; the carrier webhook is being removed.
    Removing,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provisioning {
    pub state: ProvisioningState,
    /// The last problem, or what happens next.
    pub detail: Option<String>,
    /// Carrier attempts so far.
    pub attempts: u32,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OptInState {
    /// The platform does not ask, or the number belongs to a media stream.
    NotRequired,
    Pending,
    OptedIn,
    OptedOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptIn {
    pub state: OptInState,
    /// When the user decided (kept as evidence).
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpaasNumber {
    pub id: i64,
    /// Ten digits.
    pub number: String,
    /// `(201) 992-0780`.
    pub display: String,
    pub friendly_name: String,
    /// Null once the platform of an ended assignment was deleted.
    pub platform_id: Option<i64>,
    pub messaging_type: MessagingType,
    pub user_can_block_numbers: bool,
    pub consumer: Consumer,
    pub provisioning: Provisioning,
    pub opt_in: OptIn,
    /// RFC 3339, UTC.
    pub start_date: String,
    /// Null while the assignment is active ("Active Assignment").
    pub end_date: Option<String>,
    /// A media stream's initial reply within business hours (R10); null for users.
    pub initial_reply: Option<String>,
}

/// `PUT /api/v1/media-streams/{id}/sms`: a media stream's SMS configuration (R10). With no
/// number yet it assigns one (the same rules and provisioning as for users); with one it
/// changes the settings. Absent fields keep their value (or the platform's default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MediaStreamSms {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::phone, required = true))]
    pub number: Option<String>,
    #[serde(default)]
    pub platform_id: Option<i64>,
    #[serde(default)]
    pub mms_available: Option<bool>,
    #[serde(default)]
    pub remote_numbers_can_be_blocked: Option<bool>,
    /// Sent to whoever texts within business hours; empty clears it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub initial_reply: Option<String>,
}

/// `POST /api/v1/users/{id}/cpaas-numbers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCpaasNumber {
    /// Any US form: `2019920780`, `(201) 992-0780`, `+1 201 992 0780`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::phone, required = true))]
    pub number: Option<String>,
    /// Defaults to the number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub friendly_name: Option<String>,
    /// Required when the provider has several platforms (R5).
    #[serde(default)]
    pub platform_id: Option<i64>,
    /// `sms` (default) or `mms_sms`.
    #[serde(default)]
    pub messaging_type: Option<MessagingType>,
    /// Defaults to the platform's setting.
    #[serde(default)]
    pub user_can_block_numbers: Option<bool>,
}

/// `PATCH /api/v1/cpaas-numbers/{id}`: absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CpaasNumberUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub friendly_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_type: Option<MessagingType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_can_block_numbers: Option<bool>,
}

/// `DELETE /api/v1/cpaas-numbers/{id}/messages` (R14): the number stays; its messages go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedMessages {
    /// How many messages were deleted.
    pub deleted: u64,
}
