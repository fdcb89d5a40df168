//! `cpaas demo`: the demo data of the external contract (`api.md`), loaded idempotently. It
//! grows with the features: today the guide's system provider, a portal account that receives
//! alerts, an Inteliquent platform on the simulator's demo account, a customer with the end
//! user Chris Tutt, and a queue with an SMS media stream.
//! Written directly through the models (there is no signed-in account to attribute it to).

use chrono::Utc;
use diesel::prelude::*;

use secrecy::SecretString;

use crate::carrier::ServicesAccount;
use crate::carrier::simulator::state::{DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET};
use crate::crypto::SecretBox;
use crate::db::DbConnection;
use crate::db::models::end_user::{self, EndUserRow};
use crate::db::models::organization::{self, OrgKind, Organization};
use crate::db::models::platform::{self, PlatformRow};
use crate::db::models::portal_account;
use crate::db::models::queue::{self, MediaStreamRow};
use crate::db::schema::{organizations, queues};
use crate::error::ApiError;
use crate::services::accounts;
use crate::services::platforms::{self, Secrets};

pub const PROVIDER: &str = "Kakapo Systems Limited";
pub const CUSTOMER: &str = "Kakapo Demo Customer";
pub const USER_ID: &str = "christutt@kakaposystems.com";
pub const QUEUE: &str = "Customer Service";
/// The demo sign-in. Demo data is for local runs only; never load it into production.
pub const ADMIN_EMAIL: &str = "admin@kakaposystems.com";
pub const ADMIN_PASSWORD: &str = "kakapo-demo-password";

/// Loads whatever part of the demo data is missing; returns what it created.
pub fn load(conn: &mut DbConnection, keys: &SecretBox) -> Result<Vec<String>, ApiError> {
    conn.transaction(|conn| {
        let mut created = Vec::new();
        let provider = match organization::providers(conn)?
            .into_iter()
            .find(|p| p.name == PROVIDER)
        {
            Some(provider) => provider,
            None => {
                let provider = organization::insert(conn, OrgKind::SystemProvider, None, PROVIDER)?;
                // The guide's screenshot: (UTC-06:00) Central Time, a 14-day trial.
                diesel::update(organizations::table.find(provider.id))
                    .set((
                        organizations::timezone.eq("America/Chicago"),
                        organizations::trial_duration_days.eq(14),
                    ))
                    .execute(conn)?;
                created.push(format!("system provider {PROVIDER}"));
                provider
            }
        };
        if portal_account::find_by_email(conn, ADMIN_EMAIL)?.is_none() {
            accounts::create_admin(conn, ADMIN_EMAIL, ADMIN_PASSWORD, Some(PROVIDER), true)?;
            created.push(format!(
                "portal account {ADMIN_EMAIL} (operator, Send Alerts on)"
            ));
        }
        if platform::count_of_provider(conn, provider.id)? == 0 {
            let now = Utc::now().naive_utc();
            let mut row = PlatformRow {
                id: 0,
                provider_id: provider.id,
                kind: "inteliquent".to_owned(),
                name: "Inteliquent".to_owned(),
                account_key: String::new(),
                token_secret: String::new(),
                outbound_api_key: String::new(),
                user_confirmation_required: true,
                user_can_block_numbers: true,
                mms_available: true,
                created_at: now,
                updated_at: now,
                webhook_token: None,
                monthly_charge_cents: 150,
            };
            let secret = |s: &str| SecretString::from(s.to_owned());
            let secrets = Secrets {
                account: ServicesAccount {
                    key: secret(DEMO_ACCOUNT_KEY),
                    secret: secret(DEMO_TOKEN_SECRET),
                },
                outbound: secret(DEMO_OUTBOUND_KEY),
            };
            platforms::seal(keys, &mut row, &secrets)?;
            platform::insert(conn, &row)?;
            created.push("CPaaS platform Inteliquent (the simulator's demo account)".to_owned());
        }
        let customer = child(conn, &provider, CUSTOMER, &mut created)?;
        let now = Utc::now().naive_utc();
        if end_user::find_by_user_id(conn, provider.id, USER_ID)?.is_none() {
            end_user::insert(
                conn,
                &EndUserRow {
                    id: 0,
                    customer_id: customer.id,
                    provider_id: provider.id,
                    user_id: USER_ID.to_owned(),
                    name: "Chris Tutt".to_owned(),
                    timezone: None,
                    language: Some("en-GB".to_owned()),
                    external_reference: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            created.push(format!("end user Chris Tutt ({USER_ID})"));
        }
        let has_queue: i64 = queues::table
            .filter(queues::customer_id.eq(customer.id))
            .filter(queues::name.eq(QUEUE))
            .count()
            .get_result(conn)?;
        if has_queue == 0 {
            let queue = queue::insert(conn, customer.id, QUEUE, now)?;
            queue::insert_stream(
                conn,
                &MediaStreamRow {
                    id: 0,
                    queue_id: queue.id,
                    name: "SMS".to_owned(),
                    language: Some("en-GB".to_owned()),
                    media_type: "sms".to_owned(),
                    conversation_can_be_transferred: true,
                    conversation_can_be_escalated: false,
                    timezone: Some("Europe/London".to_owned()),
                    in_office_profile: "Always online".to_owned(),
                    use_last_agent_if_available: false,
                    reopen_conversation_on_reply: false,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            created.push(format!("queue {QUEUE} with an SMS media stream"));
        }
        Ok(created)
    })
}

/// The customer `name` directly under `provider`, created if missing.
fn child(
    conn: &mut DbConnection,
    provider: &Organization,
    name: &str,
    created: &mut Vec<String>,
) -> Result<Organization, ApiError> {
    let existing = organizations::table
        .filter(organizations::parent_id.eq(provider.id))
        .filter(organizations::name.eq(name))
        .select(Organization::as_select())
        .first(conn)
        .optional()?;
    if let Some(customer) = existing {
        return Ok(customer);
    }
    created.push(format!("customer {name}"));
    Ok(organization::insert(
        conn,
        OrgKind::Customer,
        Some(provider.id),
        name,
    )?)
}
