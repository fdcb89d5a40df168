//! Job wake-ups across nodes. On PostgreSQL, enqueuing (or releasing) a job sends a `NOTIFY`
//! inside the same transaction (`db::models::job`), delivered at commit; every node listens on
//! a connection of its own and wakes its worker, so a job committed on one node starts on
//! another at once rather than at that node's next poll. SQLite serves one node, whose worker
//! is woken in-process.

use std::sync::Arc;
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{Notify, watch};

use crate::db::models::job::WAKEUP_CHANNEL;
/// How often the listening connection reads what the server sent: a local socket read, no
/// round trip.
const READ_EVERY: Duration = Duration::from_millis(50);
/// Wait before connecting again after the listening connection failed.
const RECONNECT_AFTER: Duration = Duration::from_secs(2);

/// Listens for announced work on the PostgreSQL database at `url` and wakes `worker`, until
/// `stop` turns true. Runs on a thread of its own, with a connection outside the pools.
pub fn listen(url: SecretString, worker: Arc<Notify>, stop: watch::Receiver<bool>) {
    std::thread::Builder::new()
        .name("cpaas-job-listener".to_owned())
        .spawn(move || {
            while !*stop.borrow() {
                match PgConnection::establish(url.expose_secret()) {
                    Ok(mut conn) => {
                        if let Err(err) = relay(&mut conn, &worker, &stop) {
                            tracing::warn!(error = %err, "job wake-ups interrupted; reconnecting");
                        }
                    }
                    Err(err) => tracing::warn!(error = %err, "job wake-ups cannot connect"),
                }
                if !*stop.borrow() {
                    std::thread::sleep(RECONNECT_AFTER);
                }
            }
        })
        .map(drop)
        .unwrap_or_else(|err| tracing::warn!(error = %err, "no job wake-up listener"));
}

/// `LISTEN`s, then wakes `worker` for every batch of notifications until `stop` or an error.
fn relay(
    conn: &mut PgConnection,
    worker: &Notify,
    stop: &watch::Receiver<bool>,
) -> diesel::QueryResult<()> {
    diesel::sql_query(format!("LISTEN {WAKEUP_CHANNEL}")).execute(conn)?;
    // Whatever was committed while this node was not listening is found by the worker's poll.
    worker.notify_one();
    while !*stop.borrow() {
        let mut woken = false;
        for notification in conn.notifications_iter() {
            notification?;
            woken = true;
        }
        if woken {
            worker.notify_one();
        }
        std::thread::sleep(READ_EVERY);
    }
    Ok(())
}
