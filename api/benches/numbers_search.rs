//! CPaaS Numbers search at scale (issue 5, design target: provider-level search over 1,000,000
//! numbers p95 ≤ 20 ms). Fills a fresh database with a realistic hierarchy (1 provider,
//! 10 resellers, 1,000 customers, 10,000 users) and `BENCH_NUMBERS` numbers (default 1,000,000),
//! then times, in the same run: a primary-key lookup (the baseline), the provider-level first
//! page, provider-level searches (digits, friendly names, user names) and user-level lists.
//!
//!     cargo bench -p cpaas-api --bench numbers_search                       # SQLite (temp file)
//!     BENCH_DATABASE_URL=postgres://… cargo bench -p cpaas-api --bench numbers_search
//!
//! `bench/numbers-search.sh` runs both (with a throwaway PostgreSQL).

use std::time::{Duration, Instant};

use chrono::Utc;
use cpaas_api::db::models::end_user::{self, EndUserRow};
use cpaas_api::db::models::number::{self, NumberRow, Search, Sort, Within};
use cpaas_api::db::models::organization::{self, OrgKind};
use cpaas_api::db::models::platform::{self, PlatformRow};
use cpaas_api::db::schema::cpaas_numbers;
use cpaas_api::db::{Db, DbConnection};
use cpaas_api::error::ApiError;
use cpaas_api::services::organizations::like_pattern;
use diesel::prelude::*;
use secrecy::SecretString;

const RESELLERS: usize = 10;
const CUSTOMERS_PER_RESELLER: usize = 100;
const USERS_PER_CUSTOMER: usize = 10;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

struct Timing {
    name: &'static str,
    p50: Duration,
    p95: Duration,
}

async fn time<F>(db: &Db, name: &'static str, runs: usize, query: F) -> Timing
where
    F: Fn(usize, &mut cpaas_api::db::DbConnection) -> QueryResult<usize>
        + Send
        + Sync
        + Clone
        + 'static,
{
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let q = query.clone();
        let (elapsed, _) = db
            .run(move |conn| {
                let started = Instant::now();
                let rows = q(i, conn)?;
                Ok::<_, ApiError>((started.elapsed(), rows))
            })
            .await
            .expect("query runs");
        times.push(elapsed);
    }
    times.sort();
    Timing {
        name,
        p50: percentile(&times, 0.5),
        p95: percentile(&times, 0.95),
    }
}

/// One multi-row INSERT (the multi-backend connection has no batch insert: use each backend's).
fn batch(conn: &mut DbConnection, rows: &[NumberRow]) -> QueryResult<usize> {
    let insert = diesel::insert_into(cpaas_numbers::table).values(rows);
    match conn {
        DbConnection::Sqlite(c) => insert.execute(c),
        DbConnection::Postgresql(c) => insert.execute(c),
    }
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::var("BENCH_NUMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = Db::connect(&SecretString::from(url), 4).expect("database");
    println!(
        "backend {}: filling {total} numbers …",
        db.backend().label()
    );
    let started = Instant::now();
    let (provider_path, users) = db
        .run(move |conn| {
            conn.transaction(|conn| {
                let provider =
                    organization::insert(conn, OrgKind::SystemProvider, None, "Bench Provider")?;
                let now = Utc::now().naive_utc();
                let platform = platform::insert(
                    conn,
                    &PlatformRow {
                        id: 0,
                        provider_id: provider.id,
                        kind: "inteliquent".into(),
                        name: "Inteliquent".into(),
                        account_key: "v1:unused".into(),
                        token_secret: "v1:unused".into(),
                        outbound_api_key: "v1:unused".into(),
                        user_confirmation_required: false,
                        user_can_block_numbers: true,
                        mms_available: true,
                        created_at: now,
                        updated_at: now,
                        webhook_token: None,
                        monthly_charge_cents: 150,
                    },
                )?;
                let mut users = Vec::new();
                for r in 0..RESELLERS {
                    let reseller = organization::insert(
                        conn,
                        OrgKind::Reseller,
                        Some(provider.id),
                        &format!("Reseller {r}"),
                    )?;
                    for c in 0..CUSTOMERS_PER_RESELLER {
                        let customer = organization::insert(
                            conn,
                            OrgKind::Customer,
                            Some(reseller.id),
                            &format!("Customer {r}-{c}"),
                        )?;
                        for u in 0..USERS_PER_CUSTOMER {
                            let row = end_user::insert(
                                conn,
                                &EndUserRow {
                                    id: 0,
                                    customer_id: customer.id,
                                    provider_id: provider.id,
                                    user_id: format!("user{r}-{c}-{u}@bench.example"),
                                    name: format!("User {r} {c} {u}"),
                                    timezone: None,
                                    language: None,
                                    external_reference: None,
                                    created_at: now,
                                    updated_at: now,
                                },
                            )?;
                            users.push((
                                row.id,
                                row.name,
                                customer.id,
                                customer.path.clone(),
                                platform.id,
                            ));
                        }
                    }
                }
                Ok::<_, ApiError>((provider.path, users))
            })
        })
        .await
        .expect("hierarchy");
    let per_user = total.div_ceil(users.len());
    let user_ids: Vec<i64> = users.iter().map(|u| u.0).collect();
    for chunk in users.chunks(200) {
        let chunk = chunk.to_vec();
        db.run(move |conn| {
            conn.transaction(|conn| {
                let now = Utc::now().naive_utc();
                let mut rows = Vec::with_capacity(1000);
                for (user_id, name, customer_id, path, platform_id) in &chunk {
                    for k in 0..per_user {
                        let index = (*user_id as usize) * per_user + k;
                        rows.push(NumberRow {
                            id: 0,
                            number: format!("{}", 2_000_000_000 + index),
                            friendly_name: format!("Line {k} of {name}"),
                            platform_id: Some(*platform_id),
                            customer_id: *customer_id,
                            scope_path: path.clone(),
                            consumer_kind: "user".into(),
                            end_user_id: Some(*user_id),
                            media_stream_id: None,
                            consumer_name: name.clone(),
                            messaging_type: if k % 3 == 0 {
                                "mms_sms".into()
                            } else {
                                "sms".into()
                            },
                            user_can_block_numbers: true,
                            provisioning_state: "active".into(),
                            provisioning_detail: None,
                            provisioning_attempts: 1,
                            provisioning_updated_at: now,
                            webhook_auth_id: Some(format!("{index}")),
                            opt_in_state: "not_required".into(),
                            opt_in_at: None,
                            start_date: now,
                            end_date: None,
                            created_at: now,
                            updated_at: now,
                            monthly_charge_cents: 150,
                            initial_reply: None,
                        });
                        if rows.len() == 1000 {
                            batch(conn, &rows)?;
                            rows.clear();
                        }
                    }
                }
                if !rows.is_empty() {
                    batch(conn, &rows)?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await
        .expect("numbers");
    }
    let count: i64 = db
        .run(|conn| Ok::<_, ApiError>(cpaas_numbers::table.count().get_result(conn)?))
        .await
        .expect("count");
    println!(
        "filled {count} numbers under {} users in {:.1} s",
        user_ids.len(),
        started.elapsed().as_secs_f64()
    );

    let runs = 60;
    let n = count as usize;
    let baseline = time(&db, "baseline: one number by id", runs, move |i, conn| {
        number::find(conn, 1 + (i * 7919 % n) as i64).map(|_| 1)
    })
    .await;
    let path = provider_path.clone();
    let first_page = time(
        &db,
        "provider: first page, no search",
        runs,
        move |_, conn| {
            number::list(
                conn,
                &Within::Path(path.clone()),
                None,
                Sort::ActiveFirst,
                1,
                25,
            )
            .map(|(rows, _)| rows.len())
        },
    )
    .await;
    let path = provider_path.clone();
    let digits = time(
        &db,
        "provider: search digits (\"…9207…\"-like)",
        runs,
        move |i, conn| {
            let term = format!("{:05}", (i * 7919) % 100_000);
            let search = Search {
                text: like_pattern(&term),
                number: like_pattern(&term),
            };
            number::list(
                conn,
                &Within::Path(path.clone()),
                Some(&search),
                Sort::ActiveFirst,
                1,
                25,
            )
            .map(|(rows, _)| rows.len())
        },
    )
    .await;
    let path = provider_path.clone();
    let names = time(&db, "provider: search user name", runs, move |i, conn| {
        let term = format!(
            "user {} {} {}",
            i % RESELLERS,
            i % CUSTOMERS_PER_RESELLER,
            i % USERS_PER_CUSTOMER
        );
        let search = Search {
            text: like_pattern(&term),
            number: like_pattern(&term),
        };
        number::list(
            conn,
            &Within::Path(path.clone()),
            Some(&search),
            Sort::ActiveFirst,
            1,
            25,
        )
        .map(|(rows, _)| rows.len())
    })
    .await;
    let ids = user_ids.clone();
    let user_list = time(&db, "user: list", runs, move |i, conn| {
        number::list(
            conn,
            &Within::User(ids[(i * 7919) % ids.len()]),
            None,
            Sort::ActiveFirst,
            1,
            25,
        )
        .map(|(rows, _)| rows.len())
    })
    .await;
    println!(
        "\n{:<44} {:>10} {:>10} {:>12}",
        "query", "p50 ms", "p95 ms", "p95 / base"
    );
    let base = baseline.p95.as_secs_f64().max(1e-9);
    for t in [&baseline, &first_page, &digits, &names, &user_list] {
        println!(
            "{:<44} {:>10.2} {:>10.2} {:>11.0}x",
            t.name,
            t.p50.as_secs_f64() * 1e3,
            t.p95.as_secs_f64() * 1e3,
            t.p95.as_secs_f64() / base
        );
    }
    println!("\ntarget: provider-level search p95 <= 20 ms");
}
