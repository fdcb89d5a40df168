//! Searching the CPaaS Numbers lists of an organization (R11) over a million numbers.
//!
//! A term is found in the digits through every 3-or-more-digit suffix of each number
//! (`cpaas_number_suffixes`), and in the names through every 3-or-more-character suffix of each
//! distinct lowercased name (`cpaas_number_name_suffixes`): both are exact range scans. Each
//! name holding the term is then one range of an index in the list's default order, so the
//! page is a merge of a few ordered ranges, whatever the number of matches. A term too short
//! or too common for that is answered by reading the list in order and filtering it.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::db::DbConnection;
use crate::db::schema::{cpaas_number_name_suffixes, cpaas_number_suffixes};

/// A search: terms found anywhere in the number's digits, the friendly name or the user/stream
/// name, in any case.
pub struct Search {
    /// What the number must contain (the digits of "(201) 992"; otherwise the term itself).
    pub number: String,
    /// What a name must contain.
    pub text: String,
}

/// A term matching this many numbers through their digits, or more, is read from the list in
/// order instead; so is a list in another order whose search matches this many or more.
pub const CANDIDATES: usize = 5000;

/// A term held by more distinct names than this is read from the list in order instead.
pub const NAMES: usize = 40;

/// Shorter terms are not in the suffix tables.
const SHORTEST: usize = 3;

/// What the suffix tables found for a search.
pub enum Matches {
    /// Too short or too common for them: read the list in order and filter it.
    Common,
    /// The numbers whose digits hold the term (fewer than [`CANDIDATES`]) and the distinct
    /// lowercased names that hold it.
    Found { digits: Vec<i64>, names: Vec<Name> },
}

/// A distinct lowercased name and the field of the numbers carrying it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    pub field: Field,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The user's or media stream's name.
    Consumer,
    /// The friendly name, where it is not just the number.
    Friendly,
}

impl Field {
    /// The condition that a number's field, lowercased, passes `test` (`= ?`, `IN (?, ?)`),
    /// written as the field's index expects it.
    fn condition(self, test: &str) -> String {
        match self {
            Self::Consumer => format!("lower(consumer_name) {test}"),
            Self::Friendly => format!("friendly_name <> number AND lower(friendly_name) {test}"),
        }
    }
}

/// What the suffix tables hold of `search` among the numbers and names of `level`'s provider.
pub fn matches(conn: &mut DbConnection, level: &Level, search: &Search) -> QueryResult<Matches> {
    let text = search.text.to_lowercase();
    if text.chars().count() < SHORTEST {
        return Ok(Matches::Common);
    }
    let mut digits = Vec::new();
    if search.number.bytes().all(|b| b.is_ascii_digit()) {
        use cpaas_number_suffixes as s;
        if search.number.len() < SHORTEST {
            return Ok(Matches::Common);
        }
        digits = s::table
            .filter(s::provider_id.eq(level.provider_id()))
            .filter(s::suffix.ge(&search.number))
            .filter(s::suffix.lt(format!("{}:", search.number)))
            .select(s::number_id)
            .limit(as_limit(CANDIDATES))
            .load(conn)?;
        if digits.len() == CANDIDATES {
            return Ok(Matches::Common);
        }
    }
    use cpaas_number_name_suffixes as n;
    // A name holding the term twice is listed twice: the limit counts rows, not names.
    let rows: Vec<(String, String)> = n::table
        .filter(n::provider_id.eq(level.provider_id()))
        .filter(n::suffix.ge(&text))
        .filter(n::suffix.lt(format!("{text}\u{10FFFF}")))
        .select((n::name, n::field))
        .limit(as_limit(NAMES + 1))
        .load(conn)?;
    if rows.len() > NAMES {
        return Ok(Matches::Common);
    }
    let mut names: Vec<Name> = rows
        .into_iter()
        .filter_map(|(name, field)| {
            let field = match field.as_str() {
                "consumer_name" => Field::Consumer,
                "friendly_name" => Field::Friendly,
                _ => return None,
            };
            Some(Name { field, name })
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    Ok(Matches::Found { digits, names })
}

/// Where an organization's numbers are.
pub enum Level {
    Provider(i64),
    /// A reseller's provider, the reseller, and its subtree's bounds of paths.
    Reseller(i64, i64, (String, String)),
    /// A customer's provider, the customer, and its path's bounds.
    Customer(i64, i64, (String, String)),
}

impl Level {
    pub fn provider_id(&self) -> i64 {
        match self {
            Self::Provider(id) | Self::Reseller(id, _, _) | Self::Customer(id, _, _) => *id,
        }
    }

    /// The condition keeping numbers found by name to this level, as the name indexes hold
    /// them.
    fn of_names(&self) -> String {
        match self {
            Self::Provider(id) => format!(" AND provider_id = {id}"),
            Self::Reseller(_, id, _) => format!(" AND reseller_id = {id}"),
            Self::Customer(_, id, _) => format!(" AND customer_id = {id}"),
        }
    }

    /// The condition keeping numbers found by id to this level: the provider, or the subtree,
    /// whose path is not indexed, so the primary key stays the way to them. The digit suffixes
    /// are already the provider's; the condition is repeated so that no arm of the search can
    /// reach past its level.
    fn of_ids(&self) -> (String, Vec<String>) {
        match self {
            Self::Provider(id) => (format!(" AND provider_id = {id}"), Vec::new()),
            Self::Reseller(_, _, (low, high)) | Self::Customer(_, _, (low, high)) => (
                " AND scope_path >= ? AND scope_path < ?".to_owned(),
                vec![low.clone(), high.clone()],
            ),
        }
    }
}

/// The ids of the first `limit` numbers at `level` matching `digits` or `names`, in the list's
/// default order (active first, then by number): a merge of one ordered index range per name
/// and column, and the digits' matches sorted.
pub fn merged(
    conn: &mut DbConnection,
    level: &Level,
    digits: &[i64],
    names: &[Name],
    limit: usize,
) -> QueryResult<Vec<i64>> {
    // A number is in at most one arm of each kind (its digits, its user's name, its friendly
    // name), so reading `limit` rows per kind yields `limit` distinct numbers when there are.
    let kinds = usize::from(!digits.is_empty())
        + usize::from(names.iter().any(|n| n.field == Field::Consumer))
        + usize::from(names.iter().any(|n| n.field == Field::Friendly));
    let wrap = matches!(conn, DbConnection::Postgresql(_));
    let (sql, binds) = merge_sql(level, digits, names, limit.saturating_mul(kinds), wrap);
    if sql.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = load::<Ordered>(conn, &sql, &binds)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    // The same number twice shares its sort key, so the copies are next to each other.
    ids.dedup();
    ids.truncate(limit);
    Ok(ids)
}

/// The ids of up to `limit` numbers at `level` with one of `names`, in no order.
pub fn named(
    conn: &mut DbConnection,
    level: &Level,
    names: &[Name],
    limit: usize,
) -> QueryResult<Vec<i64>> {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    for field in [Field::Consumer, Field::Friendly] {
        let of_field: Vec<String> = names
            .iter()
            .filter(|n| n.field == field)
            .map(|n| n.name.clone())
            .collect();
        if !of_field.is_empty() {
            let marks = vec!["?"; of_field.len()].join(", ");
            conditions.push(format!("({})", field.condition(&format!("IN ({marks})"))));
            binds.extend(of_field);
        }
    }
    if conditions.is_empty() {
        return Ok(Vec::new());
    }
    let within = level.of_names();
    let sql = format!(
        "SELECT id FROM cpaas_numbers WHERE ({}){within} LIMIT {limit}",
        conditions.join(" OR "),
    );
    Ok(load::<Id>(conn, &sql, &binds)?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// The statement of [`merged`] and its text parameters, in order; empty when nothing matched.
/// SQLite merges plain `UNION ALL` arms in index order by itself; PostgreSQL's planner would
/// sort them all, so each arm is `wrap`ped in its own ordered, limited subquery, which it merges.
fn merge_sql(
    level: &Level,
    digits: &[i64],
    names: &[Name],
    limit: usize,
    wrap: bool,
) -> (String, Vec<String>) {
    let mut branches = Vec::new();
    let mut binds = Vec::new();
    let mut branch = |condition: String, name: Option<&String>, (within, mut within_binds)| {
        binds.extend(name.cloned());
        binds.append(&mut within_binds);
        let arm = format!(
            "SELECT (end_date IS NOT NULL) AS ended, number, id FROM cpaas_numbers \
             WHERE {condition}{within}"
        );
        branches.push(if wrap {
            format!(
                "SELECT * FROM ({arm} ORDER BY (end_date IS NOT NULL), number, id DESC \
                 LIMIT {limit}) AS b{}",
                branches.len()
            )
        } else {
            arm
        });
    };
    if !digits.is_empty() {
        let ids: Vec<String> = digits.iter().map(i64::to_string).collect();
        branch(format!("id IN ({})", ids.join(", ")), None, level.of_ids());
    }
    for name in names {
        branch(
            name.field.condition("= ?"),
            Some(&name.name),
            (level.of_names(), Vec::new()),
        );
    }
    if branches.is_empty() {
        return (String::new(), binds);
    }
    let sql = format!(
        "{} ORDER BY 1, 2, 3 DESC LIMIT {limit}",
        branches.join(" UNION ALL ")
    );
    (sql, binds)
}

/// A row of the merge: `ended` and `number` are selected only because a compound `ORDER BY`
/// must name result columns.
#[derive(QueryableByName)]
#[allow(dead_code)]
struct Ordered {
    #[diesel(sql_type = Bool)]
    ended: bool,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Runs `sql`, whose `?` are `texts` in order (PostgreSQL numbers them `$1`, `$2`, …).
fn load<R>(conn: &mut DbConnection, sql: &str, texts: &[String]) -> QueryResult<Vec<R>>
where
    R: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    match conn {
        DbConnection::Sqlite(c) => texts
            .iter()
            .fold(diesel::sql_query(sql).into_boxed(), |q, t| {
                q.bind::<Text, _>(t.clone())
            })
            .load(c),
        DbConnection::Postgresql(c) => {
            let mut numbered = String::with_capacity(sql.len() + 2 * texts.len());
            for (at, part) in sql.split('?').enumerate() {
                if at > 0 {
                    numbered.push_str(&format!("${at}"));
                }
                numbered.push_str(part);
            }
            texts
                .iter()
                .fold(diesel::sql_query(numbered).into_boxed(), |q, t| {
                    q.bind::<Text, _>(t.clone())
                })
                .load(c)
        }
    }
}

fn as_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
