//! Tenant isolation, walked from the OpenAPI document so that a new route is covered without
//! editing this test (and fails here until its fixtures exist).
//!
//! Two providers, each with two resellers, a customer under each and one directly under the
//! provider, users, queues, SMS media streams, a platform on its own carrier account, numbers
//! (active and ended), an import and portal accounts at every level. For an account at each
//! level of the first provider, and for one of its end users' client:
//! (a) every operation on an id outside the caller's subtree (the other provider's, or a
//!     sibling reseller's or customer's) answers `404 not_found`;
//! (b) every read of the caller's own objects, lists and searches included (for the others'
//!     names and digits too), shows nothing of those subtrees;
//! (c) their ids inside request bodies and CSV lines are refused, naming nothing of theirs;
//! (d) one platform's webhook token does not open another platform's webhook.
//!
//! Every object's name, email or number carries a token of the subtree it belongs to
//! (`qa-r2` for the first provider's second reseller, `qb-…` for the other provider), so
//! "shows nothing" is a search of the answer for the tokens the caller must not see.

use std::collections::BTreeMap;

use cpaas_shared::{ApiErrorBody, ClientLoginResponse, ErrorCode};
use cpaas_tests::TestApp;

use super::numbers::import_done;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const CLIENT_PASSWORD: &str = "client password 1";

/// Routes that act on the caller itself.
const SELF_ROUTES: [&str; 5] = [
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/auth/logout",
    "/api/v1/auth/me",
    "/api/v1/client/login",
];
/// Reads of a part an object may not have (a media stream without an SMS number).
const OPTIONAL_READS: [&str; 1] = ["/api/v1/media-streams/{id}/sms"];
/// Routes for operators only: every method answers `forbidden` to anyone else.
const OPERATOR_ROUTES: [&str; 2] = ["/api/v1/simulator", "/api/v1/simulator/numbers"];

/// One object of a tenant: the collection its id is used under, and the materialized path of
/// the organization it belongs to.
#[derive(Debug, Clone)]
struct Object {
    collection: &'static str,
    id: i64,
    path: String,
}

/// What is visible to whom: a caller sees exactly the objects whose path starts with its scope.
#[derive(Default)]
struct World {
    objects: Vec<Object>,
    /// Token → path of the subtree it names; the numbers' digits count as tokens too.
    tokens: BTreeMap<String, String>,
}

impl World {
    fn add(&mut self, collection: &'static str, id: i64, path: &str) {
        self.objects.push(Object {
            collection,
            id,
            path: path.to_owned(),
        });
    }

    /// Ids in `collection` the caller with `scope` may reach, and those it must not.
    fn split(&self, collection: &str, scope: &str) -> (Vec<i64>, Vec<i64>) {
        let of = self.objects.iter().filter(|o| o.collection == collection);
        let (mine, theirs): (Vec<&Object>, Vec<&Object>) =
            of.partition(|o| o.path.starts_with(scope));
        (
            mine.iter().map(|o| o.id).collect(),
            theirs.iter().map(|o| o.id).collect(),
        )
    }

    /// Tokens the caller with `scope` must never see: those of other subtrees. Its ancestors'
    /// are not secret to it (its own provider's name, say).
    fn forbidden(&self, scope: &str) -> Vec<&str> {
        self.tokens
            .iter()
            .filter(|(_, path)| !path.starts_with(scope) && !scope.starts_with(path.as_str()))
            .map(|(token, _)| token.as_str())
            .collect()
    }
}

/// The subtree tokens and objects of one tenant, as built through the API.
struct Tenant {
    tag: &'static str,
    token: String,
    provider: i64,
    platform: i64,
    /// Numbers on its carrier account: four assigned, one free, one it never holds.
    numbers: [&'static str; 6],
    users: Vec<(i64, String)>,
    free_stream: i64,
}

async fn send(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let res = app.call(token, method.clone(), path, Some(body)).await;
    let status = res.status();
    let text = res.text().await.expect("body");
    assert!(status.is_success(), "{method} {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("id")
}

/// Builds tenant `tag` ("qa" or "qb") and registers its objects in `world`.
async fn tenant(
    app: &TestApp,
    world: &mut World,
    tag: &'static str,
    numbers: [&'static str; 6],
) -> Tenant {
    let admin = format!("{tag}-p-admin@example.com");
    app.create_admin(&admin, PASSWORD, &format!("{tag}-p- Provider"));
    let login = app.session(&admin, PASSWORD).await;
    let token = login.access_token;
    let provider = login.account.organization_id;
    let p = format!("/{provider}/");
    world.add("providers", provider, &p);
    world.add("portal-accounts", login.account.id, &p);
    world.tokens.insert(format!("{tag}-p-"), p.clone());
    let key = format!("{tag}AccountKey01");
    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": key, "token_secret": format!("{tag}TokenSecret01"),
            "outbound_api_key": format!("{tag}OutboundKey01"), "numbers": &numbers[..5],
        })),
    )
    .await;
    let body = json!({
        "name": format!("{tag}-p- Platform"), "account_key": key,
        "token_secret": format!("{tag}TokenSecret01"),
        "outbound_api_key": format!("{tag}OutboundKey01"),
    });
    let path = format!("/api/v1/providers/{provider}/cpaas-platforms");
    let platform = id(&send(app, &token, Method::POST, &path, body).await);
    world.add("cpaas-platforms", platform, &p);

    let named = |name: String| json!({ "name": name });
    let mut paths = BTreeMap::new();
    for r in ["r1", "r2"] {
        let path = format!("/api/v1/providers/{provider}/resellers");
        let body = named(format!("{tag}-{r} Reseller"));
        let reseller = id(&send(app, &token, Method::POST, &path, body).await);
        paths.insert(r, (reseller, format!("{p}{reseller}/")));
        world.add("resellers", reseller, &format!("{p}{reseller}/"));
    }
    for (c, parent) in [("c1", Some("r1")), ("c2", Some("r2")), ("c3", None)] {
        let (path, base) = match parent {
            Some(r) => (
                format!("/api/v1/resellers/{}/customers", paths[r].0),
                paths[r].1.clone(),
            ),
            None => (format!("/api/v1/providers/{provider}/customers"), p.clone()),
        };
        let body = named(format!("{tag}-{c} Customer"));
        let customer = id(&send(app, &token, Method::POST, &path, body).await);
        paths.insert(c, (customer, format!("{base}{customer}/")));
        world.add("customers", customer, &format!("{base}{customer}/"));
    }
    for (node, (_, path)) in &paths {
        world.tokens.insert(format!("{tag}-{node}"), path.clone());
    }
    // Portal accounts at each level below the provider.
    for (node, collection) in [
        ("r1", "resellers"),
        ("r2", "resellers"),
        ("c1", "customers"),
        ("c2", "customers"),
    ] {
        let (org, path) = &paths[node];
        let body = json!({ "email": format!("{tag}-{node}@example.com"), "password": PASSWORD });
        let url = format!("/api/v1/{collection}/{org}/portal-accounts");
        let account = id(&send(app, &token, Method::POST, &url, body).await);
        world.add("portal-accounts", account, path);
    }
    // Users, queues and SMS media streams of the two customers under resellers.
    let mut users = Vec::new();
    let mut streams = Vec::new();
    for node in ["c1", "c2"] {
        let (customer, path) = &paths[node];
        let user_id = format!("{tag}-{node}-user@example.com");
        let body = json!({ "user_id": user_id, "name": format!("{tag}-{node} User") });
        let url = format!("/api/v1/customers/{customer}/users");
        let user = id(&send(app, &token, Method::POST, &url, body).await);
        world.add("users", user, path);
        users.push((user, user_id));
        let url = format!("/api/v1/customers/{customer}/queues");
        let queue = id(&send(
            app,
            &token,
            Method::POST,
            &url,
            named(format!("{tag}-{node} Queue")),
        )
        .await);
        world.add("queues", queue, path);
        let url = format!("/api/v1/queues/{queue}/media-streams");
        let body = json!({ "name": format!("{tag}-{node} Stream"), "media_type": "sms" });
        let stream = id(&send(app, &token, Method::POST, &url, body).await);
        world.add("media-streams", stream, path);
        streams.push((stream, queue));
    }
    // A second SMS stream of the first customer, left without a number.
    let url = format!("/api/v1/queues/{}/media-streams", streams[0].1);
    let body = json!({ "name": format!("{tag}-c1 Spare stream"), "media_type": "sms" });
    let free_stream = id(&send(app, &token, Method::POST, &url, body).await);
    world.add("media-streams", free_stream, &paths["c1"].1);

    // Numbers: the first customer's user, the second's, the first stream's, and an ended one.
    let assign = |user: i64, number: &str, name: String| {
        let (app, token) = (app, token.clone());
        let body = json!({ "number": number, "friendly_name": name });
        async move {
            let url = format!("/api/v1/users/{user}/cpaas-numbers");
            id(&send(app, &token, Method::POST, &url, body).await)
        }
    };
    let n1 = assign(users[0].0, numbers[0], format!("{tag}-c1 Number")).await;
    let n2 = assign(users[1].0, numbers[1], format!("{tag}-c2 Number")).await;
    let url = format!("/api/v1/media-streams/{}/sms", streams[0].0);
    let sms = send(
        app,
        &token,
        Method::PUT,
        &url,
        json!({ "number": numbers[2] }),
    )
    .await;
    let n4 = assign(users[0].0, numbers[3], format!("{tag}-c1 Ended")).await;
    let res = app
        .call(
            &token,
            Method::DELETE,
            &format!("/api/v1/cpaas-numbers/{n4}"),
            None,
        )
        .await;
    assert!(res.status().is_success(), "ended");
    for (number, node, digits) in [
        (n1, "c1", numbers[0]),
        (n2, "c2", numbers[1]),
        (id(&sms), "c1", numbers[2]),
        (n4, "c1", numbers[3]),
    ] {
        world.add("cpaas-numbers", number, &paths[node].1);
        world
            .tokens
            .insert(digits.to_owned(), paths[node].1.clone());
    }
    // An import at the first customer (its one line is refused by the carrier).
    let url = format!("/api/v1/customers/{}/cpaas-number-imports", paths["c1"].0);
    let csv = format!("number,user_id\n{},{}\n", numbers[5], users[0].1);
    let import = send(app, &token, Method::POST, &url, json!({ "csv": csv })).await;
    world.add("cpaas-number-imports", id(&import), &paths["c1"].1);
    Tenant {
        tag,
        token,
        provider,
        platform,
        numbers,
        users,
        free_stream,
    }
}

/// The callers of the first tenant: an account at each level, with its scope.
async fn callers(app: &TestApp, world: &World, a: &Tenant) -> Vec<(String, String, String)> {
    let mut out = vec![(
        format!("{}-p-admin@example.com", a.tag),
        a.token.clone(),
        format!("/{}/", a.provider),
    )];
    for node in ["r1", "c1"] {
        let email = format!("{}-{node}@example.com", a.tag);
        let token = app.token(&email, PASSWORD).await;
        let scope = world.tokens[&format!("{}-{node}", a.tag)].clone();
        out.push((email, token, scope));
    }
    out
}

/// `route` with each `{param}` filled by `id`.
fn fill(route: &str, id: i64) -> String {
    route
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                id.to_string()
            } else {
                s.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The collection a route's id belongs to: the segment before its `{id}`.
fn collection_of(route: &str) -> &str {
    let segments: Vec<&str> = route.split('/').collect();
    let at = segments
        .iter()
        .position(|s| s.starts_with('{'))
        .expect("a path parameter");
    segments[at - 1]
}

fn leaks<'a>(text: &str, forbidden: &[&'a str]) -> Vec<&'a str> {
    let lower = text.to_lowercase();
    forbidden
        .iter()
        .copied()
        .filter(|t| lower.contains(&t.to_lowercase()))
        .collect()
}

async fn not_found(res: reqwest::Response, what: &str) {
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "{what}");
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::NotFound, "{what}");
}

#[tokio::test]
async fn no_tenant_reaches_or_sees_another() {
    let app = TestApp::spawn().await;
    let mut world = World::default();
    let a = tenant(
        &app,
        &mut world,
        "qa",
        [
            "3125550101",
            "3125550102",
            "3125550103",
            "3125550104",
            "3125550105",
            "3125550106",
        ],
    )
    .await;
    let b = tenant(
        &app,
        &mut world,
        "qb",
        [
            "4155550201",
            "4155550202",
            "4155550203",
            "4155550204",
            "4155550205",
            "4155550206",
        ],
    )
    .await;
    let document: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("doc");
    let paths = document["paths"].as_object().expect("paths");
    let mut walked = 0;

    for (email, token, scope) in callers(&app, &world, &a).await {
        let forbidden = world.forbidden(&scope);
        assert!(forbidden.iter().any(|t| t.starts_with("qb")), "{email}");
        for (route, item) in paths {
            if !route.starts_with("/api/v1/")
                || route.starts_with("/api/v1/client/")
                || SELF_ROUTES.contains(&route.as_str())
            {
                continue;
            }
            for (method, operation) in item.as_object().expect("path item") {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let what = format!("{email}: {method} {route}");
                let searchable = operation["parameters"]
                    .as_array()
                    .is_some_and(|p| p.iter().any(|p| p["name"] == "search"));
                if OPERATOR_ROUTES.contains(&route.as_str())
                    || (route == "/api/v1/providers" && method != Method::GET)
                {
                    let res = app
                        .call(&token, method.clone(), route, Some(json!({})))
                        .await;
                    assert_eq!(res.status(), StatusCode::FORBIDDEN, "{what}");
                    walked += 1;
                    continue;
                }
                if !route.contains('{') {
                    assert_eq!(method, Method::GET, "{what}: names no resource");
                    let text = app
                        .call(&token, method, route, None)
                        .await
                        .text()
                        .await
                        .expect("text");
                    assert_eq!(leaks(&text, &forbidden), Vec::<&str>::new(), "{what}");
                    walked += 1;
                    continue;
                }
                let collection = collection_of(route);
                let (mine, theirs) = world.split(collection, &scope);
                assert!(
                    world.objects.iter().any(|o| o.collection == collection),
                    "{route}: add a fixture for `{collection}` to the isolation walk"
                );
                // (a) Every id outside the caller's subtree is not found, whatever the method.
                for other in &theirs {
                    let res = app
                        .call(
                            &token,
                            method.clone(),
                            &fill(route, *other),
                            Some(json!({})),
                        )
                        .await;
                    not_found(res, &format!("{what} with id {other}")).await;
                    walked += 1;
                }
                // (b) Its own objects and lists show nothing of other subtrees, also when
                // searched for their names and digits.
                if method == Method::GET {
                    for own in &mine {
                        let url = fill(route, *own);
                        let res = app.call(&token, Method::GET, &url, None).await;
                        let absent = OPTIONAL_READS.contains(&route.as_str())
                            && res.status() == StatusCode::NOT_FOUND;
                        assert!(
                            res.status().is_success() || absent,
                            "{what} for its own {own}"
                        );
                        let text = res.text().await.expect("text");
                        assert_eq!(leaks(&text, &forbidden), Vec::<&str>::new(), "{what} {own}");
                        if searchable {
                            for term in forbidden.iter().chain(["555", "qb", "qa-"].iter()) {
                                let url = format!("{url}?search={term}&per_page=100");
                                let res = app.call(&token, Method::GET, &url, None).await;
                                let status = res.status();
                                let text = res.text().await.expect("text");
                                assert!(status.is_success(), "{what} ?search={term}: {status}");
                                assert_eq!(
                                    leaks(&text, &forbidden),
                                    Vec::<&str>::new(),
                                    "{what} ?search={term}"
                                );
                            }
                        }
                        walked += 1;
                    }
                }
            }
        }
    }

    // The client API: an end user reaches only its own numbers.
    let (user, user_id) = a.users[0].clone();
    let url = format!("/api/v1/users/{user}/client-password");
    send(
        &app,
        &a.token,
        Method::PUT,
        &url,
        json!({ "password": CLIENT_PASSWORD }),
    )
    .await;
    let res = app
        .client
        .post(app.url("/api/v1/client/login"))
        .json(&json!({ "user_id": user_id, "password": CLIENT_PASSWORD }))
        .send()
        .await
        .expect("sent");
    let client: ClientLoginResponse = res.json().await.expect("client login");
    let scope = world.tokens["qa-c1"].clone();
    let forbidden = world.forbidden(&scope);
    let own: Vec<i64> = {
        let url = format!("/api/v1/users/{user}/cpaas-numbers");
        let page = send(&app, &a.token, Method::GET, &url, Value::Null).await;
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(id)
            .collect()
    };
    for (route, item) in paths {
        if !route.starts_with("/api/v1/client/") || SELF_ROUTES.contains(&route.as_str()) {
            continue;
        }
        for method in item.as_object().expect("path item").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let what = format!("client: {method} {route}");
            // A portal token is for another audience.
            let res = app
                .call(&a.token, method.clone(), &fill(route, 1), Some(json!({})))
                .await;
            assert_eq!(
                res.status(),
                StatusCode::UNAUTHORIZED,
                "{what} with a portal token"
            );
            if !route.contains('{') {
                let res = app.call(&client.access_token, method, route, None).await;
                let text = res.text().await.expect("text");
                assert_eq!(leaks(&text, &forbidden), Vec::<&str>::new(), "{what}");
                walked += 1;
                continue;
            }
            let others = world
                .objects
                .iter()
                .filter(|o| o.collection == "cpaas-numbers" && !own.contains(&o.id));
            for other in others {
                let body = json!({ "decision": "accept" });
                let url = fill(route, other.id);
                let res = app
                    .call(&client.access_token, method.clone(), &url, Some(body))
                    .await;
                not_found(res, &format!("{what} with number {}", other.id)).await;
                walked += 1;
            }
        }
    }
    assert!(walked > 500, "the walk reached only {walked} calls");

    // (c) Ids of other subtrees inside bodies and CSV lines.
    bodies_with_foreign_ids(&app, &world, &a, &b).await;
    // (d) One platform's webhook token on another platform's webhook.
    webhook_tokens_are_per_platform(&app, &a, &b).await;
}

/// An answer as text, with its status.
async fn answer(res: reqwest::Response) -> (StatusCode, String) {
    let status = res.status();
    (status, res.text().await.expect("text"))
}

/// (c): another provider's platform, another provider's or a sibling customer's user and
/// stream, named in a body or a CSV line, are refused exactly as an id that exists nowhere is:
/// the answer tells nothing about them.
async fn bodies_with_foreign_ids(app: &TestApp, world: &World, a: &Tenant, b: &Tenant) {
    let scope = world.tokens["qa-c1"].clone();
    let free = a.numbers[4];
    let c1_account = app.token("qa-c1@example.com", PASSWORD).await;
    let nowhere = 999_999;
    for token in [&a.token, &c1_account] {
        for (method, url) in [
            (
                Method::POST,
                format!("/api/v1/users/{}/cpaas-numbers", a.users[0].0),
            ),
            (
                Method::PUT,
                format!("/api/v1/media-streams/{}/sms", a.free_stream),
            ),
        ] {
            let call = |platform: i64| {
                let body = json!({ "number": free, "platform_id": platform });
                app.call(token, method.clone(), &url, Some(body))
            };
            let (status, theirs) = answer(call(b.platform).await).await;
            let (_, made_up) = answer(call(nowhere).await).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {url}: {theirs}"
            );
            assert!(theirs.contains("platform_id"), "{theirs}");
            assert_eq!(
                theirs,
                made_up.replace(&nowhere.to_string(), &b.platform.to_string())
            );
        }
    }
    // An import at the first customer naming what is not its own: every line fails.
    let customer = world
        .objects
        .iter()
        .find(|o| o.collection == "customers" && o.path == scope)
        .expect("c1")
        .id;
    // Each foreign name follows a line naming what exists nowhere: their results must read the
    // same. (line, the name it gives, the line of the made-up name it must read like)
    let (own_user, sibling_user, their_user) = (&a.users[0].1, &a.users[1].1, &b.users[0].1);
    let their_platform = b.platform.to_string();
    let lines: [(String, &str, Option<usize>); 8] = [
        (
            format!("{free},nobody@example.com,,"),
            "nobody@example.com",
            None,
        ),
        (format!("{free},{their_user},,"), their_user, Some(2)),
        (format!("{free},{sibling_user},,"), sibling_user, Some(2)),
        (format!("{free},,No such stream,"), "No such stream", None),
        (format!("{free},,qb-c1 Stream,"), "qb-c1 Stream", Some(5)),
        (format!("{free},,qa-c2 Stream,"), "qa-c2 Stream", Some(5)),
        (format!("{free},{own_user},,{nowhere}"), "999999", None),
        (
            format!("{free},{own_user},,{their_platform}"),
            &their_platform,
            Some(8),
        ),
    ];
    let csv = std::iter::once("number,user_id,media_stream,platform_id".to_owned())
        .chain(lines.iter().map(|(line, _, _)| line.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    let url = format!("/api/v1/customers/{customer}/cpaas-number-imports");
    let import = send(app, &c1_account, Method::POST, &url, json!({ "csv": csv })).await;
    let url = format!("/api/v1/cpaas-number-imports/{}", id(&import));
    let done: Value = import_done(app, &c1_account, &url).await;
    assert_eq!(
        (done["assigned"].as_u64(), done["failed"].as_u64()),
        (Some(0), Some(8))
    );
    let detail = |line: usize| {
        let rows = done["rows"].as_array().expect("rows");
        let row = rows
            .iter()
            .find(|r| r["line"] == line)
            .expect("the line's result");
        row["detail"].as_str().expect("detail").to_owned()
    };
    for (at, (text, named, like)) in lines.iter().enumerate() {
        if let Some(like) = *like {
            let made_up = lines[like - 2].1;
            assert_eq!(
                detail(at + 2),
                detail(like).replace(made_up, named),
                "`{text}` reads as `{}`",
                lines[like - 2].0
            );
        }
    }
}

/// (d): each platform's webhook takes only its own token.
async fn webhook_tokens_are_per_platform(app: &TestApp, a: &Tenant, b: &Tenant) {
    let (token_a, token_b) = (
        app.webhook_token(a.platform).await,
        app.webhook_token(b.platform).await,
    );
    assert_ne!(token_a, token_b);
    let message = |to: &str| {
        json!({
            "referenceId": format!("iso-{to}"), "from": "13125550999", "to": [format!("1{to}")],
            "text": "hello",
        })
    };
    for (platform, token, to, status) in [
        (b.platform, &token_a, b.numbers[0], StatusCode::UNAUTHORIZED),
        (a.platform, &token_b, a.numbers[0], StatusCode::UNAUTHORIZED),
        (a.platform, &token_a, a.numbers[0], StatusCode::OK),
    ] {
        let res = app
            .client
            .post(app.url(&format!("/webhooks/inteliquent/{platform}")))
            .header("X-Cpaas-Webhook-Token", token.as_str())
            .json(&message(to))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), status, "platform {platform}");
    }
}
