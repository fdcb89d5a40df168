//! CPaaS Bridge api: the actix-web application, its database layer and its OpenAPI document.
//!
//! `main.rs` is thin; everything a test needs is reachable from here, starting with
//! [`Application::build`].

pub mod auth;
pub mod carrier;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod extract;
pub mod headers;
pub mod jobs;
pub mod keys;
pub mod limits;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod wakeup;
pub mod work;

pub use config::Settings;
pub use startup::Application;

/// The api's version, as reported by `/healthz`, `/readyz` and the OpenAPI document.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
