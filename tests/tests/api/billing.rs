//! R18: the provider's monthly bill: each number assigned during the month, its days active and
//! prorated charge, the totals, as JSON and as CSV.

use chrono::NaiveDate;
use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use cpaas_shared::{ApiErrorBody, BillingReport, ErrorCode, LoginResponse};
use cpaas_tests::TestApp;
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app.call(token, Method::POST, path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    res.json().await.expect("created")
}

fn at(y: i32, m: u32, d: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .expect("date")
}

#[tokio::test]
async fn the_bill_prorates_each_number_by_its_days_in_the_month() {
    let app = TestApp::spawn().await;
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo");
    let login: LoginResponse = app
        .login("admin@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let token = login.access_token.as_str();
    let provider = login.account.organization_id;
    let platform = post(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/cpaas-platforms"),
        json!({
            "account_key": DEMO_ACCOUNT_KEY, "token_secret": DEMO_TOKEN_SECRET,
            "outbound_api_key": DEMO_OUTBOUND_KEY, "monthly_charge_cents": 150,
        }),
    )
    .await;
    assert_eq!(platform["monthly_charge_cents"], 150);
    let customer = post(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/customers"),
        json!({ "name": "Acme" }),
    )
    .await;
    let user = post(
        &app,
        token,
        &format!("/api/v1/customers/{}/users", customer["id"]),
        json!({ "user_id": "chris@acme.example", "name": "Tutt, Chris" }),
    )
    .await;
    let mut ids = Vec::new();
    for (number, name) in [
        ("2019920778", "SMS only"),
        // A formula a spreadsheet would run.
        ("2019920780", "=HYPERLINK(\"http://x.example\",\"Bill\")"),
        ("2019920781", "Later"),
    ] {
        let created = post(
            &app,
            token,
            &format!("/api/v1/users/{}/cpaas-numbers", user["id"]),
            json!({ "number": number, "friendly_name": name }),
        )
        .await;
        ids.push(created["id"].as_i64().expect("id"));
    }
    // Back-date the assignments into February 2026 (28 days).
    {
        use cpaas_api::db::schema::cpaas_numbers::dsl as n;
        let mut conn = app.connect();
        for (id, start, end) in [
            (ids[0], at(2026, 1, 5), None),
            (ids[1], at(2026, 2, 10), Some(at(2026, 2, 12))),
            (ids[2], at(2026, 3, 2), None),
        ] {
            diesel::update(n::cpaas_numbers.find(id))
                .set((n::start_date.eq(start), n::end_date.eq(end)))
                .execute(&mut conn)
                .expect("back-dated");
        }
    }
    let url = format!("/api/v1/providers/{provider}/billing?month=2026-02");
    let report: BillingReport = app
        .call(token, Method::GET, &url, None)
        .await
        .json()
        .await
        .expect("report");
    let lines: Vec<(&str, u32, u64)> = report
        .lines
        .iter()
        .map(|l| (l.number.as_str(), l.days_active, l.charge_cents))
        .collect();
    assert_eq!(
        lines,
        [("2019920778", 28, 150), ("2019920780", 3, 16)],
        "March's number is not in February"
    );
    assert_eq!(
        (
            report.days_in_month,
            report.total_numbers,
            report.total_charge_cents
        ),
        (28, 2, 166)
    );

    let res = app
        .client
        .get(app.url(&url))
        .bearer_auth(token)
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let csv = res.text().await.expect("csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "number,friendly_name,assigned_to,start_date,end_date,days_active,monthly_charge,charge"
    );
    assert_eq!(
        rows[1],
        "2019920778,SMS only,\"Tutt, Chris\",2026-01-05T09:30:00Z,,28,1.50,1.50"
    );
    assert_eq!(
        rows[2],
        "2019920780,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Bill\"\")\",\"Tutt, Chris\",\
         2026-02-10T09:30:00Z,2026-02-12T09:30:00Z,3,1.50,0.16",
        "a formula is shown as text"
    );
    assert_eq!(rows[3], "total,2 numbers,,,,,,1.66");

    let current: BillingReport = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/providers/{provider}/billing"),
            None,
        )
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(
        current.month,
        chrono::Utc::now().format("%Y-%m").to_string(),
        "the current month by default"
    );
    for bad in ["", "2026-13", "February"] {
        let res = app
            .call(
                token,
                Method::GET,
                &format!("/api/v1/providers/{provider}/billing?month={bad}"),
                None,
            )
            .await;
        let body: ApiErrorBody = res.json().await.expect("envelope");
        assert_eq!(body.code, ErrorCode::ValidationFailed, "{bad}");
    }
    app.create_admin("admin@other.example", PASSWORD, "Other");
    let other = app.token("admin@other.example", PASSWORD).await;
    assert_eq!(
        app.call(&other, Method::GET, &url, None).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// A bill longer than one read (500 lines) streams as CSV: every line once, in the JSON's
/// order, then the total, without a length known up front.
#[tokio::test]
async fn a_long_bill_streams_as_csv_line_for_line_as_the_json() {
    let app = TestApp::spawn().await;
    let w = crate::numbers::world(&app, false).await;
    let count = 1_234;
    cpaas_tests::bulk::numbers(&app, &w.owner(), count);
    let url = format!("/api/v1/providers/{}/billing", w.provider);
    let report: BillingReport = app
        .call(&w.token, Method::GET, &url, None)
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(report.lines.len(), count);

    let res = app
        .client
        .get(app.url(&format!("{url}?format=csv")))
        .bearer_auth(&w.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not built whole: {:?}",
        res.headers()
    );
    let csv = res.text().await.expect("csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), count + 2, "header, a line a number, total");
    let streamed: Vec<&str> = rows[1..=count]
        .iter()
        .map(|row| row.split(',').next().unwrap_or_default())
        .collect();
    let wanted: Vec<&str> = report.lines.iter().map(|l| l.number.as_str()).collect();
    assert_eq!(streamed, wanted, "no line lost or repeated between reads");
    assert_eq!(rows[count + 1], format!("total,{count} numbers,,,,,,0.00"));
}
