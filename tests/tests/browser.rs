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
    sign_in_as(browser, app, "admin@example.com", "correct horse battery").await;
}

async fn sign_in_as(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/login")).await;
    browser.type_into("#email", email).await;
    browser.type_into("#password", password).await;
    browser.click("button[type=submit]").await;
    browser
        .wait_for_text("[data-testid=signed-in-as]", |t| t == email, WAIT)
        .await;
}

/// A provider admin signed in, on the provider's page.
async fn provider_admin() -> (TestApp, Browser) {
    provider_admin_with(|_| {}).await
}

/// [`provider_admin`] on an api whose settings `configure` changed.
async fn provider_admin_with(
    configure: impl FnOnce(&mut cpaas_api::config::Settings),
) -> (TestApp, Browser) {
    assert_spa_built();
    let app = TestApp::spawn_with(configure).await;
    app.create_admin(
        "admin@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let browser = Browser::start().await;
    sign_in(&browser, &app).await;
    browser.click("[data-testid=open-organization]").await;
    title_is(&browser, "System Provider Kakapo Systems Limited").await;
    (app, browser)
}

/// The API as the admin `provider_admin()` signed in, for setting up what a test does not click.
struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl<'a> Api<'a> {
    async fn new(app: &'a TestApp) -> Api<'a> {
        let token = app
            .token("admin@example.com", "correct horse battery")
            .await;
        Api { app, token }
    }

    /// Sets the end user's client password, signs in to the client API and accepts SMS on
    /// `display` (R12).
    async fn accept_opt_in(&self, user_id: &str, display: &str) {
        let users: serde_json::Value = self
            .app
            .call(
                &self.token,
                reqwest::Method::GET,
                "/api/v1/providers/1/customers",
                None,
            )
            .await
            .json()
            .await
            .expect("customers");
        let customer = &users["items"][0]["id"];
        let found: serde_json::Value = self
            .app
            .call(
                &self.token,
                reqwest::Method::GET,
                &format!("/api/v1/customers/{customer}/users?search={user_id}"),
                None,
            )
            .await
            .json()
            .await
            .expect("users");
        let password = serde_json::json!({ "password": "client-password-7" });
        let url = format!("/api/v1/users/{}/client-password", found["items"][0]["id"]);
        let res = self
            .app
            .call(&self.token, reqwest::Method::PUT, &url, Some(password))
            .await;
        assert!(res.status().is_success());
        let login: serde_json::Value = self
            .app
            .client
            .post(self.app.url("/api/v1/client/login"))
            .json(&serde_json::json!({ "user_id": user_id, "password": "client-password-7" }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("client login");
        let client = login["access_token"].as_str().expect("client token");
        let numbers: serde_json::Value = self
            .app
            .call(client, reqwest::Method::GET, "/api/v1/client/numbers", None)
            .await
            .json()
            .await
            .expect("numbers");
        let number = numbers["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|n| n["display"] == display)
            .expect("the number");
        let url = format!("/api/v1/client/numbers/{}/opt-in", number["id"]);
        let res = self
            .app
            .call(
                client,
                reqwest::Method::POST,
                &url,
                Some(serde_json::json!({ "decision": "accept" })),
            )
            .await;
        assert!(res.status().is_success());
    }

    /// POSTs `body`, expecting `201 Created`.
    /// A CPaaS platform of provider 1 on the simulator's demo account, with `settings` (its
    /// name and flags).
    async fn demo_platform(&self, mut settings: serde_json::Value) -> serde_json::Value {
        use cpaas_api::carrier::simulator::state::{
            DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
        };
        for (key, value) in [
            ("account_key", DEMO_ACCOUNT_KEY),
            ("token_secret", DEMO_TOKEN_SECRET),
            ("outbound_api_key", DEMO_OUTBOUND_KEY),
        ] {
            settings[key] = serde_json::json!(value);
        }
        self.post("/api/v1/providers/1/cpaas-platforms", settings)
            .await
    }

    async fn post(&self, path: impl Into<String>, body: serde_json::Value) -> serde_json::Value {
        let path = path.into();
        let res = self
            .app
            .call(&self.token, reqwest::Method::POST, &path, Some(body))
            .await;
        assert_eq!(res.status(), reqwest::StatusCode::CREATED, "{path}");
        res.json().await.expect("created")
    }
}

async fn value_of(browser: &Browser, selector: &str) -> serde_json::Value {
    browser
        .execute(
            "return document.querySelector(arguments[0]).value;",
            serde_json::json!([selector]),
        )
        .await
}

/// Adds a child through the add form of the open list tab and waits for it in the list.
async fn add_child(browser: &Browser, slug: &str, fields: &[(&str, &str)], expect: &str) {
    for (key, text) in fields {
        browser.type_into(&format!("#add-{slug}-{key}"), text).await;
    }
    browser
        .click(&format!("[data-testid=add-{slug}] button[type=submit]"))
        .await;
    browser
        .wait_for_text(
            &format!("[data-testid={slug}-list]"),
            |t| t.contains(expect),
            WAIT,
        )
        .await;
}

/// Follows the list row named `text` (once the list shows it) and waits for its page.
async fn open_row(browser: &Browser, slug: &str, text: &str, title: &str) {
    let list = format!("[data-testid={slug}-list]");
    browser
        .wait_for_text(&list, |t| t.contains(text), WAIT)
        .await;
    let clicked = browser
        .execute(
            "for (const a of document.querySelectorAll(arguments[0])) \
             { if (a.textContent === arguments[1]) { a.click(); return true; } } return false;",
            serde_json::json!([format!("{list} a"), text]),
        )
        .await;
    assert_eq!(clicked, true, "no link {text} in {list}");
    title_is(browser, title).await;
}

/// The page asks to sign in (no session).
async fn asks_to_sign_in(browser: &Browser) {
    browser
        .wait_for_text(
            "[data-testid=sign-in-required]",
            |t| t.contains("Sign in"),
            WAIT,
        )
        .await;
}

async fn title_is(browser: &Browser, title: &str) {
    browser
        .wait_for_text("[data-testid=page-title]", |t| t == title, WAIT)
        .await;
}

/// From the provider's page: adds customer Acme Dental and opens it.
async fn open_new_customer(browser: &Browser) {
    browser.click("[data-testid=tab-customers]").await;
    add_child(
        browser,
        "customer",
        &[("name", "Acme Dental")],
        "Acme Dental",
    )
    .await;
    open_row(browser, "customer", "Acme Dental", "Customer Acme Dental").await;
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
    // without a session it asks to sign in.
    browser.goto(&app.url("/providers/1")).await;
    browser.refresh().await;
    asks_to_sign_in(&browser).await;
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

    // A reload, and a deep link loaded afresh (as in a new tab), stay signed in through the
    // refresh cookie, which no script can read.
    browser.refresh().await;
    browser
        .wait_for_text(
            "[data-testid=signed-in-as]",
            |t| t == "admin@example.com",
            WAIT,
        )
        .await;
    browser.goto(&app.url("/providers/1")).await;
    title_is(&browser, "System Provider Kakapo").await;
    let cookies = browser
        .execute("return document.cookie;", serde_json::json!([]))
        .await;
    assert_eq!(cookies, "", "the refresh cookie is HttpOnly");

    // Signing out ends the session: a reload asks to sign in again.
    browser.click("[data-testid=sign-out]").await;
    browser
        .wait_for_text(".account", |t| t.contains("Sign in"), WAIT)
        .await;
    browser.refresh().await;
    asks_to_sign_in(&browser).await;
}

#[tokio::test]
async fn provider_details_show_field_errors_and_changes_reach_the_history_log() {
    let (_app, browser) = provider_admin().await;
    assert_eq!(
        value_of(&browser, "#details-name").await,
        "Kakapo Systems Limited",
        "the form shows the stored values"
    );
    assert!(
        browser.text("[data-testid=delete]").await.is_none(),
        "only operators delete providers"
    );

    // The API's problem appears under its field; what was typed stays.
    browser
        .type_into("#details-timezone", "Mars/Olympus_Mons")
        .await;
    browser
        .click("[data-testid=details] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=details] [data-testid=timezone-error]",
            |t| t.contains("IANA"),
            WAIT,
        )
        .await;
    assert_eq!(
        value_of(&browser, "#details-timezone").await,
        "Mars/Olympus_Mons"
    );

    browser
        .type_into("#details-timezone", "America/Chicago")
        .await;
    browser
        .click("[data-testid=details] button[type=submit]")
        .await;
    browser
        .wait_for_text("[data-testid=form-ok]", |t| t == "Saved.", WAIT)
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
    let (_app, browser) = provider_admin().await;
    browser.click("[data-testid=tab-resellers]").await;
    browser
        .wait_for_text("[data-testid=empty]", |t| t.contains("No resellers"), WAIT)
        .await;
    add_child(
        &browser,
        "reseller",
        &[("name", "North Reseller")],
        "North Reseller",
    )
    .await;
    open_row(
        &browser,
        "reseller",
        "North Reseller",
        "Reseller North Reseller",
    )
    .await;

    browser.click("[data-testid=tab-customers]").await;
    browser.type_into("#add-customer-name", "Acme Dental").await;
    browser
        .type_into("#add-customer-timezone", "Not/AZone")
        .await;
    browser
        .click("[data-testid=add-customer] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=add-customer] [data-testid=timezone-error]",
            |t| t.contains("IANA"),
            WAIT,
        )
        .await;
    add_child(
        &browser,
        "customer",
        &[("timezone", "America/Chicago")],
        "Acme Dental",
    )
    .await;
    open_row(&browser, "customer", "Acme Dental", "Customer Acme Dental").await;
    let crumbs = browser
        .wait_for_text("[data-testid=crumbs]", |t| t.contains("Reseller"), WAIT)
        .await;
    assert_eq!(
        crumbs,
        "System Provider Kakapo Systems Limited › Reseller North Reseller › Acme Dental"
    );

    browser.click("[data-testid=tab-users]").await;
    browser
        .type_into("#add-user-user_id", "christutt@kakaposystems.com")
        .await;
    browser
        .click("[data-testid=add-user] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=add-user] [data-testid=name-error]",
            |t| t.contains("required"),
            WAIT,
        )
        .await;
    add_child(&browser, "user", &[("name", "Chris Tutt")], "Chris Tutt").await;
    open_row(
        &browser,
        "user",
        "christutt@kakaposystems.com",
        "User Chris Tutt (christutt@kakaposystems.com)",
    )
    .await;
    browser.click("[data-testid=tab-history]").await;
    browser
        .wait_for_text("[data-testid=history]", |t| t.contains("created"), WAIT)
        .await;

    // Up to the provider through the breadcrumbs: its History Log has all three creations.
    browser.click("[data-testid=crumbs] a").await;
    title_is(&browser, "System Provider Kakapo Systems Limited").await;
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
    browser
        .execute(
            "const s = document.querySelector('[data-testid=history-filter]'); \
             s.value = 'delete'; s.dispatchEvent(new Event('change', { bubbles: true }));",
            serde_json::json!([]),
        )
        .await;
    browser
        .wait_for_text(
            "[data-testid=history-empty]",
            |t| t.contains("Nothing"),
            WAIT,
        )
        .await;
}

#[tokio::test]
async fn deletes_ask_first_and_refusals_are_shown() {
    let (_app, browser) = provider_admin().await;
    open_new_customer(&browser).await;
    browser.click("[data-testid=tab-users]").await;
    add_child(
        &browser,
        "user",
        &[("user_id", "chris@acme.example"), ("name", "Chris Tutt")],
        "Chris Tutt",
    )
    .await;

    // A customer with a user is not deleted; Cancel leaves it alone.
    browser.click("[data-testid=tab-details]").await;
    browser.click("[data-testid=delete]").await;
    let question = browser
        .wait_for_text("[data-testid=confirm-delete]", |t| !t.is_empty(), WAIT)
        .await;
    assert!(
        question.contains("Delete customer Acme Dental?"),
        "{question}"
    );
    browser
        .click("[data-testid=confirm-delete] button:not(.danger)")
        .await;
    // Cancel brings back the Delete button (shown only while not confirming).
    browser
        .wait_for_text("[data-testid=delete]", |t| t == "Delete…", WAIT)
        .await;
    browser.click("[data-testid=delete]").await;
    browser.click("[data-testid=confirm]").await;
    browser
        .wait_for_text("[data-testid=delete-error]", |t| t.contains("user"), WAIT)
        .await;

    // Rename the user, then delete it: back on the customer, whose list is empty again.
    browser.click("[data-testid=tab-users]").await;
    open_row(
        &browser,
        "user",
        "chris@acme.example",
        "User Chris Tutt (chris@acme.example)",
    )
    .await;
    browser.type_into("#details-name", "Christopher Tutt").await;
    browser
        .click("[data-testid=details] button[type=submit]")
        .await;
    title_is(&browser, "User Christopher Tutt (chris@acme.example)").await;
    browser.click("[data-testid=delete]").await;
    browser.click("[data-testid=confirm]").await;
    title_is(&browser, "Customer Acme Dental").await;
    browser.click("[data-testid=delete]").await;
    browser.click("[data-testid=confirm]").await;
    browser
        .wait_for_text(
            "[data-testid=page-title]",
            |t| t.starts_with("System Provider"),
            WAIT,
        )
        .await;
    browser.click("[data-testid=tab-history]").await;
    let history = browser
        .wait_for_text("[data-testid=history]", |t| t.contains("deleted"), WAIT)
        .await;
    assert!(
        history.contains("Customer Acme Dental deleted"),
        "{history}"
    );
    assert!(
        history.contains("name: Chris Tutt → Christopher Tutt"),
        "{history}"
    );
}

#[tokio::test]
async fn queues_media_streams_and_portal_accounts_through_the_forms() {
    let (_app, browser) = provider_admin().await;
    open_new_customer(&browser).await;

    browser.click("[data-testid=tab-queues]").await;
    add_child(&browser, "queue", &[("name", "Front Desk")], "Front Desk").await;
    open_row(&browser, "queue", "Front Desk", "Queue Front Desk").await;
    browser.click("[data-testid=tab-media-streams]").await;
    browser
        .type_into("#add-media-stream-name", "Front Desk SMS")
        .await;
    assert_eq!(
        value_of(&browser, "#add-media-stream-in_office_profile").await,
        "Always online",
        "the guide's defaults"
    );
    browser
        .type_into("#add-media-stream-in_office_profile", "Office Hours")
        .await;
    browser
        .type_into("#add-media-stream-timezone", "Europe/London")
        .await;
    browser
        .click("#add-media-stream-conversation_can_be_escalated")
        .await;
    browser
        .click("[data-testid=add-media-stream] button[type=submit]")
        .await;
    let list = browser
        .wait_for_text(
            "[data-testid=media-stream-list]",
            |t| t.contains("Front Desk SMS"),
            WAIT,
        )
        .await;
    assert!(list.contains("sms"), "{list}");
    open_row(
        &browser,
        "media-stream",
        "Front Desk SMS",
        "Media Stream Front Desk SMS",
    )
    .await;
    let checked = browser
        .execute(
            "return ['transferred', 'escalated'].map(f => \
             document.querySelector('#details-conversation_can_be_' + f).checked);",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(
        checked,
        serde_json::json!([true, true]),
        "default and ticked box saved"
    );
    assert_eq!(
        value_of(&browser, "#details-in_office_profile").await,
        "Office Hours"
    );
    let crumbs = browser
        .wait_for_text("[data-testid=crumbs]", |t| t.contains("Queue"), WAIT)
        .await;
    assert!(
        crumbs.contains("Customer Acme Dental › Queue Front Desk"),
        "{crumbs}"
    );

    // A customer-level portal account: a missing password is reported on its field.
    browser.click("[data-testid=crumbs] a:nth-of-type(2)").await;
    title_is(&browser, "Customer Acme Dental").await;
    browser.click("[data-testid=tab-portal-accounts]").await;
    browser
        .type_into("#add-portal-account-email", "office@acme.example")
        .await;
    browser
        .click("[data-testid=add-portal-account] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=add-portal-account] [data-testid=password-error]",
            |t| t.contains("required"),
            WAIT,
        )
        .await;
    browser.click("#add-portal-account-send_alerts").await;
    add_child(
        &browser,
        "portal-account",
        &[("password", "acme office secret 1")],
        "office@acme.example",
    )
    .await;
    let row = browser
        .text("[data-testid=portal-account-list] tbody tr")
        .await
        .unwrap_or_default();
    assert!(row.contains("customer"), "{row}");
    open_row(
        &browser,
        "portal-account",
        "office@acme.example",
        "Portal Account office@acme.example",
    )
    .await;
    assert_eq!(value_of(&browser, "#details-password").await, "");
    let alerts = browser
        .execute(
            "return document.querySelector('#details-send_alerts').checked;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(alerts, true);
}

#[tokio::test]
async fn a_customer_admin_lands_on_their_customer_and_sees_nothing_above_it() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    app.create_admin(
        "admin@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let token = app
        .token("admin@example.com", "correct horse battery")
        .await;
    let customer = app
        .call(
            &token,
            reqwest::Method::POST,
            "/api/v1/providers/1/customers",
            Some(serde_json::json!({ "name": "Acme Dental" })),
        )
        .await;
    assert_eq!(customer.status(), reqwest::StatusCode::CREATED);
    let customer: serde_json::Value = customer.json().await.expect("customer");
    let account = app
        .call(
            &token,
            reqwest::Method::POST,
            &format!("/api/v1/customers/{}/portal-accounts", customer["id"]),
            Some(serde_json::json!({
                "email": "office@acme.example",
                "password": "acme office secret 1",
            })),
        )
        .await;
    assert_eq!(account.status(), reqwest::StatusCode::CREATED);

    let browser = Browser::start().await;
    sign_in_as(
        &browser,
        &app,
        "office@acme.example",
        "acme office secret 1",
    )
    .await;
    browser.click("[data-testid=open-organization]").await;
    title_is(&browser, "Customer Acme Dental").await;
    assert_eq!(
        browser.path().await,
        format!("/customers/{}", customer["id"])
    );
    // The provider cannot be fetched, so the breadcrumbs start at the customer.
    assert_eq!(
        browser.text("[data-testid=crumbs]").await.as_deref(),
        Some("Acme Dental")
    );
    // Moving to the provider's page in the app (the session stays) shows not found.
    browser
        .execute(
            "history.pushState(null, '', '/providers/1'); \
             dispatchEvent(new PopStateEvent('popstate'));",
            serde_json::json!([]),
        )
        .await;
    browser
        .wait_for_text(
            "[data-testid=load-error]",
            |t| t.starts_with("There is no"),
            WAIT,
        )
        .await;
}

#[tokio::test]
async fn an_operator_adds_and_deletes_a_provider_from_the_dashboard() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    app.create_operator(
        "ops@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let browser = Browser::start().await;
    sign_in_as(&browser, &app, "ops@example.com", "correct horse battery").await;
    browser
        .wait_for_text(
            "[data-testid=system-provider-list]",
            |t| t.contains("Kakapo Systems Limited"),
            WAIT,
        )
        .await;
    browser
        .type_into("#add-system-provider-trial_duration_days", "two weeks")
        .await;
    browser
        .click("[data-testid=add-system-provider] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=add-system-provider] [data-testid=trial_duration_days-error]",
            |t| t.contains("whole number"),
            WAIT,
        )
        .await;
    add_child(
        &browser,
        "system-provider",
        &[("name", "Northwind Telecom"), ("trial_duration_days", "14")],
        "Northwind Telecom",
    )
    .await;
    open_row(
        &browser,
        "system-provider",
        "Northwind Telecom",
        "System Provider Northwind Telecom",
    )
    .await;
    assert_eq!(
        value_of(&browser, "#details-trial_duration_days").await,
        "14"
    );
    browser.click("[data-testid=delete]").await;
    browser.click("[data-testid=confirm]").await;
    let list = browser
        .wait_for_text(
            "[data-testid=system-provider-list]",
            |t| t.contains("Kakapo"),
            WAIT,
        )
        .await;
    assert!(!list.contains("Northwind"), "{list}");
}

/// Types into the fields of the form `form` (`data-testid`), by field key.
async fn fill(browser: &Browser, form: &str, fields: &[(&str, &str)]) {
    for (key, text) in fields {
        browser.type_into(&format!("#{form}-{key}"), text).await;
    }
}

#[tokio::test]
async fn an_admin_adds_a_cpaas_platform_verified_by_the_carrier() {
    use cpaas_api::carrier::simulator::state::{
        DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
    };
    let (_app, browser) = provider_admin().await;
    browser.click("[data-testid=tab-cpaas-platforms]").await;
    browser.click("[data-testid=add-platform-button]").await;
    assert_eq!(
        value_of(&browser, "#add-cpaas-platform-name").await,
        "Inteliquent"
    );
    fill(
        &browser,
        "add-cpaas-platform",
        &[
            ("account_key", DEMO_ACCOUNT_KEY),
            ("token_secret", DEMO_TOKEN_SECRET),
            ("outbound_api_key", "NotTheOutboundKey"),
        ],
    )
    .await;
    browser.click("#add-cpaas-platform-mms_available").await;
    browser
        .click("[data-testid=add-cpaas-platform] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=add-cpaas-platform] [data-testid=outbound_api_key-error]",
            |t| t.contains("not accepted by Inteliquent"),
            WAIT,
        )
        .await;
    assert_eq!(
        value_of(&browser, "#add-cpaas-platform-account_key").await,
        DEMO_ACCOUNT_KEY,
        "what was typed stays"
    );
    assert!(
        browser
            .text("[data-testid=add-cpaas-platform] [data-testid=account_key-error]")
            .await
            .is_none(),
        "only the rejected key is flagged"
    );
    fill(
        &browser,
        "add-cpaas-platform",
        &[("outbound_api_key", DEMO_OUTBOUND_KEY)],
    )
    .await;
    browser
        .click("[data-testid=add-cpaas-platform] button[type=submit]")
        .await;
    open_row(
        &browser,
        "CPaaS-platform",
        "Inteliquent",
        "CPaaS Platform Inteliquent",
    )
    .await;
    browser
        .wait_for_text(
            "[data-testid=outbound_api_key-hint]",
            |t| t == "Stored: ••••zMTb",
            WAIT,
        )
        .await;
    assert_eq!(value_of(&browser, "#details-outbound_api_key").await, "");
    let mms = browser
        .execute(
            "return document.querySelector('#details-mms_available').checked;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(mms, true);

    // With a platform, the only alert recipient cannot switch alerts off.
    browser.click("[data-testid=crumbs] a").await;
    browser.click("[data-testid=tab-portal-accounts]").await;
    open_row(
        &browser,
        "portal-account",
        "admin@example.com",
        "Portal Account admin@example.com",
    )
    .await;
    browser.click("#details-send_alerts").await;
    browser
        .click("[data-testid=details] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=form-error]",
            |t| t.contains("only user account configured to receive alerts"),
            WAIT,
        )
        .await;
}

#[tokio::test]
async fn without_an_alert_recipient_the_add_button_is_replaced_by_the_guides_message() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    let id = app.create_admin(
        "admin@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let token = app
        .token("admin@example.com", "correct horse battery")
        .await;
    let res = app
        .call(
            &token,
            reqwest::Method::PATCH,
            &format!("/api/v1/portal-accounts/{id}"),
            Some(serde_json::json!({ "send_alerts": false })),
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let browser = Browser::start().await;
    sign_in(&browser, &app).await;
    browser.click("[data-testid=open-organization]").await;
    browser.click("[data-testid=tab-cpaas-platforms]").await;
    browser
        .wait_for_text(
            "[data-testid=no-alert-recipient]",
            |t| t.starts_with("CPaaS platforms cannot be added"),
            WAIT,
        )
        .await;
    assert!(
        browser
            .text("[data-testid=add-platform-button]")
            .await
            .is_none()
    );
    browser
        .wait_for_text(
            "[data-testid=empty]",
            |t| t.contains("No CPaaS platforms"),
            WAIT,
        )
        .await;
}

#[tokio::test]
async fn an_operator_sees_the_simulator_and_adds_numbers() {
    assert_spa_built();
    let app = TestApp::spawn().await;
    app.create_operator(
        "ops@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let browser = Browser::start().await;
    sign_in_as(&browser, &app, "ops@example.com", "correct horse battery").await;
    browser.click("[data-testid=simulator-link]").await;
    browser
        .wait_for_text(
            "[data-testid=sim-account-1]",
            |t| t.contains("2019920778"),
            WAIT,
        )
        .await;
    browser.type_into("#sim-numbers", "12345").await;
    browser
        .click("[data-testid=add-numbers] button[type=submit]")
        .await;
    browser
        .wait_for_text("[data-testid=numbers-error]", |t| t.contains("12345"), WAIT)
        .await;
    browser
        .type_into("#sim-numbers", "(312) 555-0100, +1 312 555 0101")
        .await;
    browser
        .click("[data-testid=add-numbers] button[type=submit]")
        .await;
    let numbers = browser
        .wait_for_text(
            "[data-testid=sim-account-1] [data-testid=sim-numbers]",
            |t| t.contains("3125550101"),
            WAIT,
        )
        .await;
    assert!(numbers.contains("3125550100"), "{numbers}");
}

/// Puts the customer Acme Dental and its user Chris Tutt in place, then opens the user's Add
/// CPaaS Number form through the tabs.
async fn add_number_to_chris_tutt(browser: &Browser, api: &Api<'_>) {
    let customer = api
        .post(
            "/api/v1/providers/1/customers",
            serde_json::json!({ "name": "Acme Dental" }),
        )
        .await;
    api.post(
        format!("/api/v1/customers/{}/users", customer["id"]),
        serde_json::json!({ "user_id": "christutt@kakaposystems.com", "name": "Chris Tutt" }),
    )
    .await;

    browser.click("[data-testid=tab-customers]").await;
    open_row(browser, "customer", "Acme Dental", "Customer Acme Dental").await;
    browser.click("[data-testid=tab-users]").await;
    open_row(
        browser,
        "user",
        "christutt@kakaposystems.com",
        "User Chris Tutt (christutt@kakaposystems.com)",
    )
    .await;
    browser.click("[data-testid=tab-cpaas-numbers]").await;
    browser.click("[data-testid=add-number-button]").await;
}

#[tokio::test]
async fn an_admin_assigns_a_number_sees_it_provisioned_deletes_its_messages_then_it() {
    let (app, browser) = provider_admin().await;
    let api = Api::new(&app).await;
    api.demo_platform(
        serde_json::json!({ "mms_available": true, "user_confirmation_required": true }),
    )
    .await;
    add_number_to_chris_tutt(&browser, &api).await;

    // Checked as it is typed, with the api's own rules.
    browser.type_into("#assign-number", "201-992-078").await;
    browser
        .wait_for_text(
            "[data-testid=number-error]",
            |t| t.contains("has 9 digits"),
            WAIT,
        )
        .await;
    browser.type_into("#assign-number", "(201) 992-0789").await;
    browser
        .wait_for_text(
            "[data-testid=number-ok]",
            |t| t == "US number (201) 992-0789",
            WAIT,
        )
        .await;
    browser
        .click("[data-testid=assign-number] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=form-error]",
            |t| t.contains("not assigned to this Inteliquent account"),
            WAIT,
        )
        .await;

    browser.type_into("#assign-number", "2019920780").await;
    browser.type_into("#assign-friendly", "My MMS Number").await;
    browser
        .execute(
            "const s = document.querySelector('#assign-messaging'); s.value = 'mms_sms'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            serde_json::json!([]),
        )
        .await;
    browser
        .click("[data-testid=assign-number] button[type=submit]")
        .await;
    let row = browser
        .wait_for_text(
            "[data-testid=CPaaS-number-list]",
            |t| t.contains("My MMS Number"),
            WAIT,
        )
        .await;
    assert!(
        row.contains("(201) 992-0780")
            && row.contains("MMS & SMS")
            && row.contains("Active Assignment"),
        "{row}"
    );

    open_row(
        &browser,
        "CPaaS-number",
        "(201) 992-0780",
        "CPaaS Number (201) 992-0780",
    )
    .await;
    browser
        .wait_for_text("[data-testid=provisioning-state]", |t| t == "Active", WAIT)
        .await;
    assert_eq!(
        browser.text("[data-testid=opt-in-state]").await.as_deref(),
        Some("Pending: the user will be asked"),
        "the platform requires confirmation (R12)"
    );
    // The user accepts in the client; the number's page, opened again in the app, shows it;
    // Reset Opt-In State asks again (R13).
    let number_page = browser.path().await;
    api.accept_opt_in("christutt@kakaposystems.com", "(201) 992-0780")
        .await;
    for path in ["/", number_page.as_str()] {
        browser
            .execute(
                "history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));",
                serde_json::json!([path]),
            )
            .await;
    }
    browser
        .wait_for_text(
            "[data-testid=opt-in-state]",
            |t| t.starts_with("Opted in at"),
            WAIT,
        )
        .await;
    browser.click("[data-testid=reset-opt-in]").await;
    browser
        .wait_for_text(
            "[data-testid=opt-in-state]",
            |t| t == "Pending: the user will be asked",
            WAIT,
        )
        .await;

    // Cancel leaves the number's page for its user without saving anything.
    browser.click("[data-testid=cancel]").await;
    title_is(&browser, "User Chris Tutt (christutt@kakaposystems.com)").await;
    browser
        .execute(
            "history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));",
            serde_json::json!([number_page]),
        )
        .await;
    browser
        .wait_for_text("[data-testid=provisioning-state]", |t| t == "Active", WAIT)
        .await;

    // Delete Messages (R14): two arrive from the carrier; they go, the number stays.
    for text in ["Are you open?", "Hello again"] {
        let sent = app
            .simulator(
                reqwest::Method::POST,
                "/inbound",
                Some(serde_json::json!({ "from": "3125550100", "to": "2019920780", "text": text })),
            )
            .await;
        assert_eq!(sent["status"], 200, "{sent}");
    }
    browser.click("[data-testid=delete-messages]").await;
    browser.click("[data-testid=confirm]").await;
    browser
        .wait_for_text(
            "[data-testid=messages-deleted]",
            |t| t == "2 messages deleted.",
            WAIT,
        )
        .await;
    browser.click("[data-testid=delete-messages]").await;
    browser.click("[data-testid=confirm]").await;
    browser
        .wait_for_text(
            "[data-testid=messages-deleted]",
            |t| t == "There were no stored messages.",
            WAIT,
        )
        .await;
    assert_eq!(
        browser
            .text("[data-testid=provisioning-state]")
            .await
            .as_deref(),
        Some("Active"),
        "the number stays"
    );

    browser.click("[data-testid=delete]").await;
    browser.click("[data-testid=confirm]").await;
    title_is(&browser, "User Chris Tutt (christutt@kakaposystems.com)").await;

    // The provider's CPaaS Numbers tab keeps the ended assignment, found by a partial number.
    browser.click("[data-testid=crumbs] a").await;
    title_is(&browser, "System Provider Kakapo Systems Limited").await;
    browser.click("[data-testid=tab-cpaas-numbers]").await;
    browser
        .type_into("[data-testid=CPaaS-number-search]", "992")
        .await;
    browser.click(".search button[type=submit]").await;
    let list = browser
        .wait_for_text(
            "[data-testid=CPaaS-number-list]",
            |t| t.contains("My MMS Number"),
            WAIT,
        )
        .await;
    assert!(!list.contains("Active Assignment"), "ended: {list}");
    assert!(list.contains("Chris Tutt"), "{list}");

    // R18: this month's bill has the number for its one day, and a CSV download.
    browser.click("[data-testid=tab-billing]").await;
    browser
        .wait_for_text(
            "[data-testid=billing-total]",
            |t| t.contains("1 number(s), 0.00 in all"),
            WAIT,
        )
        .await;
    let lines = browser
        .text("[data-testid=billing-lines]")
        .await
        .unwrap_or_default();
    assert!(
        lines.contains("2019920780") && lines.contains("My MMS Number"),
        "{lines}"
    );
    let href = browser
        .execute(
            "return document.querySelector('[data-testid=billing-csv]').getAttribute('href');",
            serde_json::json!([]),
        )
        .await;
    assert!(
        href.as_str()
            .is_some_and(|h| h.starts_with("data:text/csv") && h.contains("2019920780")),
        "{href}"
    );
}

#[tokio::test]
async fn an_end_user_declines_sms_in_the_client_view_and_the_admins_get_a_mail() {
    use cpaas_api::carrier::simulator::state::{
        DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
    };
    assert_spa_built();
    let smtp = cpaas_tests::smtp::SmtpServer::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(|s| s.smtp_url = Some(secrecy::SecretString::from(url))).await;
    app.create_admin(
        "admin@example.com",
        "correct horse battery",
        "Kakapo Systems Limited",
    );
    let token = app
        .token("admin@example.com", "correct horse battery")
        .await;
    let call = |method: reqwest::Method, path: String, body: serde_json::Value| {
        let (app, token) = (&app, token.clone());
        async move {
            let res = app.call(&token, method, &path, Some(body)).await;
            assert!(res.status().is_success(), "{path}: {}", res.status());
            res.json::<serde_json::Value>().await.expect("json")
        }
    };
    let post = reqwest::Method::POST;
    call(
        post.clone(),
        "/api/v1/providers/1/cpaas-platforms".to_owned(),
        serde_json::json!({
        "account_key": DEMO_ACCOUNT_KEY, "token_secret": DEMO_TOKEN_SECRET,
        "outbound_api_key": DEMO_OUTBOUND_KEY, "user_confirmation_required": true }),
    )
    .await;
    let customer = call(
        post.clone(),
        "/api/v1/providers/1/customers".to_owned(),
        serde_json::json!({ "name": "Acme" }),
    )
    .await;
    let user = call(
        post.clone(),
        format!("/api/v1/customers/{}/users", customer["id"]),
        serde_json::json!({ "user_id": "christutt@kakaposystems.com", "name": "Chris Tutt" }),
    )
    .await;
    call(
        post.clone(),
        format!("/api/v1/users/{}/cpaas-numbers", user["id"]),
        serde_json::json!({ "number": "2019920780", "friendly_name": "My MMS Number" }),
    )
    .await;

    // The admin sets the client password on the user's page.
    let browser = Browser::start().await;
    sign_in(&browser, &app).await;
    browser
        .execute(
            "history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));",
            serde_json::json!([format!("/users/{}", user["id"])]),
        )
        .await;
    browser
        .type_into("#client-password-password", "chris-client-pw-51")
        .await;
    browser
        .click("[data-testid=client-password] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=client-password] [data-testid=form-ok]",
            |t| t == "Saved.",
            WAIT,
        )
        .await;

    // The end user signs in to the client view, is asked, and declines.
    browser.click("[data-testid=sign-out]").await;
    browser.goto(&app.url("/client")).await;
    browser
        .type_into("#client-user-id", "christutt@kakaposystems.com")
        .await;
    browser
        .type_into("#client-password", "chris-client-pw-51")
        .await;
    browser
        .click("[data-testid=client-login] button[type=submit]")
        .await;
    let prompt = browser
        .wait_for_text(
            "[data-testid=opt-in-2019920780]",
            |t| t.contains("Do you want to receive SMS"),
            WAIT,
        )
        .await;
    assert!(prompt.contains("(201) 992-0780"), "{prompt}");
    browser
        .click("[data-testid=opt-in-2019920780] [data-testid=decline]")
        .await;
    browser
        .wait_for_text("[data-testid=decided]", |t| t.contains("declined"), WAIT)
        .await;
    let mail = smtp
        .wait_for("Chris Tutt declined SMS on (201) 992-0780")
        .await;
    assert!(mail.contains("To: admin@example.com"), "{mail}");
}

#[tokio::test]
async fn an_sms_media_stream_gets_its_number_and_sms_configuration() {
    let (app, browser) = provider_admin().await;
    let api = Api::new(&app).await;
    api.demo_platform(serde_json::json!({ "mms_available": true }))
        .await;
    let customer = api
        .post(
            "/api/v1/providers/1/customers".to_owned(),
            serde_json::json!({ "name": "Acme" }),
        )
        .await;
    let queue = api
        .post(
            format!("/api/v1/customers/{}/queues", customer["id"]),
            serde_json::json!({ "name": "Support" }),
        )
        .await;
    let stream = api
        .post(
            format!("/api/v1/queues/{}/media-streams", queue["id"]),
            serde_json::json!({ "name": "Text us", "media_type": "sms" }),
        )
        .await;
    browser
        .execute(
            "history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));",
            serde_json::json!([format!("/media-streams/{}", stream["id"])]),
        )
        .await;
    title_is(&browser, "Media Stream Text us").await;
    browser.type_into("#sms-number", "201 992 078").await;
    browser
        .wait_for_text(
            "[data-testid=stream-sms] [data-testid=number-error]",
            |t| t.contains("9 digits"),
            WAIT,
        )
        .await;
    browser.type_into("#sms-number", "(201) 992-0781").await;
    browser.click("#sms-mms").await;
    browser
        .type_into("#sms-reply", "Thanks, we will reply shortly.")
        .await;
    browser
        .click("[data-testid=stream-sms] button[type=submit]")
        .await;
    let shown = browser
        .wait_for_text(
            "[data-testid=stream-number]",
            |t| t.contains("(201) 992-0781"),
            WAIT,
        )
        .await;
    assert!(
        shown.contains("Pending") || shown.contains("Active"),
        "{shown}"
    );
    let reply = value_of(&browser, "#sms-reply").await;
    assert_eq!(reply, "Thanks, we will reply shortly.");
    let mms = browser
        .execute(
            "return document.querySelector('#sms-mms').checked;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(mms, true);

    // Removing it empties the configuration.
    browser.click("[data-testid=delete]").await;
    browser.click("[data-testid=confirm]").await;
    browser.wait_for_text("#sms-number", |_| true, WAIT).await;
    let res = app
        .call(
            &api.token,
            reqwest::Method::GET,
            &format!("/api/v1/media-streams/{}/sms", stream["id"]),
            None,
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_csv_import_shows_progress_then_each_rows_result() {
    let (app, browser) = provider_admin().await;
    let api = Api::new(&app).await;
    api.demo_platform(serde_json::json!({})).await;
    let customer = api
        .post(
            "/api/v1/providers/1/customers".to_owned(),
            serde_json::json!({ "name": "Acme" }),
        )
        .await;
    api.post(
        format!("/api/v1/customers/{}/users", customer["id"]),
        serde_json::json!({ "user_id": "chris@acme.example", "name": "Chris" }),
    )
    .await;
    browser.click("[data-testid=tab-customers]").await;
    open_row(&browser, "customer", "Acme", "Customer Acme").await;
    browser.click("[data-testid=tab-import]").await;
    browser
        .type_into("#import-csv", "number,colour\n1,red")
        .await;
    browser
        .click("[data-testid=import-form] button[type=submit]")
        .await;
    browser
        .wait_for_text("[data-testid=csv-error]", |t| t.contains("colour"), WAIT)
        .await;
    browser
        .type_into("#import-csv", "number,user_id,friendly_name\n2019920778,chris@acme.example,SMS only\n2019920789,chris@acme.example,Not ours\n2019920780,chris@acme.example,A first")
        .await;
    browser
        .click("[data-testid=import-form] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=import-summary]",
            |t| t.starts_with("Done: 3 of 3 rows, 2 assigned, 1 failed"),
            WAIT,
        )
        .await;
    let rows = browser
        .text("[data-testid=import-rows]")
        .await
        .unwrap_or_default();
    assert!(
        rows.contains("assigned") && rows.contains("not assigned to this Inteliquent account"),
        "{rows}"
    );
    let max = browser
        .execute(
            "return document.querySelector('progress').getAttribute('max');",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(max, "3");

    // The customer's CPaaS Numbers are sortable by their columns.
    browser.click("[data-testid=tab-cpaas-numbers]").await;
    let first_row = "[data-testid=CPaaS-number-list] tbody tr";
    browser
        .wait_for_text(first_row, |t| t.contains("SMS only"), WAIT)
        .await;
    browser.click("[data-testid=sort-friendly_name]").await;
    browser
        .wait_for_text(first_row, |t| t.contains("A first"), WAIT)
        .await;
    browser.click("[data-testid=sort-friendly_name]").await;
    browser
        .wait_for_text(first_row, |t| t.contains("SMS only"), WAIT)
        .await;
    let header = browser
        .text("[data-testid=sort-friendly_name]")
        .await
        .unwrap_or_default();
    assert!(header.ends_with('▼'), "{header}");
}

#[tokio::test]
async fn a_list_of_more_numbers_than_are_counted_says_so_and_pages_on() {
    let (app, browser) = provider_admin().await;
    let api = Api::new(&app).await;
    let platform = api.demo_platform(serde_json::json!({})).await;
    let customer = api
        .post(
            "/api/v1/providers/1/customers",
            serde_json::json!({ "name": "Acme Dental" }),
        )
        .await;
    let user = api
        .post(
            format!("/api/v1/customers/{}/users", customer["id"]),
            serde_json::json!({ "user_id": "christutt@kakaposystems.com", "name": "Chris Tutt" }),
        )
        .await;
    let id = |v: &serde_json::Value| v["id"].as_i64().expect("id");
    cpaas_tests::bulk::numbers(
        &app,
        &cpaas_tests::bulk::Owner {
            customer_path: format!("/1/{}/", id(&customer)),
            customer: id(&customer),
            user: id(&user),
            platform: id(&platform),
        },
        1_100,
    );

    browser.click("[data-testid=tab-cpaas-numbers]").await;
    browser
        .wait_for_text(
            "[data-testid=pager]",
            |t| t.contains("Page 1 of 40+ · more than 1000"),
            WAIT,
        )
        .await;
    let list = browser
        .text("[data-testid=CPaaS-number-list]")
        .await
        .unwrap_or_default();
    assert!(
        list.contains("(310) 555-0001"),
        "active first, by number: {list}"
    );
    // Counting stopped, so the last counted page still leads on, to the real last page.
    for n in 2..=44 {
        browser.click("[data-testid=next-page]").await;
        let page = format!("Page {n} of");
        browser
            .wait_for_text("[data-testid=pager]", |t| t.contains(&page), WAIT)
            .await;
    }
    browser
        .wait_for_text(
            "[data-testid=pager]",
            |t| t.contains("Page 44 of 44 · 1100 in all"),
            WAIT,
        )
        .await;
    let list = browser
        .text("[data-testid=CPaaS-number-list]")
        .await
        .unwrap_or_default();
    assert!(
        list.contains("(310) 555-1099"),
        "the last ended number: {list}"
    );
    let disabled = browser
        .execute(
            "return document.querySelector('[data-testid=next-page]').disabled;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(disabled, true, "no page after the last");
}

#[tokio::test]
async fn with_two_platforms_the_form_asks_which_and_the_state_refreshes_to_active() {
    let (app, browser) = provider_admin_with(|s| {
        s.job_backoff_ms = 200;
        s.job_poll_ms = 50;
        s.job_max_attempts = 1000;
    })
    .await;
    let api = Api::new(&app).await;
    let mut platforms = Vec::new();
    for (name, mms) in [("SMS Only Account", false), ("MMS Account", true)] {
        let settings = serde_json::json!({ "name": name, "mms_available": mms });
        let platform = api.demo_platform(settings).await;
        platforms.push(platform["id"].as_i64().expect("platform id"));
    }
    // The carrier refuses to enable messaging for now: provisioning stays pending, retrying.
    let refuse = serde_json::json!({ "force": "server_error", "operations": ["tnMessaging"] });
    app.simulator(reqwest::Method::PUT, "/faults", Some(refuse))
        .await;
    add_number_to_chris_tutt(&browser, &api).await;
    browser.type_into("#assign-number", "2019920780").await;
    // Several platforms: the form asks which (R5); none chosen is refused in place.
    let options = browser
        .wait_for_text("#assign-platform", |t| t.contains("MMS Account"), WAIT)
        .await;
    assert!(options.contains("SMS Only Account"), "{options}");
    browser
        .click("[data-testid=assign-number] button[type=submit]")
        .await;
    browser
        .wait_for_text("[data-testid=platform_id-error]", |t| !t.is_empty(), WAIT)
        .await;
    // Messaging types follow the platform chosen (R7): MMS only where it is available.
    let choose = |selector: &str, value: String| {
        format!(
            "const s = document.querySelector('{selector}'); s.value = '{value}'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        )
    };
    let script = choose("#assign-platform", platforms[0].to_string());
    browser.execute(&script, serde_json::json!([])).await;
    let types = browser.text("#assign-messaging").await.unwrap_or_default();
    assert!(!types.contains("MMS"), "{types}");
    let script = choose("#assign-platform", platforms[1].to_string());
    browser.execute(&script, serde_json::json!([])).await;
    browser
        .wait_for_text("#assign-messaging", |t| t.contains("MMS & SMS"), WAIT)
        .await;
    let script = choose("#assign-messaging", "mms_sms".to_owned());
    browser.execute(&script, serde_json::json!([])).await;
    browser
        .click("[data-testid=assign-number] button[type=submit]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=CPaaS-number-list]",
            |t| t.contains("(201) 992-0780") && t.contains("MMS & SMS"),
            WAIT,
        )
        .await;

    // The details page shows the carrier being configured, then, on its own, Active.
    open_row(
        &browser,
        "CPaaS-number",
        "(201) 992-0780",
        "CPaaS Number (201) 992-0780",
    )
    .await;
    browser
        .wait_for_text(
            "[data-testid=provisioning-state]",
            |t| t == "Pending: configuring the carrier",
            WAIT,
        )
        .await;
    app.simulator(reqwest::Method::PUT, "/faults", Some(serde_json::json!({})))
        .await;
    browser
        .wait_for_text("[data-testid=provisioning-state]", |t| t == "Active", WAIT)
        .await;
    let path = "/api/v1/providers/1/cpaas-numbers?search=2019920780";
    let res = app.call(&api.token, reqwest::Method::GET, path, None).await;
    let number: serde_json::Value = res.json().await.expect("list");
    assert_eq!(
        number["items"][0]["platform_id"].as_i64(),
        Some(platforms[1]),
        "{number}"
    );
}
