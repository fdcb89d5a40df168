//! Shared application state, built once outside `HttpServer::new` and registered as `web::Data`.

use std::sync::Arc;

use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::db::Db;
use crate::routes::table::RouteTable;

pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub tokens: TokenKeys,
    /// The documented routes, to answer 405 rather than 404 for a wrong method.
    pub routes: RouteTable,
}
