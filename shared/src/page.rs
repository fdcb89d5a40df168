//! Pagination: `?page=&per_page=` in, `{items, total, page, per_page}` out.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 100;
/// The deepest page: a list is paged through its first 10,000 items at most (100 pages of
/// 100). Deeper pages cost the database more with every page; a search narrows a list instead.
/// A bound on `page` alone, so the API document can state it exactly.
pub const MAX_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Matching items across all pages.
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// Counting stopped early (a list of a great many numbers): there are more than `total`.
    /// Absent (false) when `total` is exact.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub total_capped: bool,
}

impl<T> Page<T> {
    /// A page of a list whose total is exact.
    pub fn exact(items: Vec<T>, total: u64, page: u32, per_page: u32) -> Self {
        Self {
            items,
            total,
            page,
            per_page,
            total_capped: false,
        }
    }

    /// A list answered whole (a handful of items): one page holding all of them.
    pub fn whole(items: Vec<T>) -> Self {
        let count = items.len();
        Self {
            items,
            total: u64::try_from(count).unwrap_or(u64::MAX),
            page: 1,
            per_page: u32::try_from(count).unwrap_or(u32::MAX).max(1),
            total_capped: false,
        }
    }
}

/// Checks a requested page; `None` means the default. Returns (page, per_page) or the
/// parameter and its problem.
pub fn check_page(
    page: Option<u32>,
    per_page: Option<u32>,
) -> Result<(u32, u32), (&'static str, String)> {
    let page = page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err((
            "page",
            format!("must be between 1 and {MAX_PAGE}: search to narrow a longer list"),
        ));
    }
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(("per_page", format!("must be between 1 and {MAX_PER_PAGE}")));
    }
    Ok((page, per_page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stay_within_the_first_hundred() {
        assert_eq!(check_page(None, None), Ok((1, DEFAULT_PER_PAGE)));
        assert_eq!(check_page(Some(100), Some(100)), Ok((100, 100)));
        for (page, per_page, field) in [
            (Some(0), None, "page"),
            (Some(101), Some(1), "page"),
            (None, Some(0), "per_page"),
            (None, Some(101), "per_page"),
        ] {
            assert_eq!(check_page(page, per_page).map_err(|e| e.0), Err(field));
        }
    }
}
