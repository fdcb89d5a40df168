//! The HTTP API suite. Runs on SQLite by default and on PostgreSQL when `TEST_DATABASE_URL`
//! names a server (`make test` runs it both ways).

mod auth;
mod billing;
mod client;
mod database;
mod errors;
mod history;
mod isolation;
mod messages;
mod number_lists;
mod number_search;
mod numbers;
mod openapi;
mod operators;
mod organizations;
mod platforms;
mod pools;
mod portal_accounts;
mod providers;
mod queues;
mod search;
mod secrets;
mod service;
mod sessions;
mod simulator;
mod spa;
mod throttling;
mod users;
