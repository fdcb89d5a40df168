//! The client API: end users (softphone clients) sign in with their user id and the password
//! an admin set, see their numbers, and answer the opt-in question (R12).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::number::{MessagingType, OptIn};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientLoginRequest {
    /// The BroadWorks user id.
    pub user_id: String,
    #[cfg_attr(feature = "openapi", schema(format = Password))]
    pub password: String,
    /// The provider to sign in at, when the same user id exists at several; a failed sign-in
    /// then counts only there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<i64>,
}

impl fmt::Debug for ClientLoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientLoginRequest")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientUser {
    pub id: i64,
    pub user_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientLoginResponse {
    /// A bearer token for `/api/v1/client` (audience `client`).
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
    pub user: ClientUser,
}

/// One of the user's active numbers, as the client shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientNumber {
    pub id: i64,
    pub number: String,
    /// `(201) 992-0780`.
    pub display: String,
    pub friendly_name: String,
    pub messaging_type: MessagingType,
    pub user_can_block_numbers: bool,
    /// `pending` means the client must ask the user (R12).
    pub opt_in: OptIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OptInDecision {
    Accept,
    Decline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OptInAnswer {
    pub decision: OptInDecision,
}

/// `PUT /api/v1/users/{id}/client-password`: the password the user's client signs in with.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientPassword {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::new_password, required = true))]
    pub password: Option<String>,
}

impl fmt::Debug for ClientPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientPassword(<redacted>)")
    }
}
