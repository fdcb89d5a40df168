//! Writes history entries (R23) for changes made by a signed-in portal account, inside the
//! caller's transaction.

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
    let mut names = std::collections::HashMap::new();
    listed
        .into_iter()
        .map(
            |Listed {
                 mut entry,
                 actor_path,
                 by_account,
             }| {
                match actor_path.as_deref() {
                    Some(path) if path != reader.scope && reader.scope.starts_with(path) => {
                        entry.actor = match organization::id_of_path(path) {
                            None => "an operator".to_owned(),
                            Some(id) => {
                                if !names.contains_key(&id) {
                                    names.insert(id, organization::find(conn, id)?.name);
                                }
                                format!("an administrator of {}", names[&id])
                            }
                        };
                    }
                    // By an account whose reach was not recorded (since deleted): named only to
                    // provider-level readers and operators, who see every account of the provider.
                    None if by_account && reader.scope.matches('/').count() > 2 => {
                        entry.actor = "an administrator".to_owned();
                    }
                    _ => {}
                }
                Ok(entry)
            },
        )
        .collect()
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
