//! The list query every collection route takes, and its checks.

use cpaas_shared::ErrorCode;
use cpaas_shared::page::check_page;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page (default 1), at most 100: a search narrows a longer list.
    #[param(minimum = 1, maximum = 100)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
    /// Part of the name (the user id for users, the email for portal accounts), any case;
    /// wildcards are added. At most 200 characters.
    #[param(max_length = 200)]
    pub search: Option<String>,
}

impl ListQuery {
    /// The `LIKE` pattern for `search` (lower-cased, wildcards added), if one was given.
    pub fn pattern(&self) -> Option<String> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(crate::db::sql::like_pattern)
    }
}

/// The longest `search` a list takes, in characters.
const SEARCH_MAX: usize = 200;

/// Checks a list's paging and search; returns (page, per_page).
pub fn paging(
    page: Option<u32>,
    per_page: Option<u32>,
    search: Option<&str>,
) -> Result<(u32, u32), ApiError> {
    let too_long = search.is_some_and(|s| s.chars().count() > SEARCH_MAX);
    let checked = if too_long {
        Err(("search", format!("must be at most {SEARCH_MAX} characters")))
    } else {
        check_page(page, per_page)
    };
    checked.map_err(|(field, problem)| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            format!("The {field} parameter {problem}."),
        )
        .with_field(field, problem)
    })
}
