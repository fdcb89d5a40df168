pub mod dashboard;
pub mod login;
pub mod not_found;
pub mod organization;
pub mod provider;
