//! The history log (R23) as the API shows it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    Create,
    Update,
    Delete,
    SignIn,
}

impl HistoryAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::SignIn => "sign_in",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Create, Self::Update, Self::Delete, Self::SignIn]
            .into_iter()
            .find(|a| a.as_str() == value)
    }
}

/// One changed field. Secrets and passwords are never recorded, only that they changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// The portal account's email (kept after the account is deleted).
    pub actor: String,
    /// e.g. `portal_account`, `provider`.
    pub object_kind: String,
    pub object_id: i64,
    pub action: HistoryAction,
    pub summary: String,
    pub changes: Vec<FieldChange>,
}
