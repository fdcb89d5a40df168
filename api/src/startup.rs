//! `Application::build(settings)`: opens and migrates the database, binds the listener (port 0
//! picks a free port) and assembles the actix app. `run_until_stopped` serves until shutdown.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::Compress;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use cpaas_shared::DatabaseBackend;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::{TokenKeys, token};
use crate::carrier::simulator::{Behaviour, Simulator};
use crate::carrier::{Carrier, Endpoints, Inteliquent};
use crate::config::{CarrierKind, Settings};
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::error::{envelope_errors, extractor_configs};
use crate::openapi;
use crate::routes::table::RouteTable;
use crate::routes::{self, spa};
use crate::state::AppState;

/// Connections of the job worker's own pool: a claim or renewal waits for at most one other.
const LEASE_POOL_SIZE: u32 = 2;

pub struct Application {
    port: u16,
    backend: DatabaseBackend,
    server: Server,
    /// The built-in simulator's server and port, when it runs.
    simulator: Option<(Server, u16)>,
    /// The state every request and job shares.
    state: web::Data<AppState>,
    /// Tells the job worker to stop; the worker's task.
    jobs: (
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    ),
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.require_production_secrets()?;
        let (db, background, leases) = pools(&settings).await?;
        if !settings.web_dir.join("index.html").is_file() {
            tracing::warn!(
                web_dir = %settings.web_dir.display(),
                "the SPA is not built; `/` will answer 503 until it is (make run builds it)"
            );
        }
        let secret = token::load_secret(settings.jwt_secret.as_ref(), &settings.data_dir)?;
        let tokens = TokenKeys::new(
            &secret,
            Duration::from_secs(settings.token_ttl_minutes.max(1) * 60),
        )?;
        let secrets = SecretBox::load(settings.secret_key.as_ref(), &settings.data_dir)?;
        let mailer = crate::mail::Mailer::new(settings.smtp_url.as_ref(), &settings.data_dir)?;
        let (carrier, simulator) = carrier(&settings)?;
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let carrier: Arc<dyn Carrier> = Arc::new(crate::carrier::metered::Metered {
            inner: carrier,
            metrics: metrics.clone(),
        });
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let backend = db.backend();
        let public_url = public_url(&settings, port);
        let https = public_url.starts_with("https://");
        let limits = limits(&settings)?;
        let api = openapi::document();
        let state = web::Data::new(AppState {
            db,
            background,
            leases,
            settings: Arc::new(settings),
            tokens,
            routes: RouteTable::from_openapi(&api),
            carrier,
            simulator: simulator.as_ref().map(|(sim, _, _)| Arc::clone(sim)),
            secrets: Arc::new(secrets),
            public_url,
            jobs: Arc::new(tokio::sync::Notify::new()),
            mailer,
            limits,
            webhook_tokens: crate::services::inbound::TokenCache::default(),
            metrics,
        });
        reseal(&state).await?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        if state.db.backend() == DatabaseBackend::Postgresql {
            crate::wakeup::listen(
                state.settings.database_url(),
                state.jobs.clone(),
                stopped.clone(),
            );
        }
        let work = Arc::new(crate::work::Dispatch(state.clone()));
        let worker = crate::jobs::spawn_worker(state.clone(), work, stopped);
        let shared = state.clone();
        let server = http_server(state, api, listener, https)?;
        Ok(Self {
            port,
            backend,
            server,
            simulator: simulator.map(|(_, server, port)| (server, port)),
            state: shared,
            jobs: (stop, worker),
        })
    }

    /// The built-in simulator's port (its control API is under `/control`).
    pub fn simulator_port(&self) -> Option<u16> {
        self.simulator.as_ref().map(|(_, port)| *port)
    }

    /// The state every request and job shares (tests reach the pools through it).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.backend
    }

    /// Serves until a shutdown signal (SIGTERM, SIGINT): the server stops accepting and
    /// finishes the requests in flight, then the job worker stops claiming, lets running jobs
    /// finish within `CPAAS_JOB_SHUTDOWN_SECONDS` and releases the leases of the rest.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = match self.simulator {
            Some((simulator, _)) => tokio::try_join!(self.server, simulator).map(drop),
            None => self.server.await,
        };
        let (stop, worker) = self.jobs;
        // Ignored when the worker is already gone: there is nothing left to tell.
        let _told = stop.send(true);
        if let Err(err) = worker.await {
            tracing::warn!(error = %err, "the job worker ended abnormally");
        }
        served
    }
}

type Started = (Arc<Simulator>, Server, u16);

/// The carrier client, and the simulator it talks to when `CPAAS_CARRIER=simulator`.
fn carrier(settings: &Settings) -> anyhow::Result<(Arc<dyn Carrier>, Option<Started>)> {
    let timeout = Duration::from_secs(settings.carrier_timeout_seconds.max(1));
    match settings.carrier {
        CarrierKind::Inteliquent => {
            let endpoints = Endpoints {
                services: settings.inteliquent_services_url.clone(),
                broker: settings.inteliquent_broker_url.clone(),
            };
            Ok((Arc::new(Inteliquent::new(endpoints, timeout)?), None))
        }
        CarrierKind::Simulator => {
            let simulator = Simulator::new(Behaviour {
                provisioning_delay_ms: settings.simulator_provisioning_delay_ms,
                ..Behaviour::default()
            })?;
            let listener = TcpListener::bind(&settings.simulator_bind).with_context(|| {
                format!(
                    "cannot listen on {} for the simulator",
                    settings.simulator_bind
                )
            })?;
            let port = listener.local_addr()?.port();
            let server = simulator.serve(listener)?;
            tracing::info!(
                port,
                "built-in Inteliquent simulator listening on 127.0.0.1"
            );
            let base = format!("http://127.0.0.1:{port}");
            let client = Inteliquent::new(Endpoints::under(&base), timeout)?;
            Ok((Arc::new(client), Some((simulator, server, port))))
        }
    }
}

/// The HTTP server: the API, its document and Swagger UI, the SPA, and the middleware.
fn http_server(
    state: web::Data<AppState>,
    api: utoipa::openapi::OpenApi,
    listener: TcpListener,
    https: bool,
) -> std::io::Result<Server> {
    Ok(HttpServer::new(move || {
        // The same registration that `openapi::document()` collects the document from.
        let (app, _) = App::new()
            .into_utoipa_app()
            .configure(routes::configure)
            .split_for_parts();
        app.app_data(state.clone())
            .configure(extractor_configs)
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api.clone()))
            .service(web::redirect("/api/docs", "/api/docs/"))
            .default_service(web::to(spa::serve))
            .wrap(envelope_errors())
            .wrap_fn(crate::metrics::count_request)
            .wrap(crate::headers::security_headers(https))
            .wrap(Compress::default())
            .wrap(TracingLogger::default())
    })
    .listen(listener)?
    .run())
}

/// The data directory (the owner's alone) and the three pools: requests, the jobs' work and
/// the worker's leases each have one, so none can starve another.
async fn pools(settings: &Settings) -> anyhow::Result<(Db, Db, Db)> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            settings.data_dir.display()
        )
    })?;
    // Sealed secrets, keys, mail and (on SQLite) the database live here.
    crate::keys::restrict(&settings.data_dir, 0o700)
        .with_context(|| format!("cannot restrict {}", settings.data_dir.display()))?;
    let url = settings.database_url();
    let sizes = (
        settings.database_pool_size,
        settings.job_pool_size,
        LEASE_POOL_SIZE,
    );
    let db = web::block(move || Db::connect(&url, sizes.0))
        .await
        .context("the database setup task failed")??;
    let (background, leases) = (db.sibling(sizes.1), db.sibling(sizes.2));
    Ok((db, background, leases))
}

/// Where the carrier reaches the webhook: `CPAAS_PUBLIC_URL`, or this node's loopback port.
fn public_url(settings: &Settings, port: u16) -> String {
    match &settings.public_url {
        Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
        _ => {
            if settings.carrier == CarrierKind::Inteliquent {
                tracing::warn!(
                    "CPAAS_PUBLIC_URL is not set: numbers get webhooks at http://127.0.0.1:{port}, which Inteliquent cannot reach"
                );
            }
            format!("http://127.0.0.1:{port}")
        }
    }
}

fn limits(settings: &Settings) -> anyhow::Result<crate::limits::Limits> {
    Ok(crate::limits::Limits {
        sign_in: crate::limits::Limit::per_minute(settings.sign_in_limit_per_minute),
        webhook_refusals: crate::limits::Limit::per_minute(
            settings.webhook_refusal_limit_per_minute,
        ),
        trusted_proxies: crate::limits::parse_proxies(&settings.trusted_proxies)?,
    })
}

/// Seals again, bound to their platform, the secrets stored the old way.
async fn reseal(state: &web::Data<AppState>) -> anyhow::Result<()> {
    let resealing = state.clone();
    let resealed = state
        .db
        .run(move |conn| crate::services::platforms::reseal_unbound(conn, &resealing.secrets))
        .await
        .map_err(|e| anyhow::anyhow!("re-sealing platform secrets: {}", e.body().message))?;
    if resealed > 0 {
        tracing::info!(
            resealed,
            "platform secrets re-sealed, bound to their platform"
        );
    }
    Ok(())
}
