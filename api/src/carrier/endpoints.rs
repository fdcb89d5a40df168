//! Where Inteliquent's two APIs live.

/// Where the two APIs live. Production: [`Endpoints::production`]; the simulator serves both
/// under one base URL ([`Endpoints::under`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// e.g. `https://services.inteliquent.com/Services/2.0.0`.
    pub services: String,
    /// e.g. `https://messagebroker.inteliquent.com/msgbroker/rest`.
    pub broker: String,
}

impl Endpoints {
    pub fn production() -> Self {
        Self {
            services: "https://services.inteliquent.com/Services/2.0.0".to_owned(),
            broker: "https://messagebroker.inteliquent.com/msgbroker/rest".to_owned(),
        }
    }

    /// Both APIs at their real paths under `base` (how the simulator serves them).
    pub fn under(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self {
            services: format!("{base}/Services/2.0.0"),
            broker: format!("{base}/msgbroker/rest"),
        }
    }
}
