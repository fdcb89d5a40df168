//! `cpaas demo`: the demo data the README and docs/carrier.md promise, loaded idempotently. It
//! grows with the features: today the guide's system provider, a portal account that receives
//! alerts, an Inteliquent platform on the simulator's demo account, a customer with the end
//! user Chris Tutt holding 2019920778 "SMS only" and 2019920780 "My MMS Number", and a queue
//! whose SMS media stream has 2019920781. The numbers are stored `pending` with their
//! provisioning jobs: `cpaas serve` configures them on the carrier.
//! Written directly through the models (there is no signed-in account to attribute it to).

use chrono::Utc;
use cpaas_shared::MessagingType;
use diesel::prelude::*;

use secrecy::SecretString;

use crate::carrier::ServicesAccount;
use crate::carrier::simulator::state::{DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET};
use crate::crypto::SecretBox;
use crate::db::DbConnection;
use crate::db::models::end_user::{self, EndUserRow};
use crate::db::models::number::{self, NewAssignment, NumberRow};
use crate::db::models::organization::{self, OrgKind, Organization};
use crate::db::models::platform::{self, PlatformRow};
use crate::db::models::portal_account;
use crate::db::models::queue::{self, MediaStreamRow};
use crate::db::schema::{media_streams, organizations, queues};
use crate::error::ApiError;
use crate::jobs::Job;
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
        let provider = provider(conn, &mut created)?;
        if portal_account::find_by_email(conn, ADMIN_EMAIL)?.is_none() {
            accounts::create_admin(conn, ADMIN_EMAIL, ADMIN_PASSWORD, Some(PROVIDER), true)?;
            created.push(format!(
                "portal account {ADMIN_EMAIL} (operator, Send Alerts on)"
            ));
        }
        if platform::count_of_provider(conn, provider.id)? == 0 {
            platform_of(conn, keys, &provider)?;
            created.push("CPaaS platform Inteliquent (the simulator's demo account)".to_owned());
        }
        let customer = child(conn, &provider, CUSTOMER, &mut created)?;
        user(conn, &provider, &customer, &mut created)?;
        queue_with_stream(conn, &customer, &mut created)?;
        numbers(conn, &provider, &customer, &mut created)?;
        Ok(created)
    })
}

/// The guide's system provider: (UTC-06:00) Central Time, a 14-day trial.
fn provider(conn: &mut DbConnection, created: &mut Vec<String>) -> Result<Organization, ApiError> {
    let found = organization::providers(conn)?
        .into_iter()
        .find(|p| p.name == PROVIDER);
    if let Some(provider) = found {
        return Ok(provider);
    }
    let provider = organization::insert(conn, OrgKind::SystemProvider, None, PROVIDER)?;
    diesel::update(organizations::table.find(provider.id))
        .set((
            organizations::timezone.eq("America/Chicago"),
            organizations::trial_duration_days.eq(14),
        ))
        .execute(conn)?;
    created.push(format!("system provider {PROVIDER}"));
    Ok(provider)
}

/// An Inteliquent platform on the simulator's demo account.
fn platform_of(
    conn: &mut DbConnection,
    keys: &SecretBox,
    provider: &Organization,
) -> Result<(), ApiError> {
    let now = Utc::now().naive_utc();
    let row = PlatformRow {
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
    platforms::insert_sealed(conn, keys, &row, &secrets)?;
    Ok(())
}

/// The end user Chris Tutt.
fn user(
    conn: &mut DbConnection,
    provider: &Organization,
    customer: &Organization,
    created: &mut Vec<String>,
) -> Result<(), ApiError> {
    if end_user::find_by_user_id(conn, provider.id, USER_ID)?.is_some() {
        return Ok(());
    }
    let now = Utc::now().naive_utc();
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
            token_version: 0,
        },
    )?;
    created.push(format!("end user Chris Tutt ({USER_ID})"));
    Ok(())
}

/// The queue with its SMS media stream.
fn queue_with_stream(
    conn: &mut DbConnection,
    customer: &Organization,
    created: &mut Vec<String>,
) -> Result<(), ApiError> {
    let now = Utc::now().naive_utc();
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
    Ok(())
}

/// The demo numbers: two of the user's and the stream's.
fn numbers(
    conn: &mut DbConnection,
    provider: &Organization,
    customer: &Organization,
    created: &mut Vec<String>,
) -> Result<(), ApiError> {
    let Some(platform) = platform::of_provider(conn, provider.id)?.into_iter().next() else {
        return Ok(());
    };
    let numbers = Numbers {
        platform: &platform,
        customer,
    };
    if let Some(user) = end_user::find_by_user_id(conn, provider.id, USER_ID)? {
        let consumer = Consumer::User(user.id, user.name.clone());
        numbers.add(
            conn,
            &consumer,
            "2019920778",
            "SMS only",
            MessagingType::Sms,
            created,
        )?;
        numbers.add(
            conn,
            &consumer,
            "2019920780",
            "My MMS Number",
            MessagingType::MmsSms,
            created,
        )?;
    }
    let stream: Option<(i64, String)> = media_streams::table
        .inner_join(queues::table.on(queues::id.eq(media_streams::queue_id)))
        .filter(queues::customer_id.eq(customer.id))
        .filter(queues::name.eq(QUEUE))
        .filter(media_streams::media_type.eq("sms"))
        .select((media_streams::id, media_streams::name))
        .first(conn)
        .optional()?;
    if let Some((id, name)) = stream {
        let consumer = Consumer::Stream(id, name);
        numbers.add(
            conn,
            &consumer,
            "2019920781",
            "2019920781",
            MessagingType::Sms,
            created,
        )?;
    }
    Ok(())
}

enum Consumer {
    User(i64, String),
    Stream(i64, String),
}

/// The demo's numbers: on the demo platform, under the demo customer.
struct Numbers<'a> {
    platform: &'a PlatformRow,
    customer: &'a Organization,
}

impl Numbers<'_> {
    /// Assigns `digits` unless something holds it already, with its provisioning job.
    fn add(
        &self,
        conn: &mut DbConnection,
        consumer: &Consumer,
        digits: &str,
        friendly_name: &str,
        messaging_type: MessagingType,
        created: &mut Vec<String>,
    ) -> Result<(), ApiError> {
        if number::active(conn, digits)?.is_some() {
            return Ok(());
        }
        let (kind, end_user_id, media_stream_id, name) = match consumer {
            Consumer::User(id, name) => ("user", Some(*id), None, name),
            Consumer::Stream(id, name) => ("media_stream", None, Some(*id), name),
        };
        let row = number::insert(
            conn,
            &NumberRow::pending(NewAssignment {
                digits,
                friendly_name: friendly_name.to_owned(),
                platform: self.platform,
                customer_id: self.customer.id,
                customer_path: &self.customer.path,
                consumer_kind: kind,
                end_user_id,
                media_stream_id,
                consumer_name: name.clone(),
                messaging_type,
                user_can_block_numbers: self.platform.user_can_block_numbers,
            }),
        )?;
        Job::ProvisionNumber { number_id: row.id }.enqueue(conn)?;
        created.push(format!(
            "CPaaS number {digits} \"{friendly_name}\" for {name}"
        ));
        Ok(())
    }
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
