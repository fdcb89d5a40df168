//! Business rules. Each unit of work is one transaction; handlers stay thin.

pub mod accounts;
pub mod alerts;
pub mod audit;
pub mod billing;
pub mod client;
pub mod demo;
pub mod deps;
pub mod fields;
pub mod import_csv;
pub mod imports;
pub mod inbound;
pub mod numbers;
pub mod organizations;
pub mod platforms;
pub mod portal_accounts;
pub mod providers;
pub mod provisioning;
pub mod queues;
pub mod scope;
pub mod sessions;
pub mod throttle;
pub mod users;
