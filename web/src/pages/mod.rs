pub mod client;
pub mod dashboard;
pub mod detail;
pub mod login;
pub mod not_found;
pub mod simulator;
