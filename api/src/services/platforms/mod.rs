//! CPaaS platforms (R1–R5). Create and update run in three steps so that no transaction is
//! held across a carrier call: `prepare` (scope, fields, R2) → the carrier checks both
//! credentials ([`verify`]) → `store` (under the provider's lock, R2 again, sealed secrets,
//! history). Any failure before `store` commits leaves nothing behind (R4).

mod changes;
mod checks;
mod sealing;

pub use changes::*;
pub use checks::*;
pub use sealing::*;
