//! Reads per second on SQLite while another connection keeps writing. The read is what every
//! request's extractor does (load the signed-in account and its organization). The baseline
//! runs it as every unit of work used to run, inside `BEGIN IMMEDIATE` (`Db::run`, the write
//! lock); then as read-only work runs now, in a deferred WAL snapshot (`Db::read`). Both in the
//! same invocation, against the same writer; the ratio is what counts.
//!
//!     cargo bench -p cpaas-api --bench sqlite_reads     # BENCH_SECONDS per mode (default 5)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cpaas_api::auth::PortalUser;
use cpaas_api::db::{self, DatabaseTarget, Db};
use cpaas_api::error::ApiError;
use diesel::connection::SimpleConnection;
use secrecy::SecretString;

const READERS: usize = 8;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    WriteLocked,
    Snapshot,
}

/// Reads per second and failed reads over `seconds` with `READERS` concurrent readers.
async fn measure(db: &Db, account: i64, mode: Mode, seconds: u64) -> (f64, u64) {
    let (done, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut readers = Vec::new();
    for _ in 0..READERS {
        let (db, done, failed) = (db.clone(), done.clone(), failed.clone());
        readers.push(tokio::spawn(async move {
            while Instant::now() < until {
                let load = move |conn: &mut db::DbConnection| PortalUser::load(conn, account);
                let read: Result<_, ApiError> = match mode {
                    Mode::WriteLocked => db.run(load).await,
                    Mode::Snapshot => db.read(load).await,
                };
                match read {
                    Ok(Some(_)) => done.fetch_add(1, Ordering::Relaxed),
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for reader in readers {
        reader.await.expect("reader");
    }
    let rate = done.load(Ordering::Relaxed) as f64 / seconds as f64;
    (rate, failed.load(Ordering::Relaxed))
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = SecretString::from(format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ));
    let db = Db::connect(&url, 8).expect("database");
    let account = db
        .run(|conn| {
            cpaas_api::services::accounts::create_admin(
                conn,
                "bench@kakapo.example",
                "a bench password",
                Some("Bench"),
                false,
            )
        })
        .await
        .expect("an account")
        .id;
    println!("SQLite reads with a concurrent writer ({READERS} readers, {seconds} s per mode)");
    // The writer: write transactions back to back, each holding the write lock for `hold`:
    // short ones (recording an import line) and long ones (a bulk change).
    for hold in [Duration::ZERO, Duration::from_millis(50)] {
        let writing = Arc::new(AtomicBool::new(true));
        let writer = {
            let (writing, target) = (writing.clone(), DatabaseTarget::parse(&url).expect("url"));
            std::thread::spawn(move || {
                let mut conn = db::establish(&target).expect("writer connection");
                let mut writes = 0_u64;
                while writing.load(Ordering::Relaxed) {
                    let began = conn.batch_execute(
                        "BEGIN IMMEDIATE; UPDATE organizations SET name = name; \
                         UPDATE portal_accounts SET updated_at = updated_at;",
                    );
                    std::thread::sleep(hold);
                    if began.is_ok() && conn.batch_execute("COMMIT;").is_ok() {
                        writes += 1;
                    } else {
                        let _ = conn.batch_execute("ROLLBACK;");
                    }
                    std::thread::sleep(Duration::from_micros(500));
                }
                writes
            })
        };
        let (locked, locked_failed) = measure(&db, account, Mode::WriteLocked, seconds).await;
        let (snapshot, snapshot_failed) = measure(&db, account, Mode::Snapshot, seconds).await;
        writing.store(false, Ordering::Relaxed);
        let writes = writer.join().expect("writer");
        let ratio = snapshot / locked.max(1.0);
        println!(
            "writes holding the lock {} ms ({writes} writes)",
            hold.as_millis()
        );
        println!(
            "  baseline, under the write lock (Db::run): {locked:>8.0} reads/s ({locked_failed} failed) 1.00x"
        );
        println!(
            "  read-only snapshot (Db::read):            {snapshot:>8.0} reads/s ({snapshot_failed} failed) {ratio:.2}x"
        );
    }
}
