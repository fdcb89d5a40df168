//! What the use cases that call out or start work need, handed over by the composition root
//! (routes, the job worker, the CLI, tests), so no service sees the web framework or the whole
//! application state. Cheap to clone: a job's concurrent parts each take a copy.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::carrier::Carrier;
use crate::crypto::SecretBox;
use crate::db::Db;

#[derive(Clone)]
pub struct Deps {
    /// The pool this work draws on (the requests' pool, or the jobs').
    pub db: Db,
    pub carrier: Arc<dyn Carrier>,
    /// Seals and opens carrier secrets at rest.
    pub secrets: Arc<SecretBox>,
    /// Wakes this node's job worker after a commit that enqueued work.
    pub jobs: Arc<Notify>,
    /// Where the carrier reaches the webhook (no trailing slash).
    pub public_url: Arc<str>,
}
