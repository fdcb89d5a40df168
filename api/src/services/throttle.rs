//! Sign-in throttling that cannot be used to lock people out or to find accounts.
//!
//! Failures are counted per (what signs in, client address): a portal email, or a client's
//! provider and user id, with the address the attempt came from. A stranger's guesses lock out
//! only the stranger's address; the account's owner signs in from elsewhere as before. An email
//! or user id that names nobody is counted exactly like one that does, so a lock tells nothing.
//! Each attempt is reserved (counted, and the lock it would earn set) before the password is
//! checked, in a transaction that holds the key's row, so parallel guesses cannot get past the
//! limit; a success clears the key. Failures are forgotten after an hour without one.

use chrono::{NaiveDateTime, TimeDelta};
use cpaas_shared::ErrorCode;
use diesel::Connection;

use crate::db::DbConnection;
use crate::db::models::throttle::{self, Throttle};
use crate::error::ApiError;

/// Failed sign-ins allowed before the key is locked for a while.
pub const FREE_ATTEMPTS: i32 = 5;
/// Longest lock, in minutes.
const MAX_LOCK_MINUTES: i64 = 60;
/// Failures older than this, with none since, are forgotten.
const FORGET_AFTER: TimeDelta = TimeDelta::hours(1);

/// How long to refuse sign-in after `failures` failures: nothing for the first
/// [`FREE_ATTEMPTS`], then 1, 2, 4 … minutes up to an hour.
pub fn lock_after(failures: i32) -> Option<TimeDelta> {
    let over = failures - FREE_ATTEMPTS;
    (over >= 0).then(|| TimeDelta::minutes((1_i64 << over.min(6)).min(MAX_LOCK_MINUTES)))
}

/// The stored key of a sign-in identity tried from `address` (a hash: no emails or addresses
/// are kept in the clear).
pub fn key(parts: &[&str], address: &str) -> String {
    let mut joined = parts.join("\u{1f}");
    joined.push('\u{1f}');
    joined.push_str(address);
    crate::services::sessions::digest(&joined)
}

/// Reserves one attempt for `key`: refused with `429 too_many_attempts` while the key is
/// locked; otherwise counted as a failure (with the lock it earns) until [`succeeded`].
pub fn reserve(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    // Its own transaction (a savepoint inside the caller's), so the row lock holds until the
    // attempt is counted on both databases.
    conn.transaction(|conn| reserve_locked(conn, key, now))
}

fn reserve_locked(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    let mut row = throttle::lock(conn, key, now)?;
    if row.updated_at + FORGET_AFTER < now {
        row = Throttle {
            failures: 0,
            locked_until: None,
            updated_at: now,
        };
    }
    if let Some(until) = row.locked_until
        && until > now
    {
        return Err(too_many_attempts(until, now));
    }
    let failures = row.failures + 1;
    throttle::save(
        conn,
        key,
        Throttle {
            failures,
            locked_until: lock_after(failures).map(|lock| now + lock),
            updated_at: now,
        },
    )?;
    Ok(())
}

/// A reserved attempt signed in: the key starts afresh (and long-quiet keys are forgotten).
pub fn succeeded(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    throttle::forget(conn, key, now - FORGET_AFTER)?;
    Ok(())
}

pub fn too_many_attempts(until: NaiveDateTime, now: NaiveDateTime) -> ApiError {
    let seconds = (until - now).num_seconds().max(1);
    ApiError::new(
        ErrorCode::TooManyAttempts,
        format!("Too many failed sign-ins: try again in {seconds} seconds."),
    )
    .with_retry_after(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_after_the_free_attempts() {
        assert_eq!(lock_after(4), None);
        assert_eq!(lock_after(5), Some(TimeDelta::minutes(1)));
        assert_eq!(lock_after(6), Some(TimeDelta::minutes(2)));
        assert_eq!(lock_after(8), Some(TimeDelta::minutes(8)));
        assert_eq!(lock_after(40), Some(TimeDelta::minutes(60)));
    }

    #[test]
    fn keys_differ_by_identity_and_address_and_hide_both() {
        let a = key(&["portal", "a@example.com"], "192.0.2.1");
        assert_ne!(a, key(&["portal", "a@example.com"], "192.0.2.2"));
        assert_ne!(a, key(&["portal", "b@example.com"], "192.0.2.1"));
        assert_ne!(a, key(&["client", "a@example.com"], "192.0.2.1"));
        assert!(!a.contains("example") && !a.contains("192"));
    }
}
