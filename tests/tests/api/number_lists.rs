//! The CPaaS Numbers lists past their shortcuts: with more numbers than the count cap and than
//! the search index's candidate limit, every level still answers the right page in the right
//! order, and says when its total is a floor ("more than") rather than exact. The rows are
//! written straight to the database (6,000 assignments through the carrier would take minutes);
//! what is checked is the API's answer against the same rules applied here by hand.

use cpaas_api::db::models::number::{CANDIDATES, COUNT_CAP, NAMES};
use cpaas_shared::{CpaasNumber, Page};
use cpaas_tests::bulk::{self, Stored};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::numbers::{World, world};
use cpaas_tests::TestApp;

const COUNT: usize = 6_000;

/// 6,000 numbers under the world's customer and user.
fn fill(app: &TestApp, w: &World) -> Vec<Stored> {
    bulk::numbers(app, &w.owner(), COUNT)
}

/// The list's rule by hand: matches, active first, then by number.
fn expected<'a>(rows: &'a [Stored], digits: &str, text: &str) -> Vec<&'a Stored> {
    let mut found: Vec<&Stored> = rows
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

/// Whether the search indexes pass `text` (or its `digits`) to a read of the list in order:
/// under three characters, in too many numbers' digits, or held too often by the names.
fn common(rows: &[Stored], digits: &str, text: &str) -> bool {
    let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
    let in_digits =
        all_digits && rows.iter().filter(|r| r.number.contains(digits)).count() >= CANDIDATES;
    let mut names: Vec<String> = rows
        .iter()
        .filter(|r| r.friendly_name != r.number)
        .map(|r| r.friendly_name.to_lowercase())
        .chain(["chris tutt".to_owned()])
        .collect();
    names.sort();
    names.dedup();
    // Each place a name holds the term is one suffix row.
    let held: usize = names
        .iter()
        .map(|name| {
            (0..name.len())
                .filter(|&at| name[at..].starts_with(text))
                .count()
        })
        .sum();
    text.chars().count() < 3 || (all_digits && digits.len() < 3) || in_digits || held > NAMES
}

async fn page(app: &TestApp, w: &World, path: &str) -> Page<CpaasNumber> {
    let res = app.call(&w.token, Method::GET, path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.expect("page")
}

/// The API's page `n` against the rule, with the total exact up to `cap` and a floor past it.
async fn check(app: &TestApp, w: &World, rows: &[Stored], level: &str, term: &str, n: usize) {
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
    // Counted to the cap; a term too common or too short for the search indexes only through
    // this page.
    let cap = if !term.is_empty() && common(rows, &digits, &lower) {
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
        // No search: the first page, a page past the count cap, the deepest page allowed.
        for n in [1, 60, COUNT.div_ceil(25).min(100)] {
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
    // Below the provider, names found through the provider's indexes keep to the level.
    check(&app, &w, &rows, &levels[1], "tutt", 2).await;
    check(&app, &w, &rows, &levels[2], "FRONT desk 52", 1).await;

    // Another order with a search: every match sorted when there are fewer than the
    // candidates' limit, otherwise the list read in that order and counted through the page.
    for (term, total) in [("FRONT desk 52", None), ("tutt", Some(25))] {
        let query = url_query(term, 1);
        let path = format!("{provider}/cpaas-numbers?{query}&sort=-number");
        let got = page(&app, &w, &path).await;
        let mut want = expected(&rows, term, &term.to_lowercase());
        want.sort_by(|a, b| b.number.cmp(&a.number));
        let shown: Vec<&str> = got.items.iter().map(|i| i.number.as_str()).collect();
        let wanted: Vec<&str> = want.iter().take(25).map(|r| r.number.as_str()).collect();
        assert_eq!(shown, wanted, "{term:?} by number, largest first");
        let counted = (total.unwrap_or(want.len()) as u64, total.is_some());
        assert_eq!((got.total, got.total_capped), counted, "{term:?}");
    }

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
