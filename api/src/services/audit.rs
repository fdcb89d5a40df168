//! Writes history entries (R23) for changes made by a signed-in portal account, inside the
//! caller's transaction.

use chrono::Utc;
use cpaas_shared::{FieldChange, HistoryAction};
use diesel::QueryResult;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::history::{self, NewEntry};

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
            scope_path: subject.scope_path,
            object_kind: subject.kind,
            object_id: subject.id,
            action,
            summary: format!("{} {verb}", subject.label),
            changes,
        },
    )
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
