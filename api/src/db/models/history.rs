//! The history table: append-only, read newest first by organization subtree.

use chrono::NaiveDateTime;
use cpaas_shared::{FieldChange, HistoryAction, HistoryEntry};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::organization::subtree_bounds;
use crate::db::models::page_offset;
use crate::db::models::rfc3339;
use crate::db::schema::history;

/// What to append. `scope_path` is the path of the organization the object belongs to.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub at: NaiveDateTime,
    pub account_id: Option<i64>,
    pub actor: &'a str,
    /// The acting account's reach: its organization's path, `/` for an operator.
    pub actor_path: Option<&'a str>,
    pub scope_path: &'a str,
    pub object_kind: &'a str,
    pub object_id: i64,
    pub action: HistoryAction,
    pub summary: String,
    pub changes: Vec<FieldChange>,
}

pub fn insert(conn: &mut DbConnection, entry: NewEntry<'_>) -> QueryResult<()> {
    let changes = serde_json::to_string(&entry.changes)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(history::table)
        .values((
            history::at.eq(entry.at),
            history::account_id.eq(entry.account_id),
            history::actor.eq(entry.actor),
            history::actor_path.eq(entry.actor_path),
            history::scope_path.eq(entry.scope_path),
            history::object_kind.eq(entry.object_kind),
            history::object_id.eq(entry.object_id),
            history::action.eq(entry.action.as_str()),
            history::summary.eq(&entry.summary),
            history::changes.eq(changes),
        ))
        .execute(conn)
        .map(drop)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = history)]
struct Row {
    id: i64,
    at: NaiveDateTime,
    actor: String,
    actor_path: Option<String>,
    object_kind: String,
    object_id: i64,
    action: String,
    summary: String,
    changes: String,
}

/// A listed entry with whose reach it was made from.
pub struct Listed {
    pub entry: HistoryEntry,
    /// [`NewEntry::actor_path`]; `Some("")` for an account whose reach is unknown (deleted
    /// before reaches were recorded).
    pub actor_path: Option<String>,
}

impl Row {
    fn into_listed(self) -> Listed {
        let actor_path = self.actor_path.clone();
        Listed {
            entry: self.into_api(),
            actor_path,
        }
    }

    fn into_api(self) -> HistoryEntry {
        HistoryEntry {
            id: self.id,
            at: rfc3339(self.at),
            actor: self.actor,
            object_kind: self.object_kind,
            object_id: self.object_id,
            action: HistoryAction::parse(&self.action).unwrap_or(HistoryAction::Update),
            summary: self.summary,
            changes: serde_json::from_str(&self.changes).unwrap_or_default(),
        }
    }
}

/// Which entries to list.
#[derive(Debug, Clone, Copy)]
pub enum Filter<'a> {
    /// Everything at an organization path and below.
    Below(&'a str),
    /// Everything about one object (`object_kind`, `object_id`).
    About(&'a str, i64),
}

/// Entries matching `filter`, newest first, optionally of one action; with the total.
pub fn list(
    conn: &mut DbConnection,
    filter: Filter<'_>,
    action: Option<HistoryAction>,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<Listed>, u64)> {
    let filtered = || {
        let mut query = history::table.into_boxed();
        match filter {
            Filter::Below(path) => {
                let (lower, upper) = subtree_bounds(path);
                query = query
                    .filter(history::scope_path.ge(lower))
                    .filter(history::scope_path.lt(upper));
            }
            Filter::About(kind, id) => {
                query = query
                    .filter(history::object_kind.eq(kind.to_owned()))
                    .filter(history::object_id.eq(id));
            }
        }
        if let Some(action) = action {
            query = query.filter(history::action.eq(action.as_str()));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<Row> = filtered()
        .order(history::id.desc())
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select(Row::as_select())
        .load(conn)?;
    Ok((
        rows.into_iter().map(Row::into_listed).collect(),
        u64::try_from(total).unwrap_or_default(),
    ))
}
