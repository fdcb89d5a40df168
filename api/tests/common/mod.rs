//! The real `cpaas` binary as the process tests start it: a simulator, the api against it on
//! SQLite or a fresh PostgreSQL database, and the few calls the tests make over HTTP. Each test
//! binary uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct horse battery";

pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        // This one process only (never a process group).
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cpaas` with `args` and `env`; answers the process and the first `http://` address
/// it prints on a line containing `marker`.
pub fn start(args: &[&str], env: &[(&str, String)], marker: &str) -> (Process, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cpaas"));
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command.env("RUST_LOG", "info").env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("cpaas starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines.next().expect("a line before exit").expect("readable");
        if line.contains(marker)
            && let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://"))
        {
            break url.trim_end_matches([':', ',']).to_owned();
        }
    };
    // Keep draining so the process never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (Process(child), address)
}

/// `cpaas simulator` on a free port, numbers working as soon as they are enabled: the process
/// and its address.
pub fn simulator() -> (Process, String) {
    let args = [
        "simulator",
        "--bind",
        "127.0.0.1:0",
        "--provisioning-delay-ms",
        "0",
    ];
    start(&args, &[], "Inteliquent simulator on")
}

pub async fn json(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let mut request = client.request(method, &url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let res = request.send().await.expect("sent");
    assert!(res.status().is_success(), "{url}: {}", res.status());
    res.json().await.expect("json")
}

/// Signs the admin in to the api at `base`; answers the login response.
pub async fn sign_in(client: &reqwest::Client, base: &str) -> Value {
    json(
        client,
        reqwest::Method::POST,
        format!("{base}/api/v1/auth/login"),
        None,
        Some(json!({ "email": "admin@kakapo.example", "password": PASSWORD })),
    )
    .await
}

/// Sets the simulator's faults (`{}` clears them).
pub async fn faults(client: &reqwest::Client, sim: &str, body: Value) {
    let url = format!("{sim}/control/faults");
    json(client, reqwest::Method::PUT, url, None, Some(body)).await;
}

/// Starts `cpaas serve` with `env` and signs the admin in: the process, its address and the
/// login response.
pub async fn serve(client: &reqwest::Client, env: &[(&str, String)]) -> (Process, String, Value) {
    let (api, base) = start(&["serve"], env, "listening on");
    let login = sign_in(client, &base).await;
    (api, base, login)
}

pub fn token_of(login: &Value) -> String {
    login["access_token"].as_str().expect("token").to_owned()
}

/// GETs `url` every `every` until `done` holds of the answer, at most `tries` times; answers
/// the last answer.
pub async fn poll(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    (tries, every): (u32, Duration),
    done: impl Fn(&Value) -> bool,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..tries {
        last = json(
            client,
            reqwest::Method::GET,
            url.to_owned(),
            Some(token),
            None,
        )
        .await;
        if done(&last) {
            break;
        }
        tokio::time::sleep(every).await;
    }
    last
}

/// `CPAAS_DATABASE_URL` for a fresh database `test` on `TEST_DATABASE_URL`'s server, if it is
/// set.
pub fn database(test: &str) -> Option<(&'static str, String)> {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let server = std::env::var("TEST_DATABASE_URL").ok()?;
    let name = format!("cpaas_{test}_{}", std::process::id());
    diesel::PgConnection::establish(&server)
        .expect("TEST_DATABASE_URL is reachable")
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("database created");
    let base = server.split('?').next().unwrap_or(&server);
    let (prefix, _) = base.rsplit_once('/').expect("TEST_DATABASE_URL has a path");
    Some(("CPAAS_DATABASE_URL", format!("{prefix}/{name}")))
}

/// The api's environment against the simulator at `sim`, with a data directory, a fresh
/// database called `test` where PostgreSQL is in use, and the `jobs` settings; its admin is
/// created (`cpaas create-admin`).
pub fn prepared(
    data: &std::path::Path,
    sim: &str,
    test: &str,
    jobs: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("CPAAS_DATA_DIR", data.display().to_string()),
        ("CPAAS_BIND", "127.0.0.1:0".to_owned()),
        ("CPAAS_CARRIER", "inteliquent".to_owned()),
        (
            "CPAAS_INTELIQUENT_SERVICES_URL",
            format!("{sim}/Services/2.0.0"),
        ),
        (
            "CPAAS_INTELIQUENT_BROKER_URL",
            format!("{sim}/msgbroker/rest"),
        ),
        ("CPAAS_ADMIN_PASSWORD", PASSWORD.to_owned()),
        // The real carrier's client: a production configuration, which needs its secrets.
        (
            "CPAAS_JWT_SECRET",
            "a restart test's signing secret, 32 bytes".to_owned(),
        ),
        ("CPAAS_SECRET_KEY", "7".repeat(64)),
    ];
    env.extend(jobs.iter().map(|(k, v)| (*k, (*v).to_owned())));
    env.extend(database(test));
    let status = Command::new(env!("CARGO_BIN_EXE_cpaas"))
        .args([
            "create-admin",
            "--email",
            "admin@kakapo.example",
            "--provider-name",
            "Kakapo",
        ])
        .envs(env.iter().map(|(k, v)| (*k, v.clone())))
        .stdout(Stdio::null())
        .status()
        .expect("create-admin runs");
    assert!(status.success());
    env
}

/// On the api at `base` as the signed-in admin: the demo platform, customer Acme and its
/// user chris@acme.example; answers the customer and the user.
pub async fn acme(client: &reqwest::Client, base: &str, login: &Value) -> (Value, Value) {
    let (token, post) = (token_of(login), reqwest::Method::POST);
    let provider = &login["account"]["organization_id"];
    let platform = json!({
        "account_key": DEMO_ACCOUNT_KEY, "token_secret": DEMO_TOKEN_SECRET,
        "outbound_api_key": DEMO_OUTBOUND_KEY,
    });
    let url = format!("{base}/api/v1/providers/{provider}/cpaas-platforms");
    json(client, post.clone(), url, Some(&token), Some(platform)).await;
    let url = format!("{base}/api/v1/providers/{provider}/customers");
    let customer = json(
        client,
        post.clone(),
        url,
        Some(&token),
        Some(json!({ "name": "Acme" })),
    )
    .await;
    let url = format!("{base}/api/v1/customers/{}/users", customer["id"]);
    let body = json!({ "user_id": "chris@acme.example", "name": "Chris" });
    let user = json(client, post, url, Some(&token), Some(body)).await;
    (customer, user)
}

/// The database at `env`'s `CPAAS_DATABASE_URL`, or the SQLite file in `data`.
pub fn connect(env: &[(&str, String)], data: &std::path::Path) -> cpaas_api::db::DbConnection {
    let url = env
        .iter()
        .find(|(key, _)| *key == "CPAAS_DATABASE_URL")
        .map(|(_, url)| url.clone())
        .unwrap_or_else(|| format!("sqlite://{}", data.join("cpaas.db").display()));
    let target = cpaas_api::db::DatabaseTarget::parse(&secrecy::SecretString::from(url))
        .expect("database url");
    cpaas_api::db::establish(&target).expect("database")
}

/// How many webhooks the simulator at `sim` holds for `number` on its demo account.
pub async fn demo_webhooks(client: &reqwest::Client, sim: &str, number: &str) -> usize {
    let url = format!("{sim}/control/accounts");
    let accounts = json(client, reqwest::Method::GET, url, None, None).await;
    let demo = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .find(|account| account["account_key"] == DEMO_ACCOUNT_KEY)
        .expect("the demo account")
        .clone();
    demo["webhooks"]
        .as_array()
        .expect("webhooks")
        .iter()
        .filter(|w| w["number"] == number)
        .count()
}

/// Puts `numbers` on the simulator's demo account, makes its number checks take `latency_ms`,
/// and answers the import CSV assigning them all to chris@acme.example.
pub async fn slow_import_csv(
    client: &reqwest::Client,
    sim: &str,
    numbers: &[String],
    latency_ms: u64,
) -> String {
    let url = format!("{sim}/control/accounts/{DEMO_ACCOUNT_KEY}/numbers");
    let body = Some(json!({ "numbers": numbers }));
    json(client, reqwest::Method::POST, url, None, body).await;
    let slow = json!({ "latency_ms": latency_ms, "operations": ["tnDetail"] });
    faults(client, sim, slow).await;
    std::iter::once("number,user_id".to_owned())
        .chain(numbers.iter().map(|n| format!("{n},chris@acme.example")))
        .collect::<Vec<_>>()
        .join("\n")
}
