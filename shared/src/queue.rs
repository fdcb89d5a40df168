//! Contact-center queues and their media streams (R10).

use serde::{Deserialize, Serialize};

use crate::provider::present;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queue {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// Creating or renaming a queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QueueInput {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name, required = true))]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    Sms,
    WebChat,
    Email,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::WebChat => "web_chat",
            Self::Email => "email",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Sms, Self::WebChat, Self::Email]
            .into_iter()
            .find(|m| m.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaStream {
    pub id: i64,
    pub queue_id: i64,
    pub name: String,
    pub language: Option<String>,
    pub media_type: MediaType,
    pub conversation_can_be_transferred: bool,
    pub conversation_can_be_escalated: bool,
    /// IANA time zone of the availability schedule; null when not set.
    pub timezone: Option<String>,
    pub in_office_profile: String,
    pub use_last_agent_if_available: bool,
    pub reopen_conversation_on_reply: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// Creating (`name` and `media_type` required) or changing a media stream: absent fields stay
/// (or take their defaults on create); `null` clears a nullable one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MediaStreamInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name_or_null))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::language_or_null))]
    pub language: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_can_be_transferred: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_can_be_escalated: Option<bool>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::timezone_or_null))]
    pub timezone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::name_or_null))]
    pub in_office_profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_last_agent_if_available: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopen_conversation_on_reply: Option<bool>,
}
