//! Writes history entries (R23) for changes made by a signed-in portal account, inside the
//! caller's transaction.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::Utc;
use cpaas_shared::{FieldChange, HistoryAction, HistoryEntry};
use diesel::QueryResult;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::history::{self, Listed, NewEntry};
use crate::db::models::organization;

/// What a change was about: the organization path it belongs to, its kind and id, and how to
/// name it in a summary ("Reseller North", "User Chris Tutt (chris)").
pub struct Subject<'a> {
    pub scope_path: &'a str,
    pub kind: &'a str,
    pub id: i64,
    pub label: String,
}

/// Appends "`label` created/updated/deleted" by `user` with its field changes.
pub fn record(
    conn: &mut DbConnection,
    user: &PortalUser,
    subject: Subject<'_>,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> QueryResult<()> {
    let verb = match action {
        HistoryAction::Create => "created",
        HistoryAction::Delete => "deleted",
        HistoryAction::Update => "updated",
        HistoryAction::SignIn => "signed in",
    };
    history::insert(
        conn,
        NewEntry {
            at: Utc::now().naive_utc(),
            account_id: Some(user.account.id),
            actor: &user.account.email,
            actor_path: Some(&user.scope),
            scope_path: subject.scope_path,
            object_kind: subject.kind,
            object_id: subject.id,
            action,
            summary: format!("{} {verb}", subject.label),
            changes,
        },
    )
}

/// The entries as `reader` may see them: a change made from above the reader's level (by an
/// account whose reach holds the reader's) names no upstream account, only "an administrator of
/// <organization>" ("an operator" for the hosting company's).
pub fn as_seen_by(
    conn: &mut DbConnection,
    reader: &PortalUser,
    listed: Vec<Listed>,
) -> QueryResult<Vec<HistoryEntry>> {
    let mut names = HashMap::new();
    let mut shown = Vec::with_capacity(listed.len());
    for Listed {
        mut entry,
        actor_path,
    } in listed
    {
        match actor_path.as_deref() {
            // By an account whose reach is unknown (deleted before reaches were recorded):
            // named only to provider-level readers and operators.
            Some("") if reader.scope.matches('/').count() > 2 => {
                entry.actor = "an administrator".to_owned();
            }
            Some(path)
                if !path.is_empty() && path != reader.scope && reader.scope.starts_with(path) =>
            {
                entry.actor = upstream(conn, &mut names, path)?;
            }
            _ => {}
        }
        shown.push(entry);
    }
    Ok(shown)
}

/// How a reader below `path` sees an account acting from there.
fn upstream(
    conn: &mut DbConnection,
    names: &mut HashMap<i64, String>,
    path: &str,
) -> QueryResult<String> {
    let Some(id) = organization::id_of_path(path) else {
        return Ok("an operator".to_owned());
    };
    let name = match names.entry(id) {
        Entry::Occupied(known) => known.into_mut(),
        Entry::Vacant(new) => new.insert(organization::find(conn, id)?.name),
    };
    Ok(format!("an administrator of {name}"))
}

/// The changes between two snapshots of named optional values.
pub fn diff<const N: usize>(
    fields: [(&str, Option<String>, Option<String>); N],
) -> Vec<FieldChange> {
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| FieldChange {
            field: field.to_owned(),
            old,
            new,
        })
        .collect()
}
