//! Row types and their queries. Functions take `&mut DbConnection` and return `QueryResult`,
//! so the caller owns the transaction.

pub mod end_user;
pub mod history;
pub mod job;
pub mod message;
pub mod number;
pub mod organization;
pub mod platform;
pub mod portal_account;
pub mod queue;
pub mod throttle;

use chrono::NaiveDateTime;

/// A naive UTC timestamp as RFC 3339 (`2026-11-27T08:00:00Z`).
pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The SQL `OFFSET` of 1-based `page` with `per_page` rows a page.
pub fn page_offset(page: u32, per_page: u32) -> i64 {
    i64::from(page.saturating_sub(1)) * i64::from(per_page)
}
