//! A simulated Inteliquent: a real HTTP server speaking the Services API and the Message Broker
//! at their real paths, with the same quirks (business errors inside HTTP 200, 401 for bad
//! auth, `430` for numbers not on the account), a provisioning delay, fault injection, and a
//! control API (`/control/…`) to seed accounts, inject inbound messages and receipts, and read
//! what was published. It always holds the demo account of `docs/carrier.md`.
//!
//! `cpaas serve` runs it beside the api when `CPAAS_CARRIER=simulator`; `cpaas simulator` runs
//! it alone. The api reaches it only through the real client ([`super::Inteliquent`]).

mod broker;
mod control;
mod services;
pub mod state;

use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::json;

pub use control::{AccountView, InboundRequest, InboundResult, NumberView};
pub use state::{Behaviour, Faults, Forced, PublishedMessage};
use state::{State, take_fault};

pub struct Simulator {
    state: Mutex<State>,
    /// Delivers inbound messages and receipts to webhooks.
    http: reqwest::Client,
}

pub type Sim = web::Data<Arc<Simulator>>;

impl Simulator {
    pub fn new(behaviour: Behaviour) -> anyhow::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            state: Mutex::new(State::new(behaviour)),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
        }))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Serves the simulator on `listener` until the returned server stops.
    pub fn serve(self: &Arc<Self>, listener: TcpListener) -> std::io::Result<Server> {
        let data = web::Data::new(Arc::clone(self));
        Ok(HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::JsonConfig::default().error_handler(|err, _| {
                    let detail = err.to_string();
                    actix_web::error::InternalError::from_response(
                        err,
                        HttpResponse::BadRequest().json(
                            json!({ "success": false, "reason": "INVALID_REQUEST", "detail": detail }),
                        ),
                    )
                    .into()
                }))
                .configure(configure)
        })
        .workers(1)
        .listen(listener)?
        .run())
    }
}

fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/Services/2.0.0/{operation}",
        web::post().to(services::handle),
    )
    .route(
        "/msgbroker/rest/{operation}",
        web::post().to(broker::handle),
    )
    .configure(control::configure);
}

fn roll() -> f64 {
    let mut bytes = [0_u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        return 1.0;
    }
    f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX)
}

/// A random UUID (v4), as the broker's referenceId.
pub fn uuid() -> String {
    let mut b = [0_u8; 16];
    // Without randomness the ids are still unique enough for a simulator: fall back to time.
    if getrandom::fill(&mut b).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        b = nanos.to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Applies latency and any injected fault to a carrier call; `Some` is the answer to give.
async fn gate(sim: &Simulator, broker: bool, operation: &str) -> Option<HttpResponse> {
    let (latency, fault, hang) = {
        let mut state = sim.state();
        let fault = take_fault(&mut state.faults, operation, roll());
        (state.faults.latency_ms, fault, state.behaviour.hang_ms)
    };
    if latency > 0 {
        tokio::time::sleep(state::delay(latency)).await;
    }
    match fault? {
        Forced::ServerError => Some(HttpResponse::ServiceUnavailable().json(
            json!({ "success": false, "reason": "SERVICE_UNAVAILABLE", "detail": "simulated failure" }),
        )),
        Forced::Unauthorized => Some(if broker {
            broker::unauthorized()
        } else {
            services::unauthorized()
        }),
        Forced::Busy if broker => Some(HttpResponse::TooManyRequests().json(
            json!({ "success": false, "reason": "TOO_MANY_REQUESTS", "detail": "simulated throttling" }),
        )),
        Forced::Busy => Some(services::status(
            "431",
            "Unable to complete the request at the moment, please try again",
        )),
        Forced::Timeout => {
            tokio::time::sleep(state::delay(hang)).await;
            Some(HttpResponse::GatewayTimeout().finish())
        }
    }
}
