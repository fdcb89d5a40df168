//! Test harness: [`TestApp`] runs the real api on port 0 against its own database (a temp
//! SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` names a server), and
//! [`webdriver`] drives headless Chromium through chromedriver.

pub mod bulk;
pub mod logs;
pub mod smtp;
pub mod webdriver;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cpaas_api::db::{self, DatabaseTarget, DbConnection};
use cpaas_api::{Application, Settings};
use cpaas_shared::DatabaseBackend;
use diesel::connection::SimpleConnection;
use secrecy::{ExposeSecret, SecretString};
use tempfile::TempDir;

/// The repository root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    /// The built-in carrier simulator's base URL (control API under `/control`).
    pub simulator: String,
    pub backend: DatabaseBackend,
    pub client: reqwest::Client,
    /// The running api's state (its database pools, for the tests of how they are shared).
    pub state: actix_web::web::Data<cpaas_api::state::AppState>,
    database_url: SecretString,
    database_name: Option<String>,
    data_dir: TempDir,
    /// The configured key for secrets at rest; `None`: the development key in `data_dir`.
    secret_key: Option<SecretString>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns the api after `configure` has changed its settings.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        logs::install();
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let (database_url, database_name) = match std::env::var("TEST_DATABASE_URL") {
            Ok(server) => {
                let (url, name) = tokio::task::spawn_blocking(move || fresh_pg_database(&server))
                    .await
                    .expect("database setup task");
                (url, Some(name))
            }
            Err(_) => (
                SecretString::from(format!(
                    "sqlite://{}",
                    data_dir.path().join("cpaas.db").display()
                )),
                None,
            ),
        };
        let mut settings = Settings {
            bind: "127.0.0.1:0".to_owned(),
            data_dir: data_dir.path().to_path_buf(),
            database_url: Some(database_url.clone()),
            web_dir: workspace_root().join("web/dist"),
            simulator_provisioning_delay_ms: 0,
            carrier_timeout_seconds: 2,
            ..Settings::default()
        };
        configure(&mut settings);
        // A production configuration (PostgreSQL, the real carrier) is refused without
        // configured secrets; local ones keep the development secrets in the data directory.
        if settings.production().is_some() {
            let random = || Some(SecretString::from(random_hex()));
            settings.jwt_secret = settings.jwt_secret.take().or_else(random);
            settings.secret_key = settings.secret_key.take().or_else(random);
        }
        let secret_key = settings.secret_key.clone();
        let app = Application::build(settings).await.expect("the api builds");
        let port = app.port();
        let backend = app.backend();
        let state = app.state();
        let simulator = format!(
            "http://127.0.0.1:{}",
            app.simulator_port().unwrap_or_default()
        );
        tokio::spawn(app.run_until_stopped());
        Self {
            address: format!("http://127.0.0.1:{port}"),
            port,
            simulator,
            backend,
            state,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                // Well under the server's keep-alive (5 s): a connection it may be closing is
                // never reused, which would fail a request after a slow step of a test.
                .pool_idle_timeout(Duration::from_secs(2))
                .build()
                .expect("http client"),
            database_url,
            database_name,
            data_dir,
            secret_key,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// A call to the built-in simulator's control API (`/control/…`).
    pub async fn simulator(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let mut req = self
            .client
            .request(method, format!("{}/control{path}", self.simulator));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("simulator reached");
        assert!(
            res.status().is_success(),
            "simulator {path}: {}",
            res.status()
        );
        res.json().await.expect("simulator answer")
    }

    /// The app's data directory (SQLite file, development keys, mail spool).
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The app's key for secrets at rest (configured, or the development key in its data
    /// directory).
    pub fn secret_box(&self) -> cpaas_api::crypto::SecretBox {
        cpaas_api::crypto::SecretBox::load(self.secret_key.as_ref(), self.data_dir.path())
            .expect("the app's key")
    }

    /// The webhook token the carrier holds for `platform` (the simulator never shows it: read
    /// the platform's sealed copy), once its first number's provisioning has set it.
    pub async fn webhook_token(&self, platform: i64) -> String {
        use cpaas_api::db::models::platform as platforms;
        use cpaas_api::services::provisioning;
        eventually(
            Duration::from_secs(20),
            "the platform's webhook token",
            || async {
                let row = platforms::find(&mut self.connect(), platform).ok()?;
                let token = provisioning::stored_webhook_token(&row, &self.secret_box()).ok()??;
                Some(token.expose_secret().to_owned())
            },
        )
        .await
    }

    /// The raw bytes of the SQLite database (file and WAL), to look for plaintext secrets;
    /// `None` on PostgreSQL.
    pub fn sqlite_bytes(&self) -> Option<Vec<u8>> {
        if self.backend != DatabaseBackend::Sqlite {
            return None;
        }
        let mut bytes = Vec::new();
        for name in ["cpaas.db", "cpaas.db-wal"] {
            if let Ok(mut content) = std::fs::read(self.data_dir.path().join(name)) {
                bytes.append(&mut content);
            }
        }
        Some(bytes)
    }

    /// An authenticated request with an optional JSON body.
    pub async fn call(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request sent")
    }

    /// A provider-level admin (as `cpaas create-admin` makes one); returns its account id.
    pub fn create_admin(&self, email: &str, password: &str, provider: &str) -> i64 {
        self.admin(email, password, provider, false)
    }

    /// An operator (`cpaas create-admin --operator`): sees and manages every provider.
    pub fn create_operator(&self, email: &str, password: &str, provider: &str) -> i64 {
        self.admin(email, password, provider, true)
    }

    fn admin(&self, email: &str, password: &str, provider: &str, operator: bool) -> i64 {
        let mut conn = self.connect();
        cpaas_api::services::accounts::create_admin(
            &mut conn,
            email,
            password,
            Some(provider),
            operator,
        )
        .expect("admin created")
        .id
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request sent")
    }

    /// Signs in: the token and the account.
    pub async fn session(&self, email: &str, password: &str) -> cpaas_shared::LoginResponse {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), reqwest::StatusCode::OK, "sign-in of {email}");
        res.json().await.expect("login response")
    }

    /// Signs in and returns the bearer token.
    pub async fn token(&self, email: &str, password: &str) -> String {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), reqwest::StatusCode::OK, "sign-in of {email}");
        let body: cpaas_shared::LoginResponse = res.json().await.expect("login response");
        body.access_token
    }

    /// A separate connection to the app's database, for checks the API does not expose.
    pub fn connect(&self) -> DbConnection {
        let target = DatabaseTarget::parse(&self.database_url).expect("test url parses");
        db::establish(&target).expect("test connection")
    }

    /// Takes the database away from the running app: on PostgreSQL, refuses new connections and
    /// terminates the app's; on SQLite, deletes the database file.
    pub fn make_database_unavailable(&self) {
        match (&self.database_name, std::env::var("TEST_DATABASE_URL")) {
            (Some(name), Ok(server)) => {
                let mut admin = admin_connection(&server);
                admin
                    .batch_execute(&format!(
                        "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
                         SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{name}' AND pid <> pg_backend_pid();"
                    ))
                    .expect("database made unavailable");
            }
            _ => {
                let file = self.data_dir.path().join("cpaas.db");
                std::fs::remove_file(&file).expect("database file deleted");
            }
        }
    }
}

/// 32 random bytes as 64 hex digits (a secret key or signing secret for one test's api).
pub fn random_hex() -> String {
    cpaas_api::crypto::random_hex(32).expect("randomness")
}

fn admin_connection(server_url: &str) -> DbConnection {
    let target = DatabaseTarget::parse(&SecretString::from(server_url.to_owned()))
        .expect("TEST_DATABASE_URL parses");
    db::establish(&target).expect("TEST_DATABASE_URL is reachable")
}

/// Creates an empty database on the server named by `server_url`; returns its URL and name.
fn fresh_pg_database(server_url: &str) -> (SecretString, String) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!(
        "cpaas_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    admin_connection(server_url)
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("test database created");
    let base = server_url.split('?').next().unwrap_or(server_url);
    let (prefix, _) = base.rsplit_once('/').expect("TEST_DATABASE_URL has a path");
    let url = SecretString::from(format!("{prefix}/{name}"));
    assert!(url.expose_secret().starts_with("postgres"));
    (url, name)
}

/// Polls `check` every 100 ms until it returns `Some`, or panics after `timeout` with `what`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
