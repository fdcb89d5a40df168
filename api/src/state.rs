//! Shared application state, built once outside `HttpServer::new` and registered as `web::Data`.

use std::sync::Arc;

use crate::auth::TokenKeys;
use crate::carrier::Carrier;
use crate::carrier::simulator::Simulator;
use crate::config::Settings;
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::routes::table::RouteTable;
use crate::services::deps::Deps;

pub struct AppState {
    /// The requests' pool.
    pub db: Db,
    /// The pool jobs do their work on (`CPAAS_JOB_POOL_SIZE`).
    pub background: Db,
    /// The job worker's own pool: claims, lease renewals, completions.
    pub leases: Db,
    pub settings: Arc<Settings>,
    pub tokens: TokenKeys,
    /// The documented routes, to answer 405 rather than 404 for a wrong method.
    pub routes: RouteTable,
    pub carrier: Arc<dyn Carrier>,
    /// The built-in simulator, when `CPAAS_CARRIER=simulator` (the dev-mode Simulator page).
    pub simulator: Option<Arc<Simulator>>,
    /// Seals and opens carrier secrets at rest.
    pub secrets: Arc<SecretBox>,
    /// Where the carrier reaches our webhook (no trailing slash).
    pub public_url: String,
    /// Wakes the job worker after a commit that enqueued work.
    pub jobs: Arc<tokio::sync::Notify>,
    /// Sends alert mails (from jobs only).
    pub mailer: crate::mail::Mailer,
    /// Per-address request limits of this node.
    pub limits: crate::limits::Limits,
    /// Opened webhook tokens by platform, so a refused call costs no database work.
    pub webhook_tokens: crate::services::inbound::TokenCache,
    /// This node's metrics (`GET /metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// What a request's use cases need, on the requests' pool.
    pub fn deps(&self) -> Deps {
        self.deps_on(&self.db)
    }

    /// What a job's work needs, on the jobs' pool.
    pub fn job_deps(&self) -> Deps {
        self.deps_on(&self.background)
    }

    fn deps_on(&self, db: &Db) -> Deps {
        Deps {
            db: db.clone(),
            carrier: Arc::clone(&self.carrier),
            secrets: Arc::clone(&self.secrets),
            jobs: Arc::clone(&self.jobs),
            public_url: Arc::from(self.public_url.as_str()),
        }
    }
}
