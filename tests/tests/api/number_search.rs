//! Searching the CPaaS Numbers lists by name, through the name suffixes and the merge of each
//! name's numbers: the results keep to the level asked for, terms are taken literally, a
//! number matching twice is listed once, renamed holders are found under their new name, and
//! another order sorts every match. Two customers' numbers carry the same names: one under the
//! world's reseller, one directly under the provider.

use cpaas_shared::{CpaasNumber, Page};
use cpaas_tests::TestApp;
use cpaas_tests::bulk::{self, Owner, Stored};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::numbers::{World, post, world};

/// 300 numbers for each customer.
const EACH: usize = 300;

struct Scene {
    app: TestApp,
    w: World,
    /// The world customer's numbers, then the other customer's.
    mine: Vec<Stored>,
    theirs: Vec<Stored>,
    other_customer: i64,
}

async fn scene() -> Scene {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let mine = bulk::numbers(&app, &w.owner(), EACH);
    let path = format!("/api/v1/providers/{}/customers", w.provider);
    let other = post(&app, &w.token, &path, json!({"name": "Other Co"})).await;
    let other_customer = other["id"].as_i64().expect("id");
    let path = format!("/api/v1/customers/{other_customer}/users");
    let body = json!({"user_id": "chris@other.example", "name": "Chris Tutt"});
    let other_user = post(&app, &w.token, &path, body).await;
    let theirs = bulk::numbers_from(
        &app,
        &Owner {
            customer_path: format!("/{}/{other_customer}/", w.provider),
            customer: other_customer,
            user: other_user["id"].as_i64().expect("id"),
            platform: w.platform,
        },
        3_105_560_000,
        EACH,
    );
    Scene {
        app,
        w,
        mine,
        theirs,
        other_customer,
    }
}

/// The numbers among `rows` whose friendly name or holder's name holds `text`, active first,
/// then by number; `holder` names each number's user, lowercased.
fn expected<'a>(
    rows: impl IntoIterator<Item = &'a Stored>,
    text: &str,
    holder: impl Fn(&Stored) -> &'static str,
) -> Vec<&'a Stored> {
    let mut found: Vec<&Stored> = rows
        .into_iter()
        .filter(|r| {
            (r.friendly_name != r.number && r.friendly_name.to_lowercase().contains(text))
                || holder(r).contains(text)
        })
        .collect();
    found.sort_by(|a, b| (!a.active, &a.number).cmp(&(!b.active, &b.number)));
    found
}

fn chris(_: &Stored) -> &'static str {
    "chris tutt"
}

/// The first page at `path` is the first 25 of `want`, and its total is `want`'s, exactly.
async fn listed(s: &Scene, path: &str, want: &[&Stored]) {
    let res = s.app.call(&s.w.token, Method::GET, path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let got: Page<CpaasNumber> = res.json().await.expect("page");
    let shown: Vec<&str> = got.items.iter().map(|i| i.number.as_str()).collect();
    let wanted: Vec<&str> = want.iter().take(25).map(|r| r.number.as_str()).collect();
    assert_eq!(shown, wanted, "{path}");
    let total = (got.total, got.total_capped);
    assert_eq!(total, (want.len() as u64, false), "{path}");
}

/// Renames the friendly name of stored number `number` through the API.
async fn rename(s: &mut Scene, number: &str, friendly_name: &str) {
    let path = format!(
        "/api/v1/providers/{}/cpaas-numbers?search={number}",
        s.w.provider
    );
    let res = s.app.call(&s.w.token, Method::GET, &path, None).await;
    let found: Page<CpaasNumber> = res.json().await.expect("page");
    let id = found.items.first().expect("the number").id;
    let path = format!("/api/v1/cpaas-numbers/{id}");
    let body = json!({ "friendly_name": friendly_name });
    let res = s
        .app
        .call(&s.w.token, Method::PATCH, &path, Some(body))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let stored = s.mine.iter_mut().chain(s.theirs.iter_mut());
    let row = stored.into_iter().find(|r| r.number == number);
    row.expect("stored").friendly_name = friendly_name.to_owned();
}

#[tokio::test]
async fn name_searches_keep_to_their_level() {
    let mut s = scene().await;
    let w = &s.w;
    // "Front Desk 12", "…15", "…18", "…102" to "…198": both customers have them.
    let term = "front%20desk%201";
    let text = "front desk 1";
    let both = expected(s.mine.iter().chain(&s.theirs), text, chris);
    let mine = expected(&s.mine, text, chris);
    let theirs = expected(&s.theirs, text, chris);
    assert!(
        mine.len() > 25 && theirs.len() > 25,
        "more than a page each"
    );
    let provider = format!("/api/v1/providers/{}", w.provider);
    listed(
        &s,
        &format!("{provider}/cpaas-numbers?search={term}"),
        &both,
    )
    .await;
    let reseller = format!("/api/v1/resellers/{}", w.reseller);
    listed(
        &s,
        &format!("{reseller}/cpaas-numbers?search={term}"),
        &mine,
    )
    .await;
    let customer = format!("/api/v1/customers/{}", w.customer);
    listed(
        &s,
        &format!("{customer}/cpaas-numbers?search={term}"),
        &mine,
    )
    .await;
    // A user's list is small: its search is counted exactly, past the page.
    let user = format!("/api/v1/users/{}", w.user);
    listed(&s, &format!("{user}/cpaas-numbers?search={term}"), &mine).await;
    let other = format!("/api/v1/customers/{}", s.other_customer);
    listed(&s, &format!("{other}/cpaas-numbers?search={term}"), &theirs).await;
    // Digits and a name at once: 3105550042, and the number named "Room 0042".
    let room = s.mine[5].number.clone();
    rename(&mut s, &room, "Room 0042").await;
    let mut want: Vec<&Stored> = s
        .mine
        .iter()
        .filter(|r| r.number.contains("0042") || r.friendly_name.contains("0042"))
        .collect();
    want.sort_by(|a, b| (!a.active, &a.number).cmp(&(!b.active, &b.number)));
    assert_eq!(want.len(), 2, "one by its digits, one by its name");
    listed(&s, &format!("{customer}/cpaas-numbers?search=0042"), &want).await;
}

#[tokio::test]
async fn terms_are_taken_literally() {
    let mut s = scene().await;
    let (one, two, three) = (
        s.mine[1].number.clone(),
        s.mine[2].number.clone(),
        s.theirs[1].number.clone(),
    );
    rename(&mut s, &one, "Promo 50%_off").await;
    rename(&mut s, &two, "Promo 50% off").await;
    rename(&mut s, &three, "Café Zoë").await;
    let provider = format!("/api/v1/providers/{}/cpaas-numbers", s.w.provider);
    let all: Vec<&Stored> = s.mine.iter().chain(&s.theirs).collect();
    // As LIKE patterns, "%" and "_" would match any text: here they match themselves.
    for (query, text) in [
        ("50%25_", "50%_"),
        ("%25%20o", "% o"),
        ("%25_o", "%_o"),
        ("CAF%C3%A9%20zo", "café zo"),
    ] {
        let want = expected(all.iter().copied(), text, chris);
        assert_eq!(want.len(), 1, "{text:?}: one number by hand");
        listed(&s, &format!("{provider}?search={query}"), &want).await;
    }
}

#[tokio::test]
async fn a_number_matching_twice_is_listed_once_and_renamed_holders_are_found() {
    let mut s = scene().await;
    // The friendly name and the user's name both hold "tutt".
    for at in [1, 2, 4] {
        let number = s.mine[at].number.clone();
        rename(&mut s, &number, "Tutt line").await;
    }
    let provider = format!("/api/v1/providers/{}/cpaas-numbers", s.w.provider);
    let all: Vec<&Stored> = s.mine.iter().chain(&s.theirs).collect();
    let want = expected(all.iter().copied(), "tutt", chris);
    assert_eq!(want.len(), 2 * EACH);
    listed(&s, &format!("{provider}?search=tutt"), &want).await;

    // Renaming the user renames its active numbers' holder: the new name finds them, and the
    // old one still finds the ended ones (history), the other customer's and "Tutt line".
    let path = format!("/api/v1/users/{}", s.w.user);
    let body = json!({"name": "Aroha Ngata"});
    let res = s
        .app
        .call(&s.w.token, Method::PATCH, &path, Some(body))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let mine: Vec<String> = s.mine.iter().map(|r| r.number.clone()).collect();
    let holder = move |r: &Stored| -> &'static str {
        if r.active && mine.contains(&r.number) {
            "aroha ngata"
        } else {
            "chris tutt"
        }
    };
    for (query, text) in [("NGATA", "ngata"), ("tutt", "tutt")] {
        let want = expected(all.iter().copied(), text, &holder);
        listed(&s, &format!("{provider}?search={query}"), &want).await;
    }
}

#[tokio::test]
async fn another_order_sorts_every_match() {
    let s = scene().await;
    let provider = format!("/api/v1/providers/{}/cpaas-numbers", s.w.provider);
    for (query, text) in [("front%20desk%201", "front desk 1"), ("tutt", "tutt")] {
        let mut want = expected(s.mine.iter().chain(&s.theirs), text, chris);
        want.sort_by(|a, b| b.number.cmp(&a.number));
        listed(
            &s,
            &format!("{provider}?search={query}&sort=-number"),
            &want,
        )
        .await;
        want.sort_by(|a, b| a.number.cmp(&b.number));
        listed(&s, &format!("{provider}?search={query}&sort=number"), &want).await;
    }
}

/// A second provider's admin and a customer and user of its own, as bulk numbers' owner.
async fn other_provider(app: &TestApp, platform: i64) -> (String, i64, Owner) {
    app.create_admin(
        "admin@other.example",
        "correct horse battery",
        "Other Telco",
    );
    let token = app
        .token("admin@other.example", "correct horse battery")
        .await;
    let me = app.call(&token, Method::GET, "/api/v1/auth/me", None).await;
    let me: serde_json::Value = me.json().await.expect("me");
    let provider = me["organization_id"].as_i64().expect("provider");
    let path = format!("/api/v1/providers/{provider}/customers");
    let customer = post(app, &token, &path, json!({"name": "Other Co"})).await;
    let customer = customer["id"].as_i64().expect("id");
    let path = format!("/api/v1/customers/{customer}/users");
    let body = json!({"user_id": "ana@other.example", "name": "Ana Other"});
    let user = post(app, &token, &path, body).await["id"]
        .as_i64()
        .expect("id");
    let owner = Owner {
        customer_path: format!("/{provider}/{customer}/"),
        customer,
        user,
        // Only a reference for the stored rows: searching never reads the platform.
        platform,
    };
    (token, provider, owner)
}

#[tokio::test]
async fn a_provider_never_finds_or_counts_another_providers_numbers() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    // 5,000 numbers holding "310555" at the first provider: as many as make a term common.
    let mine = bulk::numbers(&app, &w.owner(), 5_000);
    let (token, other, owner) = other_provider(&app, w.platform).await;
    let theirs = bulk::numbers_from(&app, &owner, 3_105_557_000, 30);
    let search = |provider: i64, token: String, term: &'static str| {
        let path = format!("/api/v1/providers/{provider}/cpaas-numbers?search={term}&per_page=100");
        let app = &app;
        async move {
            let res = app.call(&token, Method::GET, &path, None).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            res.json::<Page<CpaasNumber>>().await.expect("page")
        }
    };
    // Digits both providers hold: only the caller's, counted exactly however many the other
    // provider has.
    let got = search(other, token.clone(), "310555").await;
    let shown: Vec<&str> = got.items.iter().map(|n| n.number.as_str()).collect();
    let mut want: Vec<&Stored> = theirs.iter().collect();
    want.sort_by(|a, b| (!a.active, &a.number).cmp(&(!b.active, &b.number)));
    let want: Vec<&str> = want.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(shown, want);
    assert_eq!((got.total, got.total_capped), (30, false));
    // Digits only the first provider holds, at every length the suffixes index.
    for term in ["3105550", "1055500", "555004", "0042"] {
        let got = search(other, token.clone(), term).await;
        assert_eq!((got.total, got.items.len()), (0, 0), "{term}");
    }
    // Its own admin still finds them.
    let got = search(w.provider, w.token.clone(), "3105550").await;
    assert_eq!((got.total, got.total_capped), (1_000, false));
    assert!(
        got.items
            .iter()
            .all(|n| mine.iter().any(|r| r.number == n.number))
    );
}
