//! The browser suite: headless Chromium loads the release-built SPA (web/dist) from a running
//! api and must show live data fetched from it, also after a deep-link reload; Swagger UI must
//! render from assets served by the binary, with the browser's network limited to loopback.

use std::time::Duration;

use cpaas_shared::DatabaseBackend;
use cpaas_tests::webdriver::Browser;
use cpaas_tests::{TestApp, workspace_root};

const WAIT: Duration = Duration::from_secs(20);

fn assert_spa_built() {
    let index = workspace_root().join("web/dist/index.html");
    assert!(
        index.is_file(),
        "{} is missing: build the SPA with scripts/web-build.sh (make test does)",
        index.display()
    );
}

/// Signs in through the form as the admin the test created.
async fn sign_in(browser: &Browser, app: &TestApp) {
    browser.goto(&app.url("/login")).await;
    browser.type_into("#email", "admin@example.com").await;
    browser
        .type_into("#password", "correct horse battery")
        .await;
    browser.click("button[type=submit]").await;
    browser
        .wait_for_text(
            "[data-testid=signed-in-as]",
            |t| t == "admin@example.com",
            WAIT,
        )
        .await;
}

#[tokio::test]
async fn spa_shows_live_api_data_and_survives_deep_link_reloads() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    let browser = Browser::start().await;
    let backend = match app.backend {
        DatabaseBackend::Sqlite => "SQLite",
        DatabaseBackend::Postgresql => "PostgreSQL",
    };

    browser.goto(&app.url("/")).await;
    let version = browser
        .wait_for_text("[data-testid=api-version]", |t| !t.is_empty(), WAIT)
        .await;
    assert_eq!(version, cpaas_api::VERSION);
    browser
        .wait_for_text("[data-testid=db-backend]", |t| t == backend, WAIT)
        .await;
    browser
        .wait_for_text("[data-testid=api-status]", |t| t == "Ready", WAIT)
        .await;
    let schema = browser
        .wait_for_text("[data-testid=schema-version]", |t| !t.is_empty(), WAIT)
        .await;
    assert!(schema.chars().all(|c| c.is_ascii_digit()), "{schema}");

    // A deep link loads the app at that path (index.html fallback) and it still fetches data;
    // the session lives in memory only, so a reload asks to sign in.
    browser.goto(&app.url("/providers/1")).await;
    browser.refresh().await;
    browser
        .wait_for_text(
            "[data-testid=sign-in-required]",
            |t| t.contains("Sign in"),
            WAIT,
        )
        .await;
    browser
        .wait_for_text("[data-testid=db-backend]", |t| t == backend, WAIT)
        .await;
    assert_eq!(browser.path().await, "/providers/1");
    browser.goto(&app.url("/no/such/page")).await;
    browser
        .wait_for_text("[data-testid=not-found]", |t| t == "Page not found", WAIT)
        .await;
}

#[tokio::test]
async fn swagger_ui_renders_offline() {
    let app = TestApp::spawn().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/api/docs/")).await;
    let title = browser
        .wait_for_text(
            ".swagger-ui .info .title",
            |t| t.contains("CPaaS Bridge API"),
            WAIT,
        )
        .await;
    assert!(title.contains(cpaas_api::VERSION), "{title}");
    browser
        .wait_for_text(".swagger-ui", |t| t.contains("/readyz"), WAIT)
        .await;
}

#[tokio::test]
async fn sign_in_shows_errors_in_place_then_the_account() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    app.create_admin("admin@example.com", "correct horse battery", "Kakapo");
    let browser = Browser::start().await;
    browser.goto(&app.url("/login")).await;

    // Client-side validation, with the same rules as the API, next to the field.
    browser.type_into("#email", "not-an-email").await;
    browser.click("button[type=submit]").await;
    browser
        .wait_for_text(
            "[data-testid=email-error]",
            |t| t.contains("email address"),
            WAIT,
        )
        .await;

    // A wrong password: the API's message above the form; what was typed stays.
    browser.type_into("#email", "admin@example.com").await;
    browser.type_into("#password", "wrong password").await;
    browser.click("button[type=submit]").await;
    browser
        .wait_for_text("[data-testid=form-error]", |t| t.contains("wrong"), WAIT)
        .await;
    let kept = browser
        .execute(
            "return document.querySelector('#email').value;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(kept, "admin@example.com");

    browser
        .type_into("#password", "correct horse battery")
        .await;
    browser.click("button[type=submit]").await;
    browser
        .wait_for_text(
            "[data-testid=signed-in-as]",
            |t| t == "admin@example.com",
            WAIT,
        )
        .await;
    assert_eq!(browser.path().await, "/", "back on the dashboard");

    browser.click("[data-testid=sign-out]").await;
    browser
        .wait_for_text(".account", |t| t.contains("Sign in"), WAIT)
        .await;
}

#[tokio::test]
async fn provider_details_show_field_errors_and_changes_reach_the_history_log() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    app.create_admin(
        "admin@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let browser = Browser::start().await;
    sign_in(&browser, &app).await;
    browser.click("[data-testid=open-organization]").await;
    browser
        .wait_for_text(
            "[data-testid=update-provider]",
            |t| t == "Update Provider",
            WAIT,
        )
        .await;
    let name = browser
        .execute(
            "return document.querySelector('#name').value;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(
        name, "Kakapo Systems Limited",
        "the form shows the stored values"
    );

    // The API's problem appears under its field; what was typed stays.
    browser.type_into("#timezone", "Mars/Olympus_Mons").await;
    browser.click("[data-testid=update-provider]").await;
    browser
        .wait_for_text("[data-testid=timezone-error]", |t| t.contains("IANA"), WAIT)
        .await;
    let kept = browser
        .execute(
            "return document.querySelector('#timezone').value;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(kept, "Mars/Olympus_Mons");

    browser.type_into("#timezone", "America/Chicago").await;
    browser.click("[data-testid=update-provider]").await;
    browser
        .wait_for_text("[data-testid=form-ok]", |t| t.contains("updated"), WAIT)
        .await;
    assert!(
        browser.text("[data-testid=timezone-error]").await.is_none(),
        "error cleared"
    );

    browser.click("[data-testid=tab-history]").await;
    let history = browser
        .wait_for_text("[data-testid=history]", |t| t.contains("updated"), WAIT)
        .await;
    assert!(
        history.contains("timezone: — → America/Chicago"),
        "{history}"
    );
    assert!(history.contains("admin@example.com"), "{history}");
}

#[tokio::test]
async fn an_admin_builds_reseller_customer_and_user_through_the_forms() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    app.create_admin(
        "admin@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let browser = Browser::start().await;
    sign_in(&browser, &app).await;
    browser.click("[data-testid=open-organization]").await;

    browser.click("[data-testid=tab-resellers]").await;
    browser
        .wait_for_text("[data-testid=empty]", |t| t.contains("No resellers"), WAIT)
        .await;
    browser.type_into("#reseller-name", "North Reseller").await;
    browser
        .click("[data-testid=add-reseller] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=reseller-list]",
            |t| t.contains("North Reseller"),
            WAIT,
        )
        .await;
    browser.click("[data-testid=reseller-list] a").await;
    browser
        .wait_for_text(
            "[data-testid=page-title]",
            |t| t == "Reseller North Reseller",
            WAIT,
        )
        .await;

    browser.type_into("#customer-name", "Acme Dental").await;
    browser.type_into("#customer-timezone", "Not/AZone").await;
    browser
        .click("[data-testid=add-customer] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=customer-timezone-error]",
            |t| t.contains("IANA"),
            WAIT,
        )
        .await;
    browser
        .type_into("#customer-timezone", "America/Chicago")
        .await;
    browser
        .click("[data-testid=add-customer] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=customer-list]",
            |t| t.contains("Acme Dental"),
            WAIT,
        )
        .await;
    browser.click("[data-testid=customer-list] a").await;
    browser
        .wait_for_text(
            "[data-testid=page-title]",
            |t| t == "Customer Acme Dental",
            WAIT,
        )
        .await;

    browser
        .type_into("#user-id", "christutt@kakaposystems.com")
        .await;
    browser.click("form button[type=submit]").await;
    browser
        .wait_for_text(
            "[data-testid=user-name-error]",
            |t| t.contains("required"),
            WAIT,
        )
        .await;
    browser.type_into("#user-name", "Chris Tutt").await;
    browser.click("form button[type=submit]").await;
    browser
        .wait_for_text(
            "[data-testid=user-list]",
            |t| t.contains("Chris Tutt"),
            WAIT,
        )
        .await;

    // Back up to the provider: the History Log has all three creations.
    browser.click(".crumbs a").await;
    browser
        .wait_for_text(
            "[data-testid=page-title]",
            |t| t == "Reseller North Reseller",
            WAIT,
        )
        .await;
    browser.click(".crumbs a").await;
    browser.click("[data-testid=tab-history]").await;
    let history = browser
        .wait_for_text("[data-testid=history]", |t| t.contains("Chris Tutt"), WAIT)
        .await;
    for summary in [
        "Reseller North Reseller created",
        "Customer Acme Dental created",
        "User Chris Tutt (christutt@kakaposystems.com) created",
    ] {
        assert!(history.contains(summary), "{summary} in {history}");
    }
}
