//! The number lists: their orders, the count cap, and the page of a level's numbers that
//! match a search (through the search indexes where they help).

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::organization::OrgKind;
use crate::db::models::organization::subtree_bounds;
use crate::db::models::page_offset;
use crate::db::schema::cpaas_numbers;
use crate::db::sql::{like_pattern, lower};

use super::search::{self, Level, Matches};
use super::search::{CANDIDATES, Search};
use super::{NumberRow, Within, lineage};

/// The order of a list of numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// The guide's: active assignments first, then by number.
    #[default]
    ActiveFirst,
    /// `(column, descending)`.
    By(SortColumn, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Number,
    FriendlyName,
    AssignedTo,
    StartDate,
    EndDate,
}

impl Sort {
    /// `number`, `friendly_name`, `assigned_to`, `start_date` or `end_date`; a leading `-`
    /// sorts descending.
    pub fn parse(value: &str) -> Option<Self> {
        let (descending, name) = match value.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, value),
        };
        let column = match name {
            "number" => SortColumn::Number,
            "friendly_name" => SortColumn::FriendlyName,
            "assigned_to" => SortColumn::AssignedTo,
            "start_date" => SortColumn::StartDate,
            "end_date" => SortColumn::EndDate,
            _ => return None,
        };
        Some(Self::By(column, descending))
    }
}

/// Counting stops after this many numbers: a larger total is answered as "more than this".
/// A search for a term too common or too short for the search indexes (see [`search`]) counts
/// only through the page asked for.
pub const COUNT_CAP: usize = 1000;

/// A page of a list and the total it is part of.
pub struct Listed {
    pub rows: Vec<NumberRow>,
    pub total: u64,
    /// Counting stopped: there are more than `total`.
    pub capped: bool,
}

/// Numbers within `within` in `sort` order; `search` matches the number, the friendly name or
/// the user/stream name. Each level reads its own index range in the default order, so a page
/// costs the same with a million numbers; the total is counted up to [`COUNT_CAP`].
pub fn list(
    conn: &mut DbConnection,
    within: &Within,
    search: Option<&Search>,
    sort: Sort,
    page: u32,
    per_page: u32,
) -> QueryResult<Listed> {
    let offset = usize::try_from(page_offset(page, per_page)).unwrap_or(usize::MAX);
    let per_page = usize::try_from(per_page).unwrap_or(usize::MAX);
    // `common`: a term too common or too short for the search indexes, read in list order.
    let (candidates, common) = match (search, within) {
        (Some(search), Within::Organization(kind, id, path)) => {
            let level = match kind {
                OrgKind::SystemProvider => Level::Provider(*id),
                OrgKind::Reseller => Level::Reseller(lineage(path).0, *id, subtree_bounds(path)),
                OrgKind::Customer => Level::Customer(lineage(path).0, *id, subtree_bounds(path)),
            };
            match indexed(conn, &level, search, sort, offset, per_page)? {
                Indexed::Listed(listed) => return Ok(listed),
                Indexed::Candidates(ids) => (Some(ids), false),
                Indexed::Common => (None, true),
            }
        }
        _ => (None, false),
    };
    let patterns = search.map(|s| (like_pattern(&s.number), like_pattern(&s.text)));
    let mut query = cpaas_numbers::table.into_boxed();
    query = match (within, &candidates) {
        // Only the candidates' primary keys are worth an index: the path, not indexed, keeps
        // the planner off the level's (much longer) index range.
        (Within::Organization(_, _, path), Some(ids)) => {
            let (low, high) = subtree_bounds(path);
            query
                .filter(cpaas_numbers::id.eq_any(ids.clone()))
                .filter(cpaas_numbers::scope_path.ge(low))
                .filter(cpaas_numbers::scope_path.lt(high))
        }
        (Within::Organization(OrgKind::SystemProvider, id, _), None) => {
            query.filter(cpaas_numbers::provider_id.eq(*id))
        }
        (Within::Organization(OrgKind::Reseller, id, _), None) => {
            query.filter(cpaas_numbers::reseller_id.eq(*id))
        }
        (Within::Organization(OrgKind::Customer, id, _), None) => {
            query.filter(cpaas_numbers::customer_id.eq(*id))
        }
        (Within::User(id), _) => query.filter(cpaas_numbers::end_user_id.eq(*id)),
        (Within::Streams(ids), _) => {
            query.filter(cpaas_numbers::media_stream_id.eq_any(ids.clone()))
        }
    };
    if let Some((number, text)) = patterns {
        query = query.filter(
            cpaas_numbers::number
                .like(number)
                .escape('\\')
                .or(lower(cpaas_numbers::friendly_name)
                    .like(text.clone())
                    .escape('\\'))
                .or(lower(cpaas_numbers::consumer_name).like(text).escape('\\')),
        );
    }
    // A common term is found by reading the whole level in order: counted through this page.
    let cap = if common { 0 } else { COUNT_CAP };
    let limit = offset.saturating_add(per_page).max(cap) + 1;
    let ids: Vec<i64> = ordered(query, sort)
        .select(cpaas_numbers::id)
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)?;
    page_of(conn, ids, limit, offset, per_page)
}

/// What the search indexes make of a search at an organization.
enum Indexed {
    /// The page, in the default order.
    Listed(Listed),
    /// Every match (fewer than [`CANDIDATES`]), for another order.
    Candidates(Vec<i64>),
    /// Too short or too common: read the list in order and filter it.
    Common,
}

fn indexed(
    conn: &mut DbConnection,
    level: &Level,
    search: &Search,
    sort: Sort,
    offset: usize,
    per_page: usize,
) -> QueryResult<Indexed> {
    let Matches::Found { digits, names } = search::matches(conn, level, search)? else {
        return Ok(Indexed::Common);
    };
    if sort == Sort::ActiveFirst {
        let limit = offset.saturating_add(per_page).max(COUNT_CAP) + 1;
        let ids = search::merged(conn, level, &digits, &names, limit)?;
        return page_of(conn, ids, limit, offset, per_page).map(Indexed::Listed);
    }
    let mut ids = search::named(conn, level, &names, CANDIDATES)?;
    ids.extend(digits);
    ids.sort_unstable();
    ids.dedup();
    Ok(if ids.len() < CANDIDATES {
        Indexed::Candidates(ids)
    } else {
        Indexed::Common
    })
}

/// The page at `offset` of `ids` (the list in order, read up to `limit`), and the total.
fn page_of(
    conn: &mut DbConnection,
    ids: Vec<i64>,
    limit: usize,
    offset: usize,
    per_page: usize,
) -> QueryResult<Listed> {
    let (total, capped) = if ids.len() == limit {
        (limit - 1, true)
    } else {
        (ids.len(), false)
    };
    let wanted: Vec<i64> = ids.into_iter().skip(offset).take(per_page).collect();
    let mut rows = if wanted.is_empty() {
        Vec::new()
    } else {
        cpaas_numbers::table
            .filter(cpaas_numbers::id.eq_any(&wanted))
            .select(NumberRow::as_select())
            .load(conn)?
    };
    rows.sort_by_key(|row| wanted.iter().position(|id| *id == row.id));
    Ok(Listed {
        rows,
        total: u64::try_from(total).unwrap_or(u64::MAX),
        capped,
    })
}

type Query<'a> = cpaas_numbers::BoxedQuery<'a, <DbConnection as Connection>::Backend>;

/// `query` in `sort` order; the default order is the one the listing indexes hold.
fn ordered(query: Query<'_>, sort: Sort) -> Query<'_> {
    use cpaas_numbers as n;
    match sort {
        Sort::ActiveFirst => {
            query.order((n::end_date.is_not_null(), n::number.asc(), n::id.desc()))
        }
        Sort::By(SortColumn::Number, false) => query.order((n::number.asc(), n::id.desc())),
        Sort::By(SortColumn::Number, true) => query.order((n::number.desc(), n::id.desc())),
        Sort::By(SortColumn::FriendlyName, false) => {
            query.order((lower(n::friendly_name).asc(), n::id.asc()))
        }
        Sort::By(SortColumn::FriendlyName, true) => {
            query.order((lower(n::friendly_name).desc(), n::id.desc()))
        }
        Sort::By(SortColumn::AssignedTo, false) => {
            query.order((lower(n::consumer_name).asc(), n::number.asc()))
        }
        Sort::By(SortColumn::AssignedTo, true) => {
            query.order((lower(n::consumer_name).desc(), n::number.desc()))
        }
        Sort::By(SortColumn::StartDate, false) => query.order((n::start_date.asc(), n::id.asc())),
        Sort::By(SortColumn::StartDate, true) => query.order((n::start_date.desc(), n::id.desc())),
        // Active assignments (no end date) count as the latest.
        Sort::By(SortColumn::EndDate, false) => {
            query.order((n::end_date.is_null(), n::end_date.asc(), n::id.asc()))
        }
        Sort::By(SortColumn::EndDate, true) => {
            query.order((n::end_date.is_not_null(), n::end_date.desc(), n::id.desc()))
        }
    }
}
