//! Bulk import of CPaaS numbers into a customer from CSV: one job assigns every row with the
//! same rules as a single assignment and reports each row's result.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/customers/{id}/cpaas-number-imports`. The CSV has a header line with
/// `number` and `user_id` or `media_stream` (a stream's name), and optionally
/// `friendly_name`, `messaging_type` (`sms` or `mms_sms`) and `platform_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewNumberImport {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, required = true))]
    pub csv: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Queued,
    Running,
    Done,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRow {
    /// The CSV line (the header is line 1).
    pub line: u32,
    pub number: String,
    /// `assigned` or `failed`.
    pub outcome: String,
    /// Why it failed (the same message a single assignment gives).
    pub detail: Option<String>,
    pub number_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NumberImport {
    pub id: i64,
    pub customer_id: i64,
    pub status: ImportStatus,
    pub total: u32,
    pub processed: u32,
    pub assigned: u32,
    pub failed: u32,
    pub rows: Vec<ImportRow>,
    pub created_at: String,
    pub updated_at: String,
}
