//! Shared application state, built once outside `HttpServer::new` and registered as `web::Data`.

use std::sync::Arc;

use crate::auth::TokenKeys;
use crate::carrier::Carrier;
use crate::carrier::simulator::Simulator;
use crate::config::Settings;
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::routes::table::RouteTable;

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
    pub secrets: SecretBox,
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
