//! Resellers and customers: the hierarchy below a provider, "this level and below" listings,
//! validation, refusal while children exist, history, and a reseller-level account's view.

use cpaas_shared::{
    ApiErrorBody, ErrorCode, HistoryAction, HistoryEntry, Organization, OrganizationKind, Page,
};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

struct Client<'a> {
    app: &'a TestApp,
    token: String,
}

impl Client<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut req = self
            .app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("sent")
    }

    async fn create(&self, path: &str, body: Value) -> Organization {
        let res = self.call(Method::POST, path, Some(body)).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{path}");
        res.json().await.expect("organization")
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let res = self.call(Method::GET, path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        res.json().await.expect("json")
    }

    async fn status(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Option<ApiErrorBody>) {
        let res = self.call(method, path, body).await;
        let status = res.status();
        (status, res.json().await.ok())
    }
}

async fn provider_admin(app: &TestApp) -> (Client<'_>, i64) {
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo");
    let login: cpaas_shared::LoginResponse = app
        .login("admin@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let provider = login.account.organization_id;
    (
        Client {
            app,
            token: login.access_token,
        },
        provider,
    )
}

#[tokio::test]
async fn build_list_search_update_and_delete_the_hierarchy() {
    let app = TestApp::spawn().await;
    let (admin, provider) = provider_admin(&app).await;
    let reseller = admin
        .create(
            &format!("/api/v1/providers/{provider}/resellers"),
            json!({ "name": " North Reseller ", "timezone": "America/Chicago" }),
        )
        .await;
    assert_eq!(reseller.name, "North Reseller");
    assert_eq!(
        (reseller.kind, reseller.parent_kind),
        (OrganizationKind::Reseller, OrganizationKind::SystemProvider)
    );
    assert_eq!(reseller.parent_id, provider);
    let under_reseller = admin
        .create(
            &format!("/api/v1/resellers/{}/customers", reseller.id),
            json!({ "name": "Acme Dental" }),
        )
        .await;
    assert_eq!(under_reseller.parent_kind, OrganizationKind::Reseller);
    let direct = admin
        .create(
            &format!("/api/v1/providers/{provider}/customers"),
            json!({ "name": "Direct Co", "language": "en-GB" }),
        )
        .await;
    assert_eq!(direct.parent_kind, OrganizationKind::SystemProvider);

    let all: Page<Organization> = admin
        .get(&format!("/api/v1/providers/{provider}/customers"))
        .await;
    let names: Vec<&str> = all.items.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        ["Acme Dental", "Direct Co"],
        "this level and below, by name"
    );
    let of_reseller: Page<Organization> = admin
        .get(&format!("/api/v1/resellers/{}/customers", reseller.id))
        .await;
    assert_eq!(of_reseller.total, 1);
    let searched: Page<Organization> = admin
        .get(&format!(
            "/api/v1/providers/{provider}/customers?search=dent"
        ))
        .await;
    assert_eq!(searched.items[0].id, under_reseller.id);
    let paged: Page<Organization> = admin
        .get(&format!(
            "/api/v1/providers/{provider}/customers?per_page=1&page=2"
        ))
        .await;
    assert_eq!(
        (paged.total, paged.items[0].name.as_str()),
        (2, "Direct Co")
    );

    let res = admin
        .call(
            Method::PATCH,
            &format!("/api/v1/customers/{}", direct.id),
            Some(json!({ "name": "Direct Company", "language": null })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let updated: Organization = res.json().await.expect("customer");
    assert_eq!(
        (updated.name.as_str(), updated.language.as_deref()),
        ("Direct Company", None)
    );
    let fetched: Organization = admin.get(&format!("/api/v1/customers/{}", direct.id)).await;
    assert_eq!(fetched, updated);

    let (status, body) = admin
        .status(
            Method::DELETE,
            &format!("/api/v1/resellers/{}", reseller.id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a customer hangs from it");
    assert_eq!(body.expect("envelope").code, ErrorCode::Conflict);
    for path in [
        format!("/api/v1/customers/{}", under_reseller.id),
        format!("/api/v1/resellers/{}", reseller.id),
    ] {
        assert_eq!(
            admin.status(Method::DELETE, &path, None).await.0,
            StatusCode::NO_CONTENT,
            "{path}"
        );
        assert_eq!(
            admin.status(Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    let history: Page<HistoryEntry> = admin
        .get(&format!(
            "/api/v1/providers/{provider}/history?per_page=100"
        ))
        .await;
    let seen: Vec<(HistoryAction, &str, &str)> = history
        .items
        .iter()
        .filter(|e| e.action != HistoryAction::SignIn && e.object_kind != "portal_account")
        .map(|e| (e.action, e.object_kind.as_str(), e.summary.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                HistoryAction::Delete,
                "reseller",
                "Reseller North Reseller deleted"
            ),
            (
                HistoryAction::Delete,
                "customer",
                "Customer Acme Dental deleted"
            ),
            (
                HistoryAction::Update,
                "customer",
                "Customer Direct Company updated"
            ),
            (
                HistoryAction::Create,
                "customer",
                "Customer Direct Co created"
            ),
            (
                HistoryAction::Create,
                "customer",
                "Customer Acme Dental created"
            ),
            (
                HistoryAction::Create,
                "reseller",
                "Reseller North Reseller created"
            ),
        ]
    );
    let created = history
        .items
        .iter()
        .find(|e| e.summary == "Reseller North Reseller created")
        .expect("entry");
    let fields: Vec<&str> = created.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["name", "timezone"]);
}

#[tokio::test]
async fn invalid_input_names_every_field_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let (admin, provider) = provider_admin(&app).await;
    let path = format!("/api/v1/providers/{provider}/resellers");
    let (status, body) = admin
        .status(
            Method::POST,
            &path,
            Some(json!({ "timezone": "Nowhere/Land", "language": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = body.expect("envelope");
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    let mut fields: Vec<&str> = body.fields.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["language", "name", "timezone"]);
    let (status, body) = admin
        .status(
            Method::POST,
            &path,
            Some(json!({ "name": "R", "colour": "red" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.expect("envelope").fields.contains_key("colour"));
    let none: Page<Organization> = admin.get(&path).await;
    assert_eq!(none.total, 0);
    // A customer id is not a reseller id.
    let customer = admin
        .create(
            &format!("/api/v1/providers/{provider}/customers"),
            json!({ "name": "C" }),
        )
        .await;
    assert_eq!(
        admin
            .status(
                Method::GET,
                &format!("/api/v1/resellers/{}", customer.id),
                None
            )
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_reseller_account_sees_its_reseller_and_below_only() {
    let app = TestApp::spawn().await;
    let (admin, provider) = provider_admin(&app).await;
    let reseller = admin
        .create(
            &format!("/api/v1/providers/{provider}/resellers"),
            json!({ "name": "R" }),
        )
        .await;
    let mine = admin
        .create(
            &format!("/api/v1/resellers/{}/customers", reseller.id),
            json!({ "name": "Mine" }),
        )
        .await;
    let direct = admin
        .create(
            &format!("/api/v1/providers/{provider}/customers"),
            json!({ "name": "Not mine" }),
        )
        .await;

    {
        use cpaas_api::db::models::portal_account::{self, Notifications};
        let hash = cpaas_api::auth::password::hash(PASSWORD).expect("hash");
        portal_account::insert(
            &mut app.connect(),
            reseller.id,
            "r@kakapo.example",
            &hash,
            Notifications::default(),
            chrono::Utc::now().naive_utc(),
        )
        .expect("reseller account");
    }
    let login: cpaas_shared::LoginResponse = app
        .login("r@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let r = Client {
        app: &app,
        token: login.access_token,
    };

    let visible: Page<Organization> = r
        .get(&format!("/api/v1/resellers/{}/customers", reseller.id))
        .await;
    assert_eq!(
        visible.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        [mine.id]
    );
    for path in [
        format!("/api/v1/providers/{provider}"),
        format!("/api/v1/providers/{provider}/customers"),
        format!("/api/v1/providers/{provider}/history"),
        format!("/api/v1/customers/{}", direct.id),
    ] {
        assert_eq!(
            r.status(Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let providers: Page<Value> = r.get("/api/v1/providers").await;
    assert_eq!(providers.total, 0);
    let (status, _) = r
        .status(
            Method::DELETE,
            &format!("/api/v1/resellers/{}", reseller.id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "not its own organization");
}
