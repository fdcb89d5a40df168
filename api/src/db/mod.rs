//! Database access: one code base for SQLite and PostgreSQL through `diesel::MultiConnection`,
//! an r2d2 pool whose manager picks the backend from the URL scheme, and embedded migrations
//! per backend (identical version names in `migrations/sqlite` and `migrations/postgres`).

mod connection;
pub mod models;
pub mod schema;
pub mod sql;

use std::path::PathBuf;
use std::time::Duration;

use cpaas_shared::DatabaseBackend;
use diesel::r2d2::{self, Pool};
use secrecy::SecretString;

pub use connection::{ConnectionManager, DatabaseTarget, DbConnection, establish};

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// How long a request waits for a pooled connection before answering 503.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// Failure to open, migrate or use the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Setup(String),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("the database task was cancelled")]
    Canceled,
}

/// The pool plus what callers need to know about it. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager>,
    /// Where the pool connects, for [`Db::sibling`].
    target: DatabaseTarget,
    backend: DatabaseBackend,
    /// The SQLite file, checked by [`Db::readiness`]: if it is deleted under a running
    /// process, writes go to an unlinked file and are lost at the next start.
    sqlite_file: Option<std::path::PathBuf>,
}

fn pool_of(target: &DatabaseTarget, pool_size: u32) -> Pool<ConnectionManager> {
    Pool::builder()
        .max_size(pool_size.max(1))
        .min_idle(Some(1))
        .connection_timeout(POOL_TIMEOUT)
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(target.clone()))
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Opens the database named by `url`, applies pending migrations and builds the pool.
    /// Blocking. A connection failure reports the driver's own error (never a pool timeout).
    pub fn connect(url: &SecretString, pool_size: u32) -> Result<Self, DbError> {
        let target = DatabaseTarget::parse(url)?;
        let backend = target.backend();
        let sqlite_file = match &target {
            DatabaseTarget::Sqlite(path) => Some(path.clone()),
            DatabaseTarget::Postgres(_) => None,
        };
        let mut conn = establish(&target)?;
        if let Some(file) = &sqlite_file {
            // The database holds sealed secrets and messages: its owner's alone.
            for suffix in ["", "-wal", "-shm"] {
                let mut name = file.clone().into_os_string();
                name.push(suffix);
                let path = PathBuf::from(name);
                if path.exists() {
                    crate::keys::restrict(&path, 0o600).map_err(|e| {
                        DbError::Setup(format!("cannot restrict {}: {e}", path.display()))
                    })?;
                }
            }
        }
        run_migrations(&mut conn)?;
        Ok(Self {
            pool: pool_of(&target, pool_size),
            target,
            backend,
            sqlite_file,
        })
    }

    /// Another pool of `pool_size` on the same database, for work that must not compete with
    /// this pool's (the setup and migrations were done by [`Db::connect`]).
    pub fn sibling(&self, pool_size: u32) -> Self {
        Self {
            pool: pool_of(&self.target, pool_size),
            ..self.clone()
        }
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.backend
    }

    /// The pool's connections: (in use, idle).
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (
            state.connections - state.idle_connections,
            state.idle_connections,
        )
    }

    /// Whether the database can serve: the SQLite file is still there and a query on the
    /// migrations table answers. Returns the schema version.
    pub async fn readiness(&self) -> Result<String, DbError> {
        if let Some(file) = &self.sqlite_file
            && !file.is_file()
        {
            return Err(DbError::Setup(format!(
                "the SQLite database file {} no longer exists",
                file.display()
            )));
        }
        self.run(schema_version).await
    }

    /// Runs blocking database work on the blocking thread pool with a pooled connection.
    /// The closure owns its transaction; never call out (carrier, SMTP) from inside it.
    ///
    /// On SQLite the work runs inside `BEGIN IMMEDIATE`: a transaction that read before it
    /// wrote would otherwise fail with `SQLITE_BUSY` when another connection committed in
    /// between; this way writers queue (busy_timeout) instead. The closure's own
    /// transactions become savepoints.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.pooled("BEGIN IMMEDIATE", f).await
    }

    /// Read-only work, as [`Db::run`] but without the write lock: on SQLite it runs in a
    /// deferred transaction (one WAL snapshot), so reads go on while another connection writes
    /// and never queue behind writers. Never write from it.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.pooled("BEGIN DEFERRED", f).await
    }

    /// `f` with a pooled connection on the blocking pool, inside `begin` on SQLite.
    async fn pooled<T, E, F>(&self, begin: &'static str, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            on_sqlite(&mut conn, begin, f)
        })
        .await
        .map_err(|_| DbError::Canceled)?
    }
}

/// Applies the pending migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| DbError::Setup(format!("migration failed: {e}")))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// The newest applied migration version (a real query against the migrations table).
pub fn schema_version(conn: &mut DbConnection) -> Result<String, DbError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.applied_migrations(),
        DbConnection::Postgresql(c) => c.applied_migrations(),
    }
    .map_err(|e| DbError::Setup(format!("cannot read the applied migrations: {e}")))?;
    applied
        .iter()
        .map(ToString::to_string)
        .max()
        .ok_or_else(|| DbError::Setup("no migration has been applied".to_owned()))
}

/// `f` inside `begin … COMMIT` on SQLite (rolled back when it fails); as it is on
/// PostgreSQL.
fn on_sqlite<T, E, F>(conn: &mut DbConnection, begin: &str, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConnection::Sqlite(lite) = conn else {
        return f(conn);
    };
    AnsiTransactionManager::begin_transaction_sql(lite, begin).map_err(DbError::from)?;
    let result = f(conn);
    let DbConnection::Sqlite(lite) = conn else {
        return result;
    };
    match result {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(lite).map_err(DbError::from)?;
            Ok(value)
        }
        Err(err) => {
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(lite) {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(err)
        }
    }
}
