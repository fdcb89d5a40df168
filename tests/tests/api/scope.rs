//! The cross-tenant walk: every documented `/api/v1` route that names a resource is called with
//! a token from a sibling provider's subtree and must answer `not_found`, while the owner's own
//! token reaches it. A route added without a scope check, or without a fixture here, fails.

use cpaas_shared::{ApiErrorBody, ErrorCode, LoginResponse};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

/// Routes without a resource in their path act on the caller itself.
const SELF_ROUTES: [&str; 3] = [
    "/api/v1/auth/login",
    "/api/v1/auth/me",
    "/api/v1/client/login",
];
/// The client API answers portal tokens with `unauthorized` (another audience); its own
/// scoping (a user's own numbers) is tested in `client.rs`.
const CLIENT_PREFIX: &str = "/api/v1/client/";
/// Routes for operators only: every method answers `forbidden` to anyone else.
const OPERATOR_ROUTES: [&str; 2] = ["/api/v1/simulator", "/api/v1/simulator/numbers"];
/// Collection routes scoped by the caller's subtree, with the collection their items are from:
/// the owner's item must be listed for the owner and never for the sibling.
const LIST_ROUTES: [(&str, &str); 1] = [("/api/v1/providers", "providers")];

struct Fixtures {
    provider: i64,
    reseller: i64,
    customer: i64,
    account: i64,
    user: i64,
    queue: i64,
    stream: i64,
    platform: i64,
    number: i64,
    import: i64,
}

impl Fixtures {
    /// The owner's id for the collection a path parameter follows (`/providers/{id}`).
    fn id_for(&self, collection: &str, route: &str) -> i64 {
        match collection {
            "providers" => self.provider,
            "resellers" => self.reseller,
            "customers" => self.customer,
            "portal-accounts" => self.account,
            "users" => self.user,
            "queues" => self.queue,
            "media-streams" => self.stream,
            "cpaas-platforms" => self.platform,
            "cpaas-numbers" => self.number,
            "cpaas-number-imports" => self.import,
            other => panic!("{route}: add a fixture for `{other}` to the cross-tenant walk"),
        }
    }
}

async fn sign_in(app: &TestApp, email: &str) -> LoginResponse {
    let res = app.login(email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("login")
}

/// Fills every `{param}` of `route` with the fixture id of the collection before it.
fn concrete(route: &str, fixtures: &Fixtures) -> String {
    let segments: Vec<&str> = route.split('/').collect();
    segments
        .iter()
        .enumerate()
        .map(|(i, segment)| {
            if segment.starts_with('{') {
                let collection = segments.get(i.wrapping_sub(1)).copied().unwrap_or_default();
                fixtures.id_for(collection, route).to_string()
            } else {
                (*segment).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_route_denies_a_sibling_subtree() {
    let app = TestApp::spawn().await;
    app.create_admin("owner@kakapo.example", PASSWORD, "Kakapo");
    app.create_admin("sibling@other.example", PASSWORD, "Other");
    let owner = sign_in(&app, "owner@kakapo.example").await;
    let sibling = sign_in(&app, "sibling@other.example").await;
    let provider = owner.account.organization_id;
    let create = |path: String| {
        let token = owner.access_token.clone();
        let url = app.url(&path);
        let client = app.client.clone();
        async move {
            let res = client
                .post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({ "name": "Owned" }))
                .send()
                .await
                .expect("sent");
            assert_eq!(res.status(), StatusCode::CREATED, "{path}");
            res.json::<Value>().await.expect("created")["id"]
                .as_i64()
                .expect("id")
        }
    };
    let reseller = create(format!("/api/v1/providers/{provider}/resellers")).await;
    let customer = create(format!("/api/v1/resellers/{reseller}/customers")).await;
    let account = {
        let res = app
            .client
            .post(app.url(&format!("/api/v1/customers/{customer}/portal-accounts")))
            .bearer_auth(&owner.access_token)
            .json(&serde_json::json!({ "email": "staff@kakapo.example", "password": PASSWORD }))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<Value>().await.expect("account")["id"]
            .as_i64()
            .expect("id")
    };
    let user = {
        let res = app
            .client
            .post(app.url(&format!("/api/v1/customers/{customer}/users")))
            .bearer_auth(&owner.access_token)
            .json(&serde_json::json!({ "user_id": "chris@kakapo.example", "name": "Chris" }))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<Value>().await.expect("user")["id"]
            .as_i64()
            .expect("id")
    };
    let post = |path: String, body: Value| {
        let (client, url, token) = (
            app.client.clone(),
            app.url(&path),
            owner.access_token.clone(),
        );
        async move {
            let res = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("sent");
            assert_eq!(res.status(), StatusCode::CREATED, "{path}");
            res.json::<Value>().await.expect("created")["id"]
                .as_i64()
                .expect("id")
        }
    };
    let queue = post(
        format!("/api/v1/customers/{customer}/queues"),
        serde_json::json!({ "name": "Support" }),
    )
    .await;
    let stream = post(
        format!("/api/v1/queues/{queue}/media-streams"),
        serde_json::json!({ "name": "SMS", "media_type": "sms" }),
    )
    .await;
    let platform = post(
        format!("/api/v1/providers/{provider}/cpaas-platforms"),
        serde_json::json!({
            "account_key": cpaas_api::carrier::simulator::state::DEMO_ACCOUNT_KEY,
            "token_secret": cpaas_api::carrier::simulator::state::DEMO_TOKEN_SECRET,
            "outbound_api_key": cpaas_api::carrier::simulator::state::DEMO_OUTBOUND_KEY,
        }),
    )
    .await;
    let res = app
        .client
        .put(app.url(&format!("/api/v1/media-streams/{stream}/sms")))
        .bearer_auth(&owner.access_token)
        .json(&serde_json::json!({ "number": "2019920781" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "the stream's SMS configuration"
    );
    let number = post(
        format!("/api/v1/users/{user}/cpaas-numbers"),
        serde_json::json!({ "number": "2019920778" }),
    )
    .await;
    let import =
        {
            let res = app
            .client
            .post(app.url(&format!("/api/v1/customers/{customer}/cpaas-number-imports")))
            .bearer_auth(&owner.access_token)
            .json(&serde_json::json!({ "csv": "number,user_id\n9495418806,chris@kakapo.example" }))
            .send()
            .await
            .expect("sent");
            assert_eq!(res.status(), StatusCode::ACCEPTED);
            res.json::<Value>().await.expect("import")["id"]
                .as_i64()
                .expect("id")
        };
    let fixtures = Fixtures {
        provider,
        reseller,
        customer,
        account,
        user,
        queue,
        stream,
        platform,
        number,
        import,
    };

    let document: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("doc");
    let paths = document["paths"].as_object().expect("paths");
    let mut walked = 0;
    for (route, item) in paths {
        if !route.starts_with("/api/v1/") || SELF_ROUTES.contains(&route.as_str()) {
            continue;
        }
        if route.starts_with(CLIENT_PREFIX) {
            for method in item.as_object().expect("path item").keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let res = app
                    .client
                    .request(method.clone(), app.url(&route.replace("{id}", "1")))
                    .bearer_auth(&owner.access_token)
                    .json(&serde_json::json!({ "decision": "accept" }))
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {route}");
                walked += 1;
            }
            continue;
        }
        if OPERATOR_ROUTES.contains(&route.as_str()) {
            for method in item.as_object().expect("path item").keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let res = app
                    .client
                    .request(method.clone(), app.url(route))
                    .bearer_auth(&sibling.access_token)
                    .json(&serde_json::json!({}))
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{method} {route}");
                walked += 1;
            }
            continue;
        }
        if let Some((_, collection)) = LIST_ROUTES.iter().find(|(r, _)| r == route) {
            let id = fixtures.id_for(collection, route);
            for (token, visible) in [(&owner.access_token, true), (&sibling.access_token, false)] {
                let res = app
                    .client
                    .get(app.url(route))
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(res.status(), StatusCode::OK, "{route}");
                let page: Value = res.json().await.expect("page");
                let listed = page["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .any(|item| item["id"] == id);
                assert_eq!(
                    listed,
                    visible,
                    "{route}: owner's item listed for the {}",
                    if visible { "owner" } else { "sibling" }
                );
            }
            walked += 1;
            // Anything else on a top-level collection is for operators only.
            for method in item.as_object().expect("path item").keys() {
                let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                    continue;
                };
                if method == Method::GET {
                    continue;
                }
                let res = app
                    .client
                    .request(method.clone(), app.url(route))
                    .bearer_auth(&sibling.access_token)
                    .json(&serde_json::json!({ "name": "Intruder" }))
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{method} {route}");
                walked += 1;
            }
            continue;
        }
        assert!(
            route.contains('{'),
            "{route} names no resource: scope it or list it as a self route"
        );
        let url = app.url(&concrete(route, &fixtures));
        for method in item.as_object().expect("path item").keys() {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let call = |token: &str| {
                app.client
                    .request(method.clone(), &url)
                    .bearer_auth(token)
                    .json(&serde_json::json!({}))
                    .send()
            };
            let denied = call(&sibling.access_token).await.expect("sent");
            assert_eq!(
                denied.status(),
                StatusCode::NOT_FOUND,
                "{method} {route} for a sibling"
            );
            let body: ApiErrorBody = denied.json().await.expect("envelope");
            assert_eq!(body.code, ErrorCode::NotFound, "{method} {route}");
            if method == Method::GET {
                let allowed = call(&owner.access_token).await.expect("sent");
                assert!(
                    allowed.status().is_success(),
                    "{method} {route} for its owner: {}",
                    allowed.status()
                );
            }
            walked += 1;
        }
    }
    assert!(walked > 0, "the walk found no scoped route");
}
