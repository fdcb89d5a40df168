//! CPaaS number assignment and management (R5–R8, R11–R14). Assigning runs in three steps so
//! no transaction waits on the carrier: `prepare` (scope, fields, platform rules) → the carrier
//! confirms the number is on the account (R8) → `store` (the row, `pending`, and its
//! provisioning job in one transaction; the unique index keeps one active assignment).
mod assigning;
mod managing;
mod stream_sms;

pub use assigning::*;
pub use managing::*;
pub use stream_sms::*;
