//! The CPaaS Numbers lists past their shortcuts: with more numbers than the count cap and than
//! the search index's candidate limit, every level still answers the right page in the right
//! order, and says when its total is a floor ("more than") rather than exact. The rows are
//! written straight to the database (6,000 assignments through the carrier would take minutes);
//! what is checked is the API's answer against the same rules applied here by hand.

use chrono::Utc;
use cpaas_api::db::models::number::{self, CANDIDATES, COUNT_CAP, NumberRow};
use cpaas_shared::{CpaasNumber, Page};
use diesel::Connection;
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::numbers::{World, world};
use cpaas_tests::TestApp;

const COUNT: usize = 6_000;

struct Row {
    number: String,
    friendly_name: String,
    active: bool,
}

/// 6,000 numbers under the world's customer and user; every seventh has ended.
fn fill(app: &TestApp, w: &World) -> Vec<Row> {
    let rows: Vec<Row> = (0..COUNT)
        .map(|i| Row {
            number: format!("{}", 3_105_550_000_u64 + i as u64),
            friendly_name: if i % 3 == 0 {
                format!("Front Desk {i}")
            } else {
                format!("{}", 3_105_550_000_u64 + i as u64)
            },
            active: i % 7 != 0,
        })
        .collect();
    let mut conn = app.connect();
    let customer_path = format!("/{}/{}/{}/", w.provider, w.reseller, w.customer);
    let (provider_id, reseller_id) = number::lineage(&customer_path);
    assert_eq!((provider_id, reseller_id), (w.provider, Some(w.reseller)));
    conn.transaction(|conn| {
        let now = Utc::now().naive_utc();
        for row in &rows {
            number::insert(
                conn,
                &NumberRow {
                    id: 0,
                    number: row.number.clone(),
                    friendly_name: row.friendly_name.clone(),
                    platform_id: Some(w.platform),
                    customer_id: w.customer,
                    scope_path: customer_path.clone(),
                    consumer_kind: "user".into(),
                    end_user_id: Some(w.user),
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
    rows
}

/// The list's rule by hand: matches, active first, then by number.
fn expected<'a>(rows: &'a [Row], digits: &str, text: &str) -> Vec<&'a Row> {
    let mut found: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            text.is_empty()
                || r.number.contains(digits)
                || r.friendly_name.to_lowercase().contains(text)
                || "chris tutt".contains(text)
        })
        .collect();
    found.sort_by(|a, b| (!a.active, &a.number).cmp(&(!b.active, &b.number)));
    found
}

async fn page(app: &TestApp, w: &World, path: &str) -> Page<CpaasNumber> {
    let res = app.call(&w.token, Method::GET, path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.expect("page")
}

/// The API's page `n` against the rule, with the total exact up to `cap` and a floor past it.
async fn check(app: &TestApp, w: &World, rows: &[Row], level: &str, term: &str, n: usize) {
    // As the api reads a term: typed like a phone number, its digits; otherwise as typed.
    let lower = term.to_lowercase();
    let digits: String = term.chars().filter(char::is_ascii_digit).collect();
    let phone_like = term
        .chars()
        .all(|c| c.is_ascii_digit() || " ()-.+".contains(c));
    let digits = if phone_like && !digits.is_empty() {
        digits
    } else {
        lower.clone()
    };
    let want = expected(rows, &digits, &lower);
    // Counted to the cap; a term too common for the search indexes only through this page.
    let cap = if !term.is_empty() && want.len() >= CANDIDATES {
        0
    } else {
        COUNT_CAP
    };
    let query = url_query(term, n);
    let got = page(app, w, &format!("{level}/cpaas-numbers?{query}")).await;
    let shown: Vec<&str> = got.items.iter().map(|i| i.number.as_str()).collect();
    let wanted: Vec<&str> = want
        .iter()
        .skip((n - 1) * 25)
        .take(25)
        .map(|r| r.number.as_str())
        .collect();
    assert_eq!(shown, wanted, "{level} {term:?} page {n}");
    let floor = cap.max(n * 25);
    if want.len() > floor {
        assert!(got.total_capped, "{level} {term:?}: more than {floor}");
        assert_eq!(got.total, floor as u64, "{level} {term:?}");
    } else {
        assert!(!got.total_capped, "{level} {term:?}: exact");
        assert_eq!(got.total, want.len() as u64, "{level} {term:?}");
    }
}

fn url_query(term: &str, n: usize) -> String {
    let encoded: String = term
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("search={encoded}&page={n}")
}

#[tokio::test]
async fn big_lists_answer_the_right_page_and_say_when_their_total_is_a_floor() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let rows = fill(&app, &w);
    let levels = [
        format!("/api/v1/providers/{}", w.provider),
        format!("/api/v1/resellers/{}", w.reseller),
        format!("/api/v1/customers/{}", w.customer),
        format!("/api/v1/users/{}", w.user),
    ];
    for level in &levels {
        // No search: the first page, a page past the count cap, the last page.
        for n in [1, 60, COUNT.div_ceil(25)] {
            check(&app, &w, &rows, level, "", n).await;
        }
    }
    let provider = &levels[0];
    // Terms of every kind: common (every number holds "555"), rare digits, typed with
    // punctuation, a name any case, a friendly name with a few hundred matches, and nothing.
    for term in [
        "555",
        "0042",
        "(310) 555-00",
        "FRONT desk 52",
        "Front Desk 1",
        "tutt",
        "zzz",
    ] {
        check(&app, &w, &rows, provider, term, 1).await;
    }
    check(&app, &w, &rows, provider, "Front Desk 1", 3).await;
    check(&app, &w, &rows, &levels[2], "0042", 1).await;

    // Another sort over the whole list: the largest number first.
    let got = page(&app, &w, &format!("{provider}/cpaas-numbers?sort=-number")).await;
    assert_eq!(got.items[0].number, "3105555999");
    assert_eq!(got.items[1].number, "3105555998");
    // Lists that are exact say nothing of capping.
    let res = app
        .call(
            &w.token,
            Method::GET,
            &format!("/api/v1/customers/{}/users", w.customer),
            None,
        )
        .await;
    let users: serde_json::Value = res.json().await.expect("users");
    assert_eq!(users.get("total_capped"), None, "{users}");
    assert_eq!(users["total"], json!(1));
}
