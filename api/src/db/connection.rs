//! The connection type for both backends and an r2d2 manager that picks one by URL scheme.

use std::path::PathBuf;

use cpaas_shared::DatabaseBackend;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use secrecy::{ExposeSecret, SecretString};

use super::DbError;

/// One connection, to whichever backend the URL named.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgresql(PgConnection),
}

/// Per-connection SQLite settings: WAL for concurrent readers, a busy timeout instead of
/// immediate `SQLITE_BUSY`, enforced foreign keys, and full fsync on commit (every
/// acknowledged write is durable).
/// The busy timeout comes first so that the journal-mode switch waits for other connections.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";

/// What a database URL points at.
#[derive(Clone)]
pub enum DatabaseTarget {
    Sqlite(PathBuf),
    Postgres(SecretString),
}

impl std::fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(_) => f.write_str("Postgres(..)"),
        }
    }
}

impl DatabaseTarget {
    /// `sqlite://relative/file.db`, `sqlite:///absolute/file.db`, `sqlite:file.db`,
    /// `postgres://…` or `postgresql://…`.
    pub fn parse(url: &SecretString) -> Result<Self, DbError> {
        let raw = url.expose_secret().trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(SecretString::from(raw.to_owned())));
        }
        if let Some(rest) = raw.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(DbError::Setup(
                    "the SQLite database URL names no file (expected sqlite://path/to/file.db)"
                        .to_owned(),
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        let scheme = raw.split(':').next().unwrap_or_default();
        Err(DbError::Setup(format!(
            "unsupported database URL scheme {scheme:?}: use sqlite://FILE or postgres://…"
        )))
    }

    pub fn backend(&self) -> DatabaseBackend {
        match self {
            Self::Sqlite(_) => DatabaseBackend::Sqlite,
            Self::Postgres(_) => DatabaseBackend::Postgresql,
        }
    }
}

/// Opens one connection (creating a missing SQLite file), reporting the driver's error with
/// what was being opened. For start-up and one-shot commands; the pool never creates files.
pub fn establish(target: &DatabaseTarget) -> Result<DbConnection, DbError> {
    connect(target, Create::Yes).map_err(|e| match target {
        DatabaseTarget::Sqlite(path) => DbError::Setup(format!(
            "cannot open the SQLite database {}: {e}",
            path.display()
        )),
        DatabaseTarget::Postgres(_) => DbError::Setup(format!(
            "cannot connect to PostgreSQL: {}",
            e.to_string().trim()
        )),
    })
}

/// Whether opening a SQLite database may create its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Create {
    Yes,
    /// A pooled connection: if the file has gone, fail instead of silently starting an
    /// empty database.
    No,
}

fn connect(target: &DatabaseTarget, create: Create) -> Result<DbConnection, ConnectionError> {
    match target {
        DatabaseTarget::Sqlite(path) => {
            let path = path.to_str().ok_or_else(|| {
                ConnectionError::InvalidConnectionUrl("the path is not valid UTF-8".to_owned())
            })?;
            let mut conn = match create {
                Create::Yes => SqliteConnection::establish(path)?,
                Create::No => SqliteConnection::establish(&read_write_uri(path))?,
            };
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Sqlite(conn))
        }
        DatabaseTarget::Postgres(url) => Ok(DbConnection::Postgresql(PgConnection::establish(
            url.expose_secret(),
        )?)),
    }
}

/// A `file:` URI that opens `path` read-write but never creates it.
fn read_write_uri(path: &str) -> String {
    let mut uri = String::from("file:");
    for c in path.chars() {
        match c {
            '%' | '?' | '#' | ' ' => uri.push_str(&format!("%{:02X}", u32::from(c))),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=rw");
    uri
}

/// r2d2 manager: connects to the parsed target; a connection is valid if `SELECT 1` answers.
#[derive(Debug)]
pub struct ConnectionManager {
    target: DatabaseTarget,
}

impl ConnectionManager {
    pub fn new(target: DatabaseTarget) -> Self {
        Self { target }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        connect(&self.target, Create::No).map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Sqlite(c) => c.is_broken(),
            DbConnection::Postgresql(c) => c.is_broken(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<DatabaseTarget, DbError> {
        DatabaseTarget::parse(&SecretString::from(url.to_owned()))
    }

    #[test]
    fn parses_sqlite_forms() {
        for (url, path) in [
            ("sqlite://data/cpaas.db", "data/cpaas.db"),
            ("sqlite:///var/lib/cpaas.db", "/var/lib/cpaas.db"),
            ("sqlite:cpaas.db", "cpaas.db"),
        ] {
            match parse(url) {
                Ok(DatabaseTarget::Sqlite(p)) => assert_eq!(p, PathBuf::from(path), "{url}"),
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    #[test]
    fn picks_postgres_by_scheme_and_hides_the_url() {
        let target = parse("postgresql://u:hunter2@db/cpaas").expect("parses");
        assert_eq!(target.backend(), DatabaseBackend::Postgresql);
        assert!(!format!("{target:?}").contains("hunter2"));
    }

    #[test]
    fn rejects_other_schemes_naming_the_scheme_only() {
        let err = parse("mysql://root:hunter2@db/x").expect_err("unsupported");
        let text = err.to_string();
        assert!(text.contains("\"mysql\""), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(parse("sqlite://").is_err());
    }

    #[test]
    fn sqlite_connection_has_the_pragmas() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = DatabaseTarget::Sqlite(dir.path().join("t.db"));
        let DbConnection::Sqlite(mut conn) = establish(&target).expect("opens") else {
            panic!("not sqlite");
        };
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        use diesel::RunQueryDsl;
        let row: Row = diesel::sql_query("PRAGMA journal_mode")
            .get_result(&mut conn)
            .expect("pragma");
        assert_eq!(row.journal_mode, "wal");
    }

    #[test]
    fn pooled_sqlite_connections_never_create_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("odd name?#%.db");
        let target = DatabaseTarget::Sqlite(file.clone());
        let manager = ConnectionManager::new(target.clone());
        use diesel::r2d2::ManageConnection;
        assert!(manager.connect().is_err(), "missing file");
        assert!(!file.exists(), "not created");
        establish(&target).expect("start-up creates it");
        assert!(
            manager.connect().is_ok(),
            "then the pool opens the same file"
        );
    }

    #[test]
    fn sqlite_open_failure_names_the_file() {
        let target = DatabaseTarget::Sqlite(PathBuf::from("/nonexistent-dir/x/cpaas.db"));
        let err = establish(&target).err().expect("cannot open");
        let text = err.to_string();
        assert!(text.contains("/nonexistent-dir/x/cpaas.db"), "{text}");
        assert!(text.contains("unable to open"), "{text}");
    }
}
