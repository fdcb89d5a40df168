//! CPaaS numbers (R5–R14) against the built-in simulator: every assignment rule of the guide,
//! asynchronous provisioning to `active` (with faults and retries), the lists at every level,
//! changes, deletion and opt-in reset.

use std::time::Duration;

use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use cpaas_api::carrier::{Carrier, Endpoints, Inteliquent, WebhookSpec};
use cpaas_shared::{
    ApiErrorBody, CpaasNumber, ErrorCode, LoginResponse, MessagingType, OptInState, Page,
    ProvisioningState,
};
use cpaas_tests::{TestApp, eventually};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

pub(crate) struct World {
    pub(crate) token: String,
    pub(crate) provider: i64,
    pub(crate) reseller: i64,
    pub(crate) customer: i64,
    pub(crate) user: i64,
    pub(crate) platform: i64,
}

impl World {
    /// Where [`cpaas_tests::bulk`] puts numbers: the world's customer, user and platform.
    pub(crate) fn owner(&self) -> cpaas_tests::bulk::Owner {
        cpaas_tests::bulk::Owner {
            customer_path: format!("/{}/{}/{}/", self.provider, self.reseller, self.customer),
            customer: self.customer,
            user: self.user,
            platform: self.platform,
        }
    }
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app.call(token, Method::POST, path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    res.json().await.expect("created")
}

fn platform_body(mms: bool) -> Value {
    json!({
        "account_key": DEMO_ACCOUNT_KEY, "token_secret": DEMO_TOKEN_SECRET,
        "outbound_api_key": DEMO_OUTBOUND_KEY, "user_confirmation_required": true,
        "user_can_block_numbers": true, "mms_available": mms,
    })
}

/// Provider (with an Inteliquent platform on the demo account) > reseller > customer > user.
pub(crate) async fn world(app: &TestApp, mms: bool) -> World {
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo Systems Limited");
    let login = app.session("admin@kakapo.example", PASSWORD).await;
    let token = login.access_token;
    let provider = login.account.organization_id;
    let platform = post(
        app,
        &token,
        &format!("/api/v1/providers/{provider}/cpaas-platforms"),
        platform_body(mms),
    )
    .await;
    let reseller = post(
        app,
        &token,
        &format!("/api/v1/providers/{provider}/resellers"),
        json!({ "name": "North" }),
    )
    .await;
    let customer = post(
        app,
        &token,
        &format!("/api/v1/resellers/{}/customers", reseller["id"]),
        json!({ "name": "Acme Dental" }),
    )
    .await;
    let user = post(
        app,
        &token,
        &format!("/api/v1/customers/{}/users", customer["id"]),
        json!({ "user_id": "christutt@kakaposystems.com", "name": "Chris Tutt" }),
    )
    .await;
    let id = |v: &Value| v["id"].as_i64().expect("id");
    World {
        token,
        provider,
        reseller: id(&reseller),
        customer: id(&customer),
        user: id(&user),
        platform: id(&platform),
    }
}

pub(crate) async fn assign(app: &TestApp, w: &World, user: i64, body: Value) -> reqwest::Response {
    app.call(
        &w.token,
        Method::POST,
        &format!("/api/v1/users/{user}/cpaas-numbers"),
        Some(body),
    )
    .await
}

pub(crate) async fn refused(
    res: reqwest::Response,
    status: StatusCode,
    code: ErrorCode,
) -> ApiErrorBody {
    assert_eq!(res.status(), status);
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, code, "{}", body.message);
    body
}

/// The import at `url` (`/api/v1/cpaas-number-imports/{id}`) once it is done.
pub(crate) async fn import_done(app: &TestApp, token: &str, url: &str) -> Value {
    eventually(Duration::from_secs(20), "the import done", || async {
        let current: Value = app
            .call(token, Method::GET, url, None)
            .await
            .json()
            .await
            .ok()?;
        (current["status"] == "done").then_some(current)
    })
    .await
}

pub(crate) async fn number(app: &TestApp, w: &World, id: i64) -> CpaasNumber {
    app.call(
        &w.token,
        Method::GET,
        &format!("/api/v1/cpaas-numbers/{id}"),
        None,
    )
    .await
    .json()
    .await
    .expect("number")
}

pub(crate) async fn settled(
    app: &TestApp,
    w: &World,
    id: i64,
    state: ProvisioningState,
) -> CpaasNumber {
    eventually(
        Duration::from_secs(20),
        &format!("number {id} {state:?}"),
        || async move {
            let n = number(app, w, id).await;
            (n.provisioning.state == state).then_some(n)
        },
    )
    .await
}

async fn list(app: &TestApp, w: &World, path: &str) -> Vec<String> {
    let res = app.call(&w.token, Method::GET, path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json::<Page<CpaasNumber>>()
        .await
        .expect("page")
        .items
        .into_iter()
        .map(|n| n.number)
        .collect()
}

#[tokio::test]
async fn assigning_follows_every_rule_of_the_guide() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let body = refused(
        assign(&app, &w, w.user, json!({ "number": "201-992-078" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert!(
        body.fields["number"][0].contains("ten-digit"),
        "{:?}",
        body.fields
    );

    // R8: not on the carrier account.
    let body = refused(
        assign(&app, &w, w.user, json!({ "number": "(201) 992-0789" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NumberNotOnAccount,
    )
    .await;
    assert!(body.message.starts_with("This number is not assigned to this Inteliquent account, please check the number and try again"));
    // R7: MMS only where the platform has it.
    refused(
        assign(
            &app,
            &w,
            w.user,
            json!({ "number": "2019920780", "messaging_type": "mms_sms" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::MmsNotAvailable,
    )
    .await;
    assert!(
        list(&app, &w, &format!("/api/v1/users/{}/cpaas-numbers", w.user))
            .await
            .is_empty(),
        "nothing stored"
    );

    // R6: any typed form; friendly name defaults to the number; blocking to the platform's.
    let res = assign(&app, &w, w.user, json!({ "number": "+1 (201) 992-0778" })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let first: CpaasNumber = res.json().await.expect("number");
    assert_eq!(
        (
            first.number.as_str(),
            first.display.as_str(),
            first.friendly_name.as_str()
        ),
        ("2019920778", "(201) 992-0778", "2019920778")
    );
    assert!(first.user_can_block_numbers, "the platform's setting");
    assert_eq!(first.provisioning.state, ProvisioningState::Pending);
    assert_eq!(
        first.opt_in.state,
        OptInState::Pending,
        "R12: the platform requires confirmation"
    );
    assert_eq!(first.consumer.name, "Chris Tutt");
    assert_eq!(first.end_date, None);

    // One active assignment per number, in the whole system.
    let other = post(
        &app,
        &w.token,
        &format!("/api/v1/customers/{}/users", w.customer),
        json!({ "user_id": "second@acme.example", "name": "Second" }),
    )
    .await;
    let other = other["id"].as_i64().expect("id");
    let body = refused(
        assign(&app, &w, other, json!({ "number": "2019920778" })).await,
        StatusCode::CONFLICT,
        ErrorCode::NumberAlreadyAssigned,
    )
    .await;
    assert!(body.message.contains("Chris Tutt"), "{}", body.message);

    // R5: with two platforms the assignment must name one.
    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": "EastAccountKey01", "token_secret": "EastTokenSecret01",
            "outbound_api_key": "EastOutboundKey01", "numbers": ["3125550100"],
        })),
    )
    .await;
    let east = post(
        &app,
        &w.token,
        &format!("/api/v1/providers/{}/cpaas-platforms", w.provider),
        json!({
            "name": "East", "account_key": "EastAccountKey01", "token_secret": "EastTokenSecret01",
            "outbound_api_key": "EastOutboundKey01", "mms_available": true,
        }),
    )
    .await;
    refused(
        assign(&app, &w, other, json!({ "number": "3125550100" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::PlatformRequired,
    )
    .await;
    let res = assign(&app, &w, other, json!({ "number": "3125550100", "platform_id": east["id"], "messaging_type": "mms_sms", "friendly_name": "East MMS" })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let east_number: CpaasNumber = res.json().await.expect("number");
    assert_eq!(
        east_number.opt_in.state,
        OptInState::NotRequired,
        "East does not ask"
    );
    // The number is on East's account, not the demo one: asked on the chosen platform.
    refused(
        assign(
            &app,
            &w,
            other,
            json!({ "number": "2019920781", "platform_id": east["id"] }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NumberNotOnAccount,
    )
    .await;

    // What the assignment form offers a user: both platforms, no credentials.
    let res = app
        .call(
            &w.token,
            Method::GET,
            &format!("/api/v1/users/{}/cpaas-platforms", w.user),
            None,
        )
        .await;
    let choices: Value = res.json().await.expect("choices");
    let names: Vec<&str> = choices["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["East", "Inteliquent"]);
    assert!(choices["items"][0].get("account_key_hint").is_none());

    // No platform at all.
    app.create_admin("admin@empty.example", PASSWORD, "Empty Provider");
    let empty: LoginResponse = app
        .login("admin@empty.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let customer = post(
        &app,
        &empty.access_token,
        &format!(
            "/api/v1/providers/{}/customers",
            empty.account.organization_id
        ),
        json!({ "name": "C" }),
    )
    .await;
    let lonely = post(
        &app,
        &empty.access_token,
        &format!("/api/v1/customers/{}/users", customer["id"]),
        json!({ "user_id": "u@e.example", "name": "U" }),
    )
    .await;
    let res = app
        .call(
            &empty.access_token,
            Method::POST,
            &format!("/api/v1/users/{}/cpaas-numbers", lonely["id"]),
            Some(json!({ "number": "2019920781" })),
        )
        .await;
    refused(res, StatusCode::CONFLICT, ErrorCode::NoPlatform).await;
}

#[tokio::test]
async fn provisioning_reaches_active_and_replaces_a_stale_webhook() {
    let app = TestApp::spawn().await;
    let w = world(&app, true).await;
    // A webhook left over from another system for this number.
    let client =
        Inteliquent::new(Endpoints::under(&app.simulator), Duration::from_secs(2)).expect("client");
    let outbound = SecretString::from(DEMO_OUTBOUND_KEY.to_owned());
    client
        .add_webhook(
            &outbound,
            &WebhookSpec {
                number: "2019920780".to_owned(),
                url: "https://old.example/hook".to_owned(),
                header_name: "X-Old".to_owned(),
                header_value: SecretString::from("old".to_owned()),
            },
        )
        .await
        .expect("stale webhook");

    let res = assign(&app, &w, w.user, json!({ "number": "2019920780", "friendly_name": "My MMS Number", "messaging_type": "mms_sms" })).await;
    let created: CpaasNumber = res.json().await.expect("number");
    let active = settled(&app, &w, created.id, ProvisioningState::Active).await;
    assert_eq!(active.provisioning.attempts, 1);
    assert_eq!(active.provisioning.detail, None);

    let hooks = client.list_webhooks(&outbound).await.expect("webhooks");
    let ours: Vec<_> = hooks
        .iter()
        .filter(|h| h.number.as_deref() == Some("2019920780"))
        .collect();
    assert_eq!(ours.len(), 1, "the stale webhook was replaced");
    assert_eq!(
        ours[0].url,
        format!("{}/webhooks/inteliquent/{}", app.address, w.platform)
    );
    assert_eq!(
        ours[0].header_name.as_deref(),
        Some("X-Cpaas-Webhook-Token")
    );
    let accounts = app.simulator(Method::GET, "/accounts", None).await;
    let demo = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["account_key"] == DEMO_ACCOUNT_KEY)
        .expect("demo");
    let number = demo["numbers"]
        .as_array()
        .expect("numbers")
        .iter()
        .find(|n| n["number"] == "2019920780")
        .expect("number");
    assert_eq!(number["messaging"], "A2PLC SMSMMS");
    assert_eq!(number["active"], true);
}

#[tokio::test]
async fn carrier_faults_are_retried_with_backoff_then_fail_for_good() {
    let smtp = cpaas_tests::smtp::SmtpServer::start().await;
    let smtp_url = smtp.url();
    let app = TestApp::spawn_with(|s| {
        s.job_backoff_ms = 100;
        s.job_max_attempts = 3;
        s.job_poll_ms = 50;
        s.smtp_url = Some(SecretString::from(smtp_url));
    })
    .await;
    let w = world(&app, false).await;
    // Enabling messaging is busy once: the second attempt succeeds.
    let once = json!({ "force": "busy", "count": 1, "operations": ["tnMessaging"] });
    app.simulator(Method::PUT, "/faults", Some(once)).await;
    let res = assign(&app, &w, w.user, json!({ "number": "2019920778" })).await;
    let first: CpaasNumber = res.json().await.expect("number");
    let active = settled(&app, &w, first.id, ProvisioningState::Active).await;
    assert_eq!(active.provisioning.attempts, 2, "one retry");

    // Failing every time: three attempts, then failed with the reason.
    let always = json!({ "force": "server_error", "operations": ["tnMessaging"] });
    app.simulator(Method::PUT, "/faults", Some(always)).await;
    let res = assign(&app, &w, w.user, json!({ "number": "2019920781" })).await;
    let second: CpaasNumber = res.json().await.expect("number");
    let pending = eventually(Duration::from_secs(10), "a retry noted", || async {
        let n = number(&app, &w, second.id).await;
        n.provisioning
            .detail
            .clone()
            .filter(|d| d.contains("Trying again"))
            .map(|_| n)
    })
    .await;
    assert_eq!(pending.provisioning.state, ProvisioningState::Pending);
    let failed = settled(&app, &w, second.id, ProvisioningState::Failed).await;
    assert_eq!(failed.provisioning.attempts, 3);
    let detail = failed.provisioning.detail.unwrap_or_default();
    assert!(
        detail.starts_with("Failed after 3 attempt(s)") && detail.contains("503"),
        "{detail}"
    );
    // The provider's Send-Alerts account is told, over SMTP, once.
    let mail = smtp
        .wait_for("CPaaS number (201) 992-0781 could not be provisioned")
        .await;
    assert!(mail.contains("To: admin@kakapo.example"), "{mail}");
    assert!(mail.contains("Chris Tutt"), "{mail}");
    let alerts = smtp
        .messages()
        .iter()
        .filter(|m| m.contains("could not be provisioned"))
        .count();
    assert_eq!(alerts, 1, "the number that succeeded on retry sent none");
    app.simulator(Method::PUT, "/faults", Some(json!({}))).await;
}

#[tokio::test]
async fn numbers_are_listed_at_every_level_and_searched_with_wildcards() {
    let app = TestApp::spawn().await;
    let w = world(&app, true).await;
    let queue = post(
        &app,
        &w.token,
        &format!("/api/v1/customers/{}/queues", w.customer),
        json!({ "name": "Support" }),
    )
    .await;
    let res = assign(
        &app,
        &w,
        w.user,
        json!({ "number": "2019920778", "friendly_name": "SMS only" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = assign(
        &app,
        &w,
        w.user,
        json!({ "number": "9495418806", "friendly_name": "West line" }),
    )
    .await;
    let west: CpaasNumber = res.json().await.expect("number");

    for path in [
        format!("/api/v1/providers/{}/cpaas-numbers", w.provider),
        format!("/api/v1/resellers/{}/cpaas-numbers", w.reseller),
        format!("/api/v1/customers/{}/cpaas-numbers", w.customer),
        format!("/api/v1/users/{}/cpaas-numbers", w.user),
    ] {
        assert_eq!(
            list(&app, &w, &path).await,
            ["2019920778", "9495418806"],
            "{path}"
        );
    }
    assert!(
        list(
            &app,
            &w,
            &format!("/api/v1/queues/{}/cpaas-numbers", queue["id"])
        )
        .await
        .is_empty()
    );
    let provider = format!("/api/v1/providers/{}/cpaas-numbers", w.provider);
    for (search, expected) in [
        ("201", vec!["2019920778"]),
        ("(949) 541", vec!["9495418806"]),
        ("sms ONLY", vec!["2019920778"]),
        ("tutt", vec!["2019920778", "9495418806"]),
        ("nobody", vec![]),
    ] {
        let found = list(
            &app,
            &w,
            &format!(
                "{provider}?search={}",
                search
                    .replace(' ', "%20")
                    .replace('(', "%28")
                    .replace(')', "%29")
            ),
        )
        .await;
        assert_eq!(found, expected, "search {search}");
    }

    // Sortable by the guide's columns.
    assert_eq!(
        list(&app, &w, &format!("{provider}?sort=-number")).await,
        ["9495418806", "2019920778"]
    );
    assert_eq!(
        list(&app, &w, &format!("{provider}?sort=friendly_name")).await,
        ["2019920778", "9495418806"]
    );
    assert_eq!(
        list(&app, &w, &format!("{provider}?sort=-friendly_name")).await,
        ["9495418806", "2019920778"]
    );
    let res = app
        .call(
            &w.token,
            Method::GET,
            &format!("{provider}?sort=colour"),
            None,
        )
        .await;
    let body = refused(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert!(body.fields.contains_key("sort"));

    // An ended assignment stays in the lists, after the active ones, with its end date.
    let res = app
        .call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/cpaas-numbers/{}", west.id),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = assign(
        &app,
        &w,
        w.user,
        json!({ "number": "9495418806", "friendly_name": "West again" }),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "the number is free again"
    );
    let page: Page<CpaasNumber> = app
        .call(&w.token, Method::GET, &provider, None)
        .await
        .json()
        .await
        .expect("page");
    let rows: Vec<(&str, bool)> = page
        .items
        .iter()
        .map(|n| (n.friendly_name.as_str(), n.end_date.is_some()))
        .collect();
    assert_eq!(
        rows,
        [
            ("SMS only", false),
            ("West again", false),
            ("West line", true)
        ]
    );

    // Another provider's admin sees none of them.
    app.create_admin("admin@other.example", PASSWORD, "Other");
    let other = app.token("admin@other.example", PASSWORD).await;
    let res = app.call(&other, Method::GET, &provider, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_number_assigned_twice_at_once_goes_to_one_user() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let second = post(
        &app,
        &w.token,
        &format!("/api/v1/customers/{}/users", w.customer),
        json!({ "user_id": "second@acme.example", "name": "Second" }),
    )
    .await;
    let second = second["id"].as_i64().expect("id");
    for number in ["2019920778", "2019920780", "2019920781"] {
        let (a, b) = tokio::join!(
            assign(&app, &w, w.user, json!({ "number": number })),
            assign(&app, &w, second, json!({ "number": number }))
        );
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "{number}"
        );
        let loser = if b.status() == StatusCode::CONFLICT {
            b
        } else {
            a
        };
        refused(
            loser,
            StatusCode::CONFLICT,
            ErrorCode::NumberAlreadyAssigned,
        )
        .await;
    }
}

#[tokio::test]
async fn numbers_are_changed_reset_and_deleted_and_hold_their_platform_and_user() {
    let app = TestApp::spawn().await;
    let w = world(&app, true).await;
    let res = assign(&app, &w, w.user, json!({ "number": "2019920780" })).await;
    let created: CpaasNumber = res.json().await.expect("number");
    settled(&app, &w, created.id, ProvisioningState::Active).await;
    let url = format!("/api/v1/cpaas-numbers/{}", created.id);

    let res = app.call(&w.token, Method::PATCH, &url, Some(json!({ "friendly_name": "My MMS Number", "messaging_type": "mms_sms", "user_can_block_numbers": false }))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed: CpaasNumber = res.json().await.expect("number");
    assert_eq!(changed.friendly_name, "My MMS Number");
    assert!(!changed.user_can_block_numbers);
    // A new messaging type is provisioned again: MMS is enabled on the carrier.
    assert_eq!(changed.messaging_type, MessagingType::MmsSms);
    assert_eq!(changed.provisioning.state, ProvisioningState::Pending);
    settled(&app, &w, created.id, ProvisioningState::Active).await;
    let accounts = app.simulator(Method::GET, "/accounts", None).await;
    let messaging = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .flat_map(|a| a["numbers"].as_array().cloned().unwrap_or_default())
        .find(|n| n["number"] == "2019920780")
        .map(|n| n["messaging"].clone());
    assert_eq!(messaging, Some(json!("A2PLC SMSMMS")));

    let res = app
        .call(&w.token, Method::POST, &format!("{url}/opt-in/reset"), None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<CpaasNumber>()
            .await
            .expect("number")
            .opt_in
            .state,
        OptInState::Pending
    );

    // Neither the user nor the platform can go while the number is theirs.
    refused(
        app.call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/users/{}", w.user),
            None,
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    let body = refused(
        app.call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/cpaas-platforms/{}", w.platform),
            None,
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    assert!(body.message.contains("1 active number"), "{}", body.message);

    let client =
        Inteliquent::new(Endpoints::under(&app.simulator), Duration::from_secs(2)).expect("client");
    let outbound = SecretString::from(DEMO_OUTBOUND_KEY.to_owned());
    let hooks = client.list_webhooks(&outbound).await.expect("webhooks");
    assert!(
        hooks
            .iter()
            .any(|h| h.number.as_deref() == Some("2019920780")),
        "the number has its webhook before the delete"
    );
    let res = app.call(&w.token, Method::DELETE, &url, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let ended: CpaasNumber = res.json().await.expect("number");
    assert!(ended.end_date.is_some());
    settled(&app, &w, created.id, ProvisioningState::Removed).await;
    let hooks = client.list_webhooks(&outbound).await.expect("webhooks");
    assert!(
        hooks
            .iter()
            .all(|h| h.number.as_deref() != Some("2019920780")),
        "the webhook was removed"
    );
    refused(
        app.call(&w.token, Method::DELETE, &url, None).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    refused(
        app.call(
            &w.token,
            Method::PATCH,
            &url,
            Some(json!({ "friendly_name": "x" })),
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;

    // Now both can go; the ended assignment stays as history.
    assert_eq!(
        app.call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/cpaas-platforms/{}", w.platform),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/users/{}", w.user),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let page: Page<CpaasNumber> = app
        .call(
            &w.token,
            Method::GET,
            &format!("/api/v1/customers/{}/cpaas-numbers", w.customer),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    let kept = &page.items[0];
    assert_eq!(
        (
            kept.consumer.name.as_str(),
            kept.consumer.id,
            kept.platform_id
        ),
        ("Chris Tutt", None, None)
    );
}

#[tokio::test]
async fn sms_media_streams_take_a_number_with_their_sms_configuration() {
    let app = TestApp::spawn().await;
    let w = world(&app, true).await;
    let queue = post(
        &app,
        &w.token,
        &format!("/api/v1/customers/{}/queues", w.customer),
        json!({ "name": "Support" }),
    )
    .await;
    let sms = post(
        &app,
        &w.token,
        &format!("/api/v1/queues/{}/media-streams", queue["id"]),
        json!({ "name": "Text us", "media_type": "sms" }),
    )
    .await;
    let chat = post(
        &app,
        &w.token,
        &format!("/api/v1/queues/{}/media-streams", queue["id"]),
        json!({ "name": "Chat", "media_type": "web_chat" }),
    )
    .await;
    let url = |stream: &Value| format!("/api/v1/media-streams/{}/sms", stream["id"]);
    let put = |stream: &Value, body: Value| {
        let (app, token, url) = (&app, w.token.clone(), url(stream));
        async move { app.call(&token, Method::PUT, &url, Some(body)).await }
    };

    refused(
        put(&chat, json!({ "number": "2019920781" })).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    refused(
        put(&sms, json!({ "number": "2019920789" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NumberNotOnAccount,
    )
    .await;
    assert_eq!(
        app.call(&w.token, Method::GET, &url(&sms), None)
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "nothing stored"
    );

    let res = put(&sms, json!({ "number": "(201) 992-0781", "mms_available": true, "remote_numbers_can_be_blocked": false, "initial_reply": "Thanks, we will reply shortly." })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let configured: CpaasNumber = res.json().await.expect("number");
    assert_eq!(
        configured.opt_in.state,
        OptInState::NotRequired,
        "media streams never need opt-in"
    );
    assert_eq!(
        configured.messaging_type,
        cpaas_shared::MessagingType::MmsSms
    );
    assert!(!configured.user_can_block_numbers);
    assert_eq!(
        configured.consumer.kind,
        cpaas_shared::ConsumerKind::MediaStream
    );
    assert_eq!(configured.consumer.name, "Text us");
    assert_eq!(
        configured.initial_reply.as_deref(),
        Some("Thanks, we will reply shortly.")
    );
    settled(&app, &w, configured.id, ProvisioningState::Active).await;
    assert_eq!(
        list(
            &app,
            &w,
            &format!("/api/v1/queues/{}/cpaas-numbers", queue["id"])
        )
        .await,
        ["2019920781"]
    );

    let res = put(&sms, json!({ "initial_reply": "", "mms_available": false })).await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed: CpaasNumber = res.json().await.expect("number");
    assert_eq!(
        (changed.initial_reply, changed.messaging_type),
        (None, cpaas_shared::MessagingType::Sms)
    );
    refused(
        put(&sms, json!({ "number": "2019920778" })).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;

    // Renaming the stream renames it on its number; the stream cannot go while it has one.
    let stream_url = format!("/api/v1/media-streams/{}", sms["id"]);
    let res = app
        .call(
            &w.token,
            Method::PATCH,
            &stream_url,
            Some(json!({ "name": "Text the clinic" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let renamed: CpaasNumber = app
        .call(&w.token, Method::GET, &url(&sms), None)
        .await
        .json()
        .await
        .expect("number");
    assert_eq!(renamed.consumer.name, "Text the clinic");
    refused(
        app.call(&w.token, Method::DELETE, &stream_url, None).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;

    let res = app.call(&w.token, Method::DELETE, &url(&sms), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.json::<CpaasNumber>()
            .await
            .expect("number")
            .end_date
            .is_some()
    );
    assert_eq!(
        app.call(&w.token, Method::GET, &url(&sms), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = app.call(&w.token, Method::DELETE, &stream_url, None).await;
    assert_eq!(
        res.status(),
        StatusCode::NO_CONTENT,
        "without its number it can go"
    );
}

#[tokio::test]
async fn a_csv_import_assigns_every_good_row_and_reports_each_bad_one() {
    let app = TestApp::spawn().await;
    let w = world(&app, true).await;
    let queue = post(
        &app,
        &w.token,
        &format!("/api/v1/customers/{}/queues", w.customer),
        json!({ "name": "Support" }),
    )
    .await;
    post(
        &app,
        &w.token,
        &format!("/api/v1/queues/{}/media-streams", queue["id"]),
        json!({ "name": "Text us", "media_type": "sms" }),
    )
    .await;
    let url = format!("/api/v1/customers/{}/cpaas-number-imports", w.customer);
    let res = app
        .call(
            &w.token,
            Method::POST,
            &url,
            Some(json!({ "csv": "number,colour\n1,red" })),
        )
        .await;
    let body = refused(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert!(
        body.fields["csv"][0].contains("colour"),
        "{:?}",
        body.fields
    );

    let csv = "number,user_id,media_stream,friendly_name,messaging_type\n\
        2019920778,christutt@kakaposystems.com,,SMS only,sms\n\
        (201) 992-0780,christutt@kakaposystems.com,,My MMS Number,mms_sms\n\
        2019920789,christutt@kakaposystems.com,,Not ours,sms\n\
        2019920781,,Text us,,\n\
        201-992-078,christutt@kakaposystems.com,,,\n\
        9495418806,nobody@acme.example,,,\n";
    let res = app
        .call(&w.token, Method::POST, &url, Some(json!({ "csv": csv })))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let queued: Value = res.json().await.expect("import");
    assert_eq!(queued["total"], 6);
    let import_url = format!("/api/v1/cpaas-number-imports/{}", queued["id"]);
    let done: Value = import_done(&app, &w.token, &import_url).await;
    assert_eq!(
        (
            done["processed"].as_u64(),
            done["assigned"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(6), Some(3), Some(3))
    );
    let rows = done["rows"].as_array().expect("rows");
    let outcome = |line: u64| {
        rows.iter()
            .find(|r| r["line"] == line)
            .expect("row")
            .clone()
    };
    assert_eq!(outcome(2)["outcome"], "assigned");
    assert!(
        outcome(4)["detail"].as_str().is_some_and(
            |d| d.starts_with("This number is not assigned to this Inteliquent account")
        )
    );
    assert_eq!(outcome(5)["outcome"], "assigned", "a media stream by name");
    assert!(
        outcome(6)["detail"]
            .as_str()
            .is_some_and(|d| d.contains("9 digits")),
        "{}",
        outcome(6)
    );
    assert!(
        outcome(7)["detail"]
            .as_str()
            .is_some_and(|d| d.contains("no user nobody@acme.example"))
    );
    let listed = list(
        &app,
        &w,
        &format!("/api/v1/customers/{}/cpaas-numbers", w.customer),
    )
    .await;
    assert_eq!(listed, ["2019920778", "2019920780", "2019920781"]);
}

#[tokio::test]
async fn a_number_held_by_another_tenant_is_only_in_use() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let res = assign(&app, &w, w.user, json!({ "number": "2019920778" })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // A second provider whose own carrier account also lists 2019920778 (not 2019920780).
    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": "OtherAccountKey01", "token_secret": "OtherTokenSecret01",
            "outbound_api_key": "OtherOutboundKey01", "numbers": ["2019920778"],
        })),
    )
    .await;
    app.create_admin("admin@other.example", PASSWORD, "Other Telco");
    let login = app.session("admin@other.example", PASSWORD).await;
    let (token, provider) = (login.access_token, login.account.organization_id);
    let platform = json!({
        "account_key": "OtherAccountKey01", "token_secret": "OtherTokenSecret01",
        "outbound_api_key": "OtherOutboundKey01",
    });
    post(
        &app,
        &token,
        &format!("/api/v1/providers/{provider}/cpaas-platforms"),
        platform,
    )
    .await;
    let customer = post(
        &app,
        &token,
        &format!("/api/v1/providers/{provider}/customers"),
        json!({ "name": "Other Co" }),
    )
    .await;
    let user = post(
        &app,
        &token,
        &format!("/api/v1/customers/{}/users", customer["id"]),
        json!({ "user_id": "ana@other.example", "name": "Ana" }),
    )
    .await;
    let path = format!("/api/v1/users/{}/cpaas-numbers", user["id"]);
    // The carrier is asked first: a number its account does not own says only that, held
    // or not.
    let res = app
        .call(
            &token,
            Method::POST,
            &path,
            Some(json!({ "number": "2019920780" })),
        )
        .await;
    refused(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NumberNotOnAccount,
    )
    .await;
    // One it owns but the first provider holds: in use, and by whom is not said.
    let res = app
        .call(
            &token,
            Method::POST,
            &path,
            Some(json!({ "number": "2019920778" })),
        )
        .await;
    let body = refused(res, StatusCode::CONFLICT, ErrorCode::NumberAlreadyAssigned).await;
    assert!(body.message.contains("in use"), "{}", body.message);
    for secret in ["Chris", "Tutt", "Kakapo", "Acme", "North"] {
        assert!(!body.message.contains(secret), "{}", body.message);
    }
    // The same for a line of a CSV import.
    let url = format!("/api/v1/customers/{}/cpaas-number-imports", customer["id"]);
    let csv = "number,user_id\n2019920778,ana@other.example\n";
    let res = app
        .call(&token, Method::POST, &url, Some(json!({ "csv": csv })))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let queued: Value = res.json().await.expect("import");
    let import_url = format!("/api/v1/cpaas-number-imports/{}", queued["id"]);
    let done: Value = import_done(&app, &token, &import_url).await;
    let detail = done["rows"][0]["detail"]
        .as_str()
        .expect("detail")
        .to_owned();
    assert!(
        detail.contains("in use") && !detail.contains("Chris"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_customer_that_held_numbers_is_kept_with_a_409_not_a_500() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let res = assign(&app, &w, w.user, json!({ "number": "2019920778" })).await;
    let number: CpaasNumber = res.json().await.expect("number");
    for path in [
        format!("/api/v1/cpaas-numbers/{}", number.id),
        format!("/api/v1/users/{}", w.user),
    ] {
        let res = app.call(&w.token, Method::DELETE, &path, None).await;
        assert!(res.status().is_success(), "DELETE {path}: {}", res.status());
    }
    // Nothing hangs from the customer but the ended assignment, its billing history.
    let path = format!("/api/v1/customers/{}", w.customer);
    let res = app.call(&w.token, Method::DELETE, &path, None).await;
    let body = refused(res, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(
        body.message.contains("1 CPaaS number assignment"),
        "{}",
        body.message
    );
    let res = app.call(&w.token, Method::GET, &path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "still there");
}

#[tokio::test]
async fn another_tenants_number_is_refused_without_taking_its_lock() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let res = assign(&app, &w, w.user, json!({ "number": "2019920778" })).await;
    let number: CpaasNumber = res.json().await.expect("number");
    app.create_admin("admin@other.example", PASSWORD, "Other Telco");
    let other = app.token("admin@other.example", PASSWORD).await;
    // On PostgreSQL another transaction holds the number's row lock meanwhile: a request that
    // locked before checking scope would wait on it (SQLite locks the whole database instead,
    // so there the refusals alone are checked).
    let mut holder = app.connect();
    let postgres = app.backend == cpaas_shared::DatabaseBackend::Postgresql;
    if postgres {
        holder
            .batch_execute(&format!(
                "BEGIN; SELECT id FROM cpaas_numbers WHERE id = {} FOR UPDATE;",
                number.id
            ))
            .expect("locked");
    }
    let base = format!("/api/v1/cpaas-numbers/{}", number.id);
    for (method, path, body) in [
        (
            Method::PATCH,
            base.clone(),
            Some(json!({ "friendly_name": "Mine now" })),
        ),
        (Method::POST, format!("{base}/opt-in/reset"), None),
        (Method::DELETE, format!("{base}/messages"), None),
        (Method::DELETE, base.clone(), None),
    ] {
        let call = app.call(&other, method.clone(), &path, body);
        let res = tokio::time::timeout(Duration::from_secs(5), call)
            .await
            .unwrap_or_else(|_| panic!("{method} {path} waited on another tenant's lock"));
        refused(res, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
    if postgres {
        holder.batch_execute("ROLLBACK;").expect("released");
    }
}
