//! Typed settings: defaults → optional TOML file → `CPAAS_*` environment.
//! Passed down explicitly (never a global), so tests build an app from a changed value.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address the HTTP server binds (`CPAAS_BIND`); port 0 picks a free one.
    pub bind: String,
    /// Where the SQLite file and other local state live (`CPAAS_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…` (`CPAAS_DATABASE_URL`, or `DATABASE_URL`).
    /// Unset: `sqlite://<data_dir>/cpaas.db`. May hold a password, so kept secret.
    pub database_url: Option<SecretString>,
    /// Most connections the requests' pool opens (`CPAAS_DATABASE_POOL_SIZE`).
    pub database_pool_size: u32,
    /// Most connections the jobs' work may hold (`CPAAS_JOB_POOL_SIZE`): a pool of its own, so
    /// an import cannot starve requests. The worker's claims and lease renewals use a third
    /// pool of two connections, so no job's work can starve them either.
    pub job_pool_size: u32,
    /// The built SPA served at `/` (`CPAAS_WEB_DIR`).
    pub web_dir: PathBuf,
    /// Signs bearer tokens (`CPAAS_JWT_SECRET`, at least 32 bytes). Unset: a development secret
    /// generated once into the data directory, with a warning.
    pub jwt_secret: Option<SecretString>,
    /// Lifetime of a portal token in minutes (`CPAAS_TOKEN_TTL_MINUTES`).
    pub token_ttl_minutes: u64,
    /// Encrypts carrier secrets at rest (`CPAAS_SECRET_KEY`, 64 hex digits). Unset: a
    /// development key generated once into the data directory, with a warning.
    pub secret_key: Option<SecretString>,
    /// Which carrier the api talks to (`CPAAS_CARRIER`): the built-in `simulator` (started
    /// beside the api) or the real `inteliquent`.
    pub carrier: CarrierKind,
    /// Inteliquent's Services API base (`CPAAS_INTELIQUENT_SERVICES_URL`).
    pub inteliquent_services_url: String,
    /// Inteliquent's Message Broker base (`CPAAS_INTELIQUENT_BROKER_URL`).
    pub inteliquent_broker_url: String,
    /// Longest wait for one carrier call, in seconds (`CPAAS_CARRIER_TIMEOUT_SECONDS`).
    pub carrier_timeout_seconds: u64,
    /// Where the built-in simulator listens (`CPAAS_SIMULATOR_BIND`; port 0 picks one).
    pub simulator_bind: String,
    /// The simulator's time from enabling messaging to it working
    /// (`CPAAS_SIMULATOR_PROVISIONING_DELAY_MS`).
    pub simulator_provisioning_delay_ms: u64,
    /// The URL the carrier uses to reach the webhook (`CPAAS_PUBLIC_URL`). Unset: the bound
    /// address (`http://127.0.0.1:<port>` for a wildcard or loopback bind).
    pub public_url: Option<String>,
    /// How often the job worker looks for due jobs when idle (`CPAAS_JOB_POLL_MS`).
    pub job_poll_ms: u64,
    /// First retry delay of a failed job; doubled each time (`CPAAS_JOB_BACKOFF_MS`).
    pub job_backoff_ms: u64,
    /// Attempts before a job's failure is final (`CPAAS_JOB_MAX_ATTEMPTS`).
    pub job_max_attempts: u32,
    /// How long a claimed job is reserved for its worker (`CPAAS_JOB_LEASE_SECONDS`): a job
    /// whose worker died is taken again after this. A running job renews it every third of it.
    pub job_lease_seconds: u64,
    /// How many jobs run at once on this node (`CPAAS_JOB_CONCURRENCY`); jobs about the same
    /// number or import still run one at a time, oldest first. 0: this node runs no jobs (it
    /// serves requests; other nodes on the same PostgreSQL database run what it enqueues).
    pub job_concurrency: u32,
    /// How long running jobs may go on after a shutdown signal (`CPAAS_JOB_SHUTDOWN_SECONDS`);
    /// those still running then are stopped and their leases released.
    pub job_shutdown_seconds: u64,
    /// Longest a job attempt may run (`CPAAS_JOB_TIMEOUT_SECONDS`); then it is retried later.
    pub job_timeout_seconds: u64,
    /// Where alerts are mailed through (`CPAAS_SMTP_URL`, e.g. `smtp://127.0.0.1:2525`;
    /// `?tls=required` for STARTTLS). Unset: `.eml` files under `<data dir>/mail`.
    pub smtp_url: Option<SecretString>,
    /// The sender of alert mails (`CPAAS_MAIL_FROM`).
    pub mail_from: String,
    /// Sign-in requests (portal and client) one client address may make per minute
    /// (`CPAAS_SIGN_IN_LIMIT_PER_MINUTE`); more answer 429.
    pub sign_in_limit_per_minute: u32,
    /// Refused (unauthenticated) webhook calls one address may make per minute
    /// (`CPAAS_WEBHOOK_REFUSAL_LIMIT_PER_MINUTE`); more answer 429. Calls with the right token
    /// are never limited.
    pub webhook_refusal_limit_per_minute: u32,
    /// Reverse proxies (comma-separated addresses) whose `X-Forwarded-For` names the client
    /// for limits and throttles (`CPAAS_TRUSTED_PROXIES`); unset, the TCP peer is the client.
    pub trusted_proxies: String,
    /// A bearer token that may read `GET /metrics` (`CPAAS_METRICS_TOKEN`), for a scraper;
    /// operators' own tokens may read it too.
    pub metrics_token: Option<SecretString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarrierKind {
    Simulator,
    Inteliquent,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_pool_size: 8,
            job_pool_size: 4,
            web_dir: PathBuf::from("web/dist"),
            jwt_secret: None,
            token_ttl_minutes: 60,
            secret_key: None,
            carrier: CarrierKind::Simulator,
            inteliquent_services_url: crate::carrier::Endpoints::production().services,
            inteliquent_broker_url: crate::carrier::Endpoints::production().broker,
            carrier_timeout_seconds: 10,
            simulator_bind: "127.0.0.1:0".to_owned(),
            simulator_provisioning_delay_ms: 3000,
            public_url: None,
            job_poll_ms: 500,
            job_backoff_ms: 2000,
            job_max_attempts: 8,
            job_lease_seconds: 300,
            job_concurrency: 8,
            job_shutdown_seconds: 20,
            job_timeout_seconds: 900,
            smtp_url: None,
            mail_from: "CPaaS Bridge <cpaas-bridge@localhost>".to_owned(),
            sign_in_limit_per_minute: 30,
            webhook_refusal_limit_per_minute: 60,
            trusted_proxies: String::new(),
            metrics_token: None,
        }
    }
}

impl Settings {
    /// Loads the layers in order; later layers win. `DATABASE_URL` is read as a fallback for
    /// `CPAAS_DATABASE_URL`.
    pub fn load(config_file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::new();
        if let Some(file) = config_file {
            if !file.is_file() {
                return Err(Box::new(figment::Error::from(format!(
                    "configuration file {} does not exist",
                    file.display()
                ))));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .merge(Env::prefixed("CPAAS_").ignore(&["CONFIG"]))
            .extract()
            .map_err(Box::new)
    }

    /// Why this configuration is a production one (PostgreSQL, a non-loopback bind, the real
    /// carrier), if it is: then the signing secret and the secret key must be configured, the
    /// same on every node, never generated into one node's data directory.
    pub fn production(&self) -> Option<&'static str> {
        let url = self.database_url();
        if url.expose_secret().starts_with("postgres") {
            return Some("on PostgreSQL");
        }
        if self.carrier == CarrierKind::Inteliquent {
            return Some("with the real carrier (CPAAS_CARRIER=inteliquent)");
        }
        let host = self
            .bind
            .rsplit_once(':')
            .map_or(self.bind.as_str(), |(h, _)| h);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        (!loopback).then_some("on a non-loopback address")
    }

    /// Refuses a production configuration ([`Settings::production`]) without
    /// `CPAAS_JWT_SECRET` and `CPAAS_SECRET_KEY`.
    pub fn require_production_secrets(&self) -> anyhow::Result<()> {
        let Some(why) = self.production() else {
            return Ok(());
        };
        let missing: Vec<&str> = [
            ("CPAAS_JWT_SECRET", self.jwt_secret.is_none()),
            ("CPAAS_SECRET_KEY", self.secret_key.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, unset)| unset.then_some(name))
        .collect();
        anyhow::ensure!(
            missing.is_empty(),
            "{} must be set to serve {why}: every node needs the same secrets, and development \
             secrets generated into one node's data directory are for local runs only",
            missing.join(" and ")
        );
        Ok(())
    }

    /// The configured database URL, or the SQLite file under the data directory.
    pub fn database_url(&self) -> SecretString {
        match &self.database_url {
            Some(url) if !url.expose_secret().trim().is_empty() => url.clone(),
            _ => SecretString::from(format!(
                "sqlite://{}",
                self.data_dir.join("cpaas.db").display()
            )),
        }
    }
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment::Jail fixes its closures' error type"
)]
mod tests {
    use super::*;

    #[test]
    fn production_is_postgres_a_public_bind_or_the_real_carrier() {
        let local = Settings::default();
        assert_eq!(local.production(), None, "make run's configuration");
        assert!(local.require_production_secrets().is_ok());
        for bind in ["localhost:8080", "[::1]:8080", "127.0.0.2:0"] {
            let s = Settings {
                bind: bind.to_owned(),
                ..Settings::default()
            };
            assert_eq!(s.production(), None, "{bind}");
        }
        let public = Settings {
            bind: "0.0.0.0:8080".to_owned(),
            ..Settings::default()
        };
        assert!(public.production().is_some());
        let pg = Settings {
            database_url: Some(SecretString::from("postgres://db/cpaas".to_owned())),
            ..Settings::default()
        };
        assert_eq!(pg.production(), Some("on PostgreSQL"));
        let err = pg
            .require_production_secrets()
            .expect_err("refused")
            .to_string();
        assert!(
            err.starts_with(
                "CPAAS_JWT_SECRET and CPAAS_SECRET_KEY must be set to serve on PostgreSQL"
            ),
            "{err}"
        );
        let configured = Settings {
            jwt_secret: Some(SecretString::from("j".repeat(32))),
            secret_key: Some(SecretString::from("7".repeat(64))),
            ..pg
        };
        assert!(configured.require_production_secrets().is_ok());
    }

    #[test]
    fn defaults_then_file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "cpaas.toml",
                "bind = \"0.0.0.0:9000\"\ndata_dir = \"/var/lib/cpaas\"\n",
            )?;
            jail.set_env("CPAAS_DATA_DIR", "/srv/cpaas");
            let settings = Settings::load(Some(Path::new("cpaas.toml"))).map_err(|e| *e)?;
            assert_eq!(settings.bind, "0.0.0.0:9000", "file overrides the default");
            assert_eq!(
                settings.data_dir,
                PathBuf::from("/srv/cpaas"),
                "env overrides the file"
            );
            assert_eq!(settings.web_dir, PathBuf::from("web/dist"), "default kept");
            assert_eq!(
                settings.database_url().expose_secret(),
                "sqlite:///srv/cpaas/cpaas.db"
            );
            Ok(())
        });
    }

    #[test]
    fn the_carrier_is_the_simulator_unless_configured() {
        figment::Jail::expect_with(|jail| {
            assert_eq!(
                Settings::load(None).map_err(|e| *e)?.carrier,
                CarrierKind::Simulator
            );
            jail.set_env("CPAAS_CARRIER", "inteliquent");
            jail.set_env(
                "CPAAS_INTELIQUENT_SERVICES_URL",
                "https://services-sandbox.inteliquent.com/Services/2.0.0",
            );
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(settings.carrier, CarrierKind::Inteliquent);
            assert!(settings.inteliquent_services_url.contains("sandbox"));
            assert!(
                settings
                    .inteliquent_broker_url
                    .starts_with("https://messagebroker.")
            );
            jail.set_env("CPAAS_CARRIER", "bandwidth");
            assert!(
                Settings::load(None).is_err(),
                "an unknown carrier is refused"
            );
            Ok(())
        });
    }

    #[test]
    fn cpaas_database_url_wins_over_database_url() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("DATABASE_URL", "postgres://a@localhost/one");
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(
                settings.database_url().expose_secret(),
                "postgres://a@localhost/one"
            );
            jail.set_env("CPAAS_DATABASE_URL", "postgres://b@localhost/two");
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(
                settings.database_url().expose_secret(),
                "postgres://b@localhost/two"
            );
            Ok(())
        });
    }

    #[test]
    fn missing_config_file_is_an_error() {
        let err = Settings::load(Some(Path::new("/nonexistent/cpaas.toml")))
            .expect_err("a named file must exist");
        assert!(err.to_string().contains("/nonexistent/cpaas.toml"), "{err}");
    }

    #[test]
    fn a_wrongly_typed_value_names_its_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CPAAS_DATABASE_POOL_SIZE", "many");
            let err = Settings::load(None).expect_err("not a number");
            assert!(err.to_string().contains("DATABASE_POOL_SIZE"), "{err}");
            Ok(())
        });
    }
}
