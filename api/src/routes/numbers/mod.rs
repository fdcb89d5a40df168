//! CPaaS numbers (R6–R14): assignment, the lists at every level, changes, deletion, opt-in
//! reset.

mod csv_imports;
mod items;
mod listing;
mod stream_sms;

pub use csv_imports::*;
pub use items::*;
pub use listing::*;
pub use stream_sms::*;
