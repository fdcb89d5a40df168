//! Many CPaaS numbers at once, written straight to the database: thousands of assignments
//! through the carrier would take minutes, and the lists are what these tests are about.

use chrono::Utc;
use cpaas_api::db::models::number::{self, NumberRow};
use diesel::Connection;

use crate::TestApp;

/// One stored number as the tests expect to see it.
pub struct Stored {
    pub number: String,
    pub friendly_name: String,
    pub active: bool,
}

/// Where the numbers go: a customer (its materialized path), one of its users (named "Chris
/// Tutt") and a platform.
pub struct Owner {
    pub customer_path: String,
    pub customer: i64,
    pub user: i64,
    pub platform: i64,
}

/// `count` numbers from 3105550000 up; every third has the friendly name "Front Desk i" (the
/// others keep the number), every seventh has ended.
pub fn numbers(app: &TestApp, owner: &Owner, count: usize) -> Vec<Stored> {
    numbers_from(app, owner, 3_105_550_000, count)
}

/// [`numbers`] from `first` up.
pub fn numbers_from(app: &TestApp, owner: &Owner, first: u64, count: usize) -> Vec<Stored> {
    let stored: Vec<Stored> = (0..count as u64)
        .map(|i| Stored {
            number: format!("{}", first + i),
            friendly_name: if i % 3 == 0 {
                format!("Front Desk {i}")
            } else {
                format!("{}", first + i)
            },
            active: i % 7 != 0,
        })
        .collect();
    let (provider_id, reseller_id) = number::lineage(&owner.customer_path);
    let mut conn = app.connect();
    conn.transaction(|conn| {
        let now = Utc::now().naive_utc();
        for row in &stored {
            number::insert(
                conn,
                &NumberRow {
                    id: 0,
                    number: row.number.clone(),
                    friendly_name: row.friendly_name.clone(),
                    platform_id: Some(owner.platform),
                    customer_id: owner.customer,
                    scope_path: owner.customer_path.clone(),
                    consumer_kind: "user".into(),
                    end_user_id: Some(owner.user),
                    media_stream_id: None,
                    consumer_name: "Chris Tutt".into(),
                    messaging_type: "sms".into(),
                    user_can_block_numbers: true,
                    provisioning_state: if row.active { "active" } else { "removed" }.into(),
                    provisioning_detail: None,
                    provisioning_attempts: 1,
                    provisioning_updated_at: now,
                    webhook_auth_id: None,
                    opt_in_state: "not_required".into(),
                    opt_in_at: None,
                    start_date: now,
                    end_date: (!row.active).then_some(now),
                    created_at: now,
                    updated_at: now,
                    monthly_charge_cents: 0,
                    initial_reply: None,
                    provider_id,
                    reseller_id,
                },
            )?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .expect("numbers stored");
    stored
}
