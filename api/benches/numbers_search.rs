//! CPaaS Numbers search at scale (design target: provider-level search over 1,000,000
//! numbers p95 ≤ 20 ms). Fills a fresh database with a realistic hierarchy (1 provider,
//! 10 resellers, 1,000 customers, 10,000 users) and `BENCH_NUMBERS` numbers (default 1,000,000),
//! then times, in the same run: a primary-key lookup (the baseline), the provider-level first
//! page, provider-level searches (digits, friendly names, user names) and user-level lists.
//!
//!     cargo bench -p cpaas-api --bench numbers_search                       # SQLite (temp file)
//!     BENCH_DATABASE_URL=postgres://… cargo bench -p cpaas-api --bench numbers_search
//!
//! `bench/numbers-search.sh` runs both (with a throwaway PostgreSQL). With `BENCH_REUSE=1` a
//! database an earlier run filled is measured again as it is (after its new migrations).

use std::time::{Duration, Instant};

use chrono::Utc;
use cpaas_api::db::models::end_user::{self, EndUserRow};
use cpaas_api::db::models::number::{self, NumberRow, Search, Sort, Within, lineage};
use cpaas_api::db::models::organization::{self, OrgKind};
use cpaas_api::db::models::platform::{self, PlatformRow};
use cpaas_api::db::schema::cpaas_numbers;
use cpaas_api::db::{Db, DbConnection};
use cpaas_api::error::ApiError;
use diesel::prelude::*;
use secrecy::SecretString;

const RESELLERS: usize = 10;
const FIRST: [&str; 24] = [
    "Chris", "Maria", "James", "Aroha", "Wei", "Priya", "Liam", "Sofia", "Noah", "Amara", "Mateo",
    "Hana", "Oliver", "Zoe", "Ethan", "Leilani", "Lucas", "Mei", "Omar", "Ava", "Tane", "Grace",
    "Diego", "Ruby",
];
const LAST: [&str; 30] = [
    "Tutt", "Garcia", "Smith", "Ngata", "Chen", "Patel", "Murphy", "Rossi", "Kim", "Okafor",
    "Silva", "Sato", "Brown", "Walker", "Nguyen", "Kealoha", "Martin", "Lin", "Haddad", "Taylor",
    "Parata", "Wilson", "Lopez", "Evans", "Cohen", "Novak", "Reid", "Fischer", "Moreau", "Ali",
];
const LABELS: [&str; 6] = [
    "Front desk",
    "Sales",
    "Support line",
    "After hours",
    "Billing",
    "Reception",
];
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

/// What the queries need of a filled database.
struct Filled {
    count: usize,
    provider_id: i64,
    provider_path: String,
    user_ids: Vec<i64>,
    /// A customer in the middle of the hierarchy (its id and path).
    customer: (i64, String),
}

async fn fill(db: &Db, total: usize) -> Filled {
    println!(
        "backend {}: filling {total} numbers …",
        db.backend().label()
    );
    let started = Instant::now();
    let (provider_id, provider_path, users) = db
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
                                    name: {
                                        let n = (r * CUSTOMERS_PER_RESELLER + c)
                                            * USERS_PER_CUSTOMER
                                            + u;
                                        format!(
                                            "{} {}",
                                            FIRST[n % FIRST.len()],
                                            LAST[(n / 7) % LAST.len()]
                                        )
                                    },
                                    timezone: None,
                                    language: None,
                                    external_reference: None,
                                    created_at: now,
                                    updated_at: now,
                                    token_version: 0,
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
                Ok::<_, ApiError>((provider.id, provider.path, users))
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
                            // Most keep the default (the number itself), as in the guide.
                            friendly_name: if index % 10 < 7 {
                                format!("{}", 2_000_000_000 + index)
                            } else {
                                format!("{} {}", LABELS[index % LABELS.len()], k + 1)
                            },
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
                            // One in twenty is an ended assignment, kept as history.
                            end_date: index.is_multiple_of(20).then_some(now),
                            created_at: now,
                            updated_at: now,
                            monthly_charge_cents: 150,
                            initial_reply: None,
                            provider_id: lineage(path).0,
                            reseller_id: lineage(path).1,
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
    let (_, _, customer_id, customer_path, _) = users[users.len() / 2].clone();
    Filled {
        count: count as usize,
        provider_id,
        provider_path,
        user_ids,
        customer: (customer_id, customer_path),
    }
}

/// `BENCH_REUSE=1`: the numbers an earlier run left in `BENCH_DATABASE_URL`, if any.
async fn reuse(db: &Db) -> Option<Filled> {
    std::env::var_os("BENCH_REUSE")?;
    db.run(|conn| {
        use cpaas_api::db::schema::end_users;
        let Some(provider) = organization::providers(conn)?
            .into_iter()
            .find(|p| p.name == "Bench Provider")
        else {
            return Ok::<_, ApiError>(None);
        };
        let user_ids: Vec<i64> = end_users::table
            .filter(end_users::provider_id.eq(provider.id))
            .order(end_users::id.asc())
            .select(end_users::id)
            .load(conn)?;
        let Some(middle) = user_ids.get(user_ids.len() / 2) else {
            return Ok(None);
        };
        let customer_id = end_user::find(conn, *middle)?.customer_id;
        let customer = organization::find(conn, customer_id)?;
        let count: i64 = cpaas_numbers::table
            .filter(cpaas_numbers::provider_id.eq(provider.id))
            .count()
            .get_result(conn)?;
        Ok(Some(Filled {
            count: count as usize,
            provider_id: provider.id,
            provider_path: provider.path,
            user_ids,
            customer: (customer.id, customer.path),
        }))
    })
    .await
    .expect("earlier numbers")
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
    let filled = match reuse(&db).await {
        Some(filled) => {
            println!(
                "backend {}: reusing {} numbers",
                db.backend().label(),
                filled.count
            );
            filled
        }
        None => fill(&db, total).await,
    };
    let Filled {
        count,
        provider_id,
        provider_path,
        user_ids,
        customer: (customer_id, customer_path),
    } = filled;

    if let Some(analyze) = analyze_statement(&db) {
        // What autovacuum does after a bulk load; SQLite's plans do not depend on statistics.
        db.run(move |conn| Ok::<_, ApiError>(diesel::sql_query(analyze).execute(conn)?))
            .await
            .expect("analyze");
    }

    let runs = 60;
    let n = count;
    let baseline = time(&db, "baseline: one number by id", runs, move |i, conn| {
        number::find(conn, 1 + (i * 7919 % n) as i64).map(|_| 1)
    })
    .await;
    let provider = Within::Organization(OrgKind::SystemProvider, provider_id, provider_path);
    let reseller_id = lineage(&customer_path).1;
    let reseller_path = format!("/{provider_id}/{}/", reseller_id.unwrap_or_default());
    let reseller = Within::Organization(
        OrgKind::Reseller,
        reseller_id.unwrap_or_default(),
        reseller_path,
    );
    let customer = Within::Organization(OrgKind::Customer, customer_id, customer_path);
    type Case = (&'static str, Within, fn(usize) -> Option<String>);
    let cases: Vec<Case> = vec![
        ("provider: first page, no search", provider.clone(), |_| {
            None
        }),
        ("provider: rare digits (5 of them)", provider.clone(), |i| {
            Some(format!("{:05}", (i * 7919) % 100_000))
        }),
        (
            "provider: common digits (\"2004…\")",
            provider.clone(),
            |i| Some(format!("200{}", i % 10)),
        ),
        ("provider: a last name", provider.clone(), |i| {
            Some(LAST[i % LAST.len()].to_owned())
        }),
        ("provider: a full name", provider.clone(), |i| {
            Some(format!(
                "{} {}",
                FIRST[i % FIRST.len()],
                LAST[(i / 3) % LAST.len()]
            ))
        }),
        ("provider: a friendly-name label", provider.clone(), |i| {
            Some(LABELS[i % LABELS.len()].to_owned())
        }),
        // Under three characters: the list read in order and filtered.
        ("provider: two letters", provider.clone(), |i| {
            Some(LAST[i % LAST.len()][..2].to_owned())
        }),
        ("reseller: first page", reseller.clone(), |_| None),
        ("reseller: a last name", reseller, |i| {
            Some(LAST[i % LAST.len()].to_owned())
        }),
        ("customer: first page", customer.clone(), |_| None),
        ("customer: a friendly-name label", customer, |i| {
            Some(LABELS[i % LABELS.len()].to_owned())
        }),
    ];
    let mut timings = vec![baseline];
    for (name, within, term) in cases {
        let within = std::sync::Arc::new(within);
        timings.push(
            time(&db, name, runs, move |i, conn| {
                let search = term(i).map(|t| Search {
                    number: t.to_lowercase(),
                    text: t.to_lowercase(),
                });
                number::list(conn, &within, search.as_ref(), Sort::ActiveFirst, 1, 25)
                    .map(|listed| listed.rows.len())
            })
            .await,
        );
    }
    let ids = user_ids.clone();
    timings.push(
        time(&db, "user: list", runs, move |i, conn| {
            number::list(
                conn,
                &Within::User(ids[(i * 7919) % ids.len()]),
                None,
                Sort::ActiveFirst,
                1,
                25,
            )
            .map(|listed| listed.rows.len())
        })
        .await,
    );
    println!(
        "\n{:<44} {:>10} {:>10} {:>12}",
        "query", "p50 ms", "p95 ms", "p95 / base"
    );
    let base = timings[0].p95.as_secs_f64().max(1e-9);
    for t in &timings {
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

fn analyze_statement(db: &Db) -> Option<&'static str> {
    (db.backend() == cpaas_shared::DatabaseBackend::Postgresql).then_some("ANALYZE")
}
