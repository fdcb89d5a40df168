//! R18: each assigned number carries a monthly charge; the provider is billed per number per
//! month, prorated by the days the number was assigned.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingLine {
    pub number_id: i64,
    /// Ten digits.
    pub number: String,
    pub friendly_name: String,
    /// The user or media stream it was assigned to.
    pub assigned_to: String,
    pub platform_id: Option<i64>,
    /// RFC 3339, UTC.
    pub start_date: String,
    pub end_date: Option<String>,
    /// Calendar days (UTC) of the month on which the number was assigned.
    pub days_active: u32,
    pub monthly_charge_cents: u32,
    /// `monthly_charge_cents × days_active / days_in_month`, rounded to the cent.
    pub charge_cents: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingReport {
    pub provider_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub days_in_month: u32,
    pub lines: Vec<BillingLine>,
    pub total_numbers: u64,
    pub total_charge_cents: u64,
}
