//! One tracing subscriber for the process; `RUST_LOG` overrides the default filter.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. Returns quietly if one is already installed (tests).
pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _already_installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
