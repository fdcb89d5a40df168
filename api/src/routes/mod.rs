//! HTTP routes. Handlers are thin: extract, call a service, return a DTO.

pub mod auth;
pub mod billing;
pub mod client;
pub mod history;
pub mod numbers;
pub mod organizations;
pub mod paging;
pub mod platforms;
pub mod portal_accounts;
pub mod providers;
pub mod queues;
pub mod service;
pub mod simulator;
pub mod spa;
pub mod table;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route; the OpenAPI document is collected from these.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(service::get_healthz)
        .service(service::get_readyz)
        .service(service::get_metrics)
        .service(webhooks::inteliquent_webhook)
        .service(
            scope::scope("/api/v1")
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::get_me)
                .service(providers::list_providers)
                .service(providers::get_provider)
                .service(providers::update_provider)
                .service(providers::create_provider)
                .service(providers::delete_provider)
                .service(platforms::list_platforms)
                .service(platforms::create_platform)
                .service(platforms::get_platform)
                .service(platforms::update_platform)
                .service(platforms::delete_platform)
                .service(numbers::assign_to_user)
                .service(numbers::list_provider_numbers)
                .service(numbers::list_reseller_numbers)
                .service(numbers::list_customer_numbers)
                .service(numbers::list_user_numbers)
                .service(numbers::list_queue_numbers)
                .service(numbers::get_number)
                .service(numbers::update_number)
                .service(numbers::delete_number)
                .service(numbers::reset_opt_in)
                .service(numbers::delete_messages)
                .service(numbers::user_platforms)
                .service(numbers::stream_platforms)
                .service(numbers::create_import)
                .service(numbers::get_import)
                .service(numbers::get_stream_sms)
                .service(numbers::put_stream_sms)
                .service(numbers::delete_stream_sms)
                .service(billing::get_billing)
                .service(client::client_login)
                .service(client::client_numbers)
                .service(client::client_opt_in)
                .service(client::set_client_password)
                .service(simulator::get_simulator)
                .service(simulator::add_simulated_numbers)
                .service(history::get_provider_history)
                .service(history::get_reseller_history)
                .service(history::get_customer_history)
                .service(history::get_user_history)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::delete_user)
                .service(queues::create_queue)
                .service(queues::list_queues)
                .service(queues::get_queue)
                .service(queues::update_queue)
                .service(queues::delete_queue)
                .service(queues::create_media_stream)
                .service(queues::list_media_streams)
                .service(queues::get_media_stream)
                .service(queues::update_media_stream)
                .service(queues::delete_media_stream)
                .service(portal_accounts::create_provider_portal_account)
                .service(portal_accounts::list_provider_portal_accounts)
                .service(portal_accounts::create_reseller_portal_account)
                .service(portal_accounts::list_reseller_portal_accounts)
                .service(portal_accounts::create_customer_portal_account)
                .service(portal_accounts::list_customer_portal_accounts)
                .service(portal_accounts::get_portal_account)
                .service(portal_accounts::update_portal_account)
                .service(portal_accounts::delete_portal_account)
                .service(organizations::create_reseller)
                .service(organizations::list_resellers)
                .service(organizations::get_reseller)
                .service(organizations::update_reseller)
                .service(organizations::delete_reseller)
                .service(organizations::create_provider_customer)
                .service(organizations::list_provider_customers)
                .service(organizations::create_reseller_customer)
                .service(organizations::list_reseller_customers)
                .service(organizations::get_customer)
                .service(organizations::update_customer)
                .service(organizations::delete_customer),
        );
}
