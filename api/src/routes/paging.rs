//! The list query every collection route takes, and its checks.

use cpaas_shared::ErrorCode;
use cpaas_shared::page::check_page;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page (default 1); pages stay within the first 10,000 items.
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    pub per_page: Option<u32>,
    /// Part of the name (the user id for users, the email for portal accounts), any case;
    /// wildcards are added.
    pub search: Option<String>,
}

impl ListQuery {
    /// The `LIKE` pattern for `search` (lower-cased, wildcards added), if one was given.
    pub fn pattern(&self) -> Option<String> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(crate::services::organizations::like_pattern)
    }
}

pub fn paging(page: Option<u32>, per_page: Option<u32>) -> Result<(u32, u32), ApiError> {
    check_page(page, per_page).map_err(|(field, problem)| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            format!("The {field} parameter {problem}."),
        )
        .with_field(field, problem)
    })
}
