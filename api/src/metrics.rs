//! Metrics in the Prometheus text format (the `prometheus-client` crate), served at
//! `GET /metrics` to an operator's bearer token or the scrape token `CPAAS_METRICS_TOKEN`:
//! requests by route and status, their latency, carrier calls by operation with their latency
//! and errors, webhook calls by outcome, job outcomes by kind, and, read when scraped, the job
//! queue (depth and oldest due job by kind, dead jobs) and the database pool.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route's pattern (`/api/v1/users/{id}`), never the path itself.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabels {
    pub kind: String,
    pub outcome: String,
}

/// Which database pool: `requests`, `jobs` (their work) or `leases` (the worker's own).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub pool: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    pub kind: String,
}

/// Latency buckets from 1 ms to about 16 s.
#[derive(Clone)]
pub struct Seconds;

impl MetricConstructor<Histogram> for Seconds {
    fn new_metric(&self) -> Histogram {
        Histogram::new(exponential_buckets(0.001, 2.0, 15))
    }
}

/// The metrics of this node.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub request_seconds: Family<RequestLabels, Histogram, Seconds>,
    pub carrier_seconds: Family<OperationLabels, Histogram, Seconds>,
    pub carrier_errors: Family<OperationLabels, Counter>,
    pub webhooks: Family<OutcomeLabels, Counter>,
    pub jobs: Family<JobLabels, Counter>,
    pub queued_jobs: Family<KindLabels, Gauge>,
    pub oldest_due_seconds: Family<KindLabels, Gauge>,
    pub dead_jobs: Gauge,
    pub pool_in_use: Family<PoolLabels, Gauge>,
    pub pool_idle: Family<PoolLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("cpaas");
        let requests = Family::<RequestLabels, Counter>::default();
        let request_seconds = Family::new_with_constructor(Seconds);
        let carrier_seconds = Family::new_with_constructor(Seconds);
        let carrier_errors = Family::<OperationLabels, Counter>::default();
        let webhooks = Family::<OutcomeLabels, Counter>::default();
        let jobs = Family::<JobLabels, Counter>::default();
        let queued_jobs = Family::<KindLabels, Gauge>::default();
        let oldest_due_seconds = Family::<KindLabels, Gauge>::default();
        let dead_jobs = Gauge::default();
        let pool_in_use = Family::<PoolLabels, Gauge>::default();
        let pool_idle = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_seconds",
            "HTTP request latency",
            request_seconds.clone(),
        );
        registry.register(
            "carrier_call_seconds",
            "Carrier API call latency by operation",
            carrier_seconds.clone(),
        );
        registry.register(
            "carrier_call_errors",
            "Carrier API calls that failed, by operation",
            carrier_errors.clone(),
        );
        registry.register(
            "webhook_requests",
            "Carrier webhook calls by outcome",
            webhooks.clone(),
        );
        registry.register("jobs", "Job attempts by kind and outcome", jobs.clone());
        registry.register(
            "jobs_queued",
            "Jobs waiting or running, by kind",
            queued_jobs.clone(),
        );
        registry.register(
            "jobs_oldest_due_seconds",
            "Age of the oldest due job, by kind",
            oldest_due_seconds.clone(),
        );
        registry.register(
            "jobs_dead",
            "Jobs given up after their workers kept dying",
            dead_jobs.clone(),
        );
        registry.register(
            "db_pool_connections_in_use",
            "Database connections in use, by pool (requests, jobs, leases)",
            pool_in_use.clone(),
        );
        registry.register(
            "db_pool_connections_idle",
            "Idle database connections, by pool",
            pool_idle.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            carrier_seconds,
            carrier_errors,
            webhooks,
            jobs,
            queued_jobs,
            oldest_due_seconds,
            dead_jobs,
            pool_in_use,
            pool_idle,
        }
    }
}

impl Metrics {
    /// Counts a served request.
    pub fn request(&self, labels: RequestLabels, took: Duration) {
        self.request_seconds
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
        self.requests.get_or_create(&labels).inc();
    }

    /// Counts a carrier call.
    pub fn carrier_call(&self, operation: &str, took: Duration, failed: bool) {
        let labels = OperationLabels {
            operation: operation.to_owned(),
        };
        self.carrier_seconds
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
        if failed {
            self.carrier_errors.get_or_create(&labels).inc();
        }
    }

    pub fn webhook(&self, outcome: &str) {
        let labels = OutcomeLabels {
            outcome: outcome.to_owned(),
        };
        self.webhooks.get_or_create(&labels).inc();
    }

    pub fn job(&self, kind: &str, outcome: &str) {
        let labels = JobLabels {
            kind: kind.to_owned(),
            outcome: outcome.to_owned(),
        };
        self.jobs.get_or_create(&labels).inc();
    }

    /// The text exposition.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Middleware (`App::wrap_fn`): counts every request by method, route pattern and status.
pub fn count_request<S, B>(
    req: actix_web::dev::ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>>
+ use<S, B>
where
    S: actix_web::dev::Service<
            actix_web::dev::ServiceRequest,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    let metrics = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .map(|state| state.metrics.clone());
    let method = req.method().to_string();
    let start = std::time::Instant::now();
    let call = service.call(req);
    async move {
        let res = call.await?;
        if let Some(metrics) = metrics {
            // Unrouted paths (the web app's files and pages) share one label.
            let route = res
                .request()
                .match_pattern()
                .unwrap_or_else(|| "other".to_owned());
            let labels = RequestLabels {
                method,
                route,
                status: res.status().as_u16(),
            };
            metrics.request(labels, start.elapsed());
        }
        Ok(res)
    }
}
