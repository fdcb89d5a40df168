//! A minimal W3C WebDriver client for headless Chromium via chromedriver: just the commands the
//! browser suite needs (navigate, refresh, run a script). No mocks: a real browser loads the
//! real SPA from the real api.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::eventually;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process with one headless Chromium session; both end on drop.
pub struct Browser {
    http: reqwest::Client,
    session: String,
    base: String,
    _driver: Child,
    _profile: TempDir,
}

impl Browser {
    pub async fn start() -> Self {
        for tool in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(tool).exists(),
                "{tool} is missing: run scripts/setup-test.sh (make test does)"
            );
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        eventually(Duration::from_secs(20), "chromedriver to be ready", || {
            let http = http.clone();
            let url = format!("{base}/status");
            async move {
                let status: Value = http.get(url).send().await.ok()?.json().await.ok()?;
                status["value"]["ready"].as_bool().filter(|ready| *ready)
            }
        })
        .await;
        let profile = tempfile::tempdir().expect("profile dir");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900",
                    // Only loopback resolves: a page that needs a CDN fails visibly.
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("new session request")
            .json()
            .await
            .expect("new session response");
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        Self {
            http,
            session,
            base,
            _driver: driver,
            _profile: profile,
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let response: Value = self
            .http
            .request(method, url)
            .json(&body)
            .send()
            .await
            .expect("webdriver request")
            .json()
            .await
            .expect("webdriver response");
        if let Some(error) = response["value"]["error"].as_str() {
            panic!(
                "webdriver {path}: {error}: {}",
                response["value"]["message"]
            );
        }
        response["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    pub async fn refresh(&self) {
        self.command(reqwest::Method::POST, "/refresh", json!({}))
            .await;
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
        .await
    }

    /// The WebDriver id of the element matching `selector`, waiting up to 20 s for it to be
    /// rendered (the SPA renders after its wasm loads).
    async fn element(&self, selector: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while self
            .execute(
                "return document.querySelector(arguments[0]) !== null;",
                json!([selector]),
            )
            .await
            != Value::Bool(true)
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no element {selector}; the page shows: {:?}",
                self.text("body").await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let found = self
            .command(
                reqwest::Method::POST,
                "/element",
                json!({ "using": "css selector", "value": selector }),
            )
            .await;
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_owned()
    }

    /// Types `text` into the element matching `selector`, as a user would (key events).
    pub async fn type_into(&self, selector: &str, text: &str) {
        let id = self.element(selector).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            json!({}),
        )
        .await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    /// Clicks the element matching `selector`.
    pub async fn click(&self, selector: &str) {
        let id = self.element(selector).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    /// The text of the first element matching `selector`, if there is one.
    pub async fn text(&self, selector: &str) -> Option<String> {
        self.execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            json!([selector]),
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    /// Waits until the element matching `selector` has text satisfying `accept`; returns it.
    /// On timeout the panic shows what the page did display.
    pub async fn wait_for_text(
        &self,
        selector: &str,
        accept: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> String {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(text) = self.text(selector).await
                && accept(text.trim())
            {
                return text.trim().to_owned();
            }
            if tokio::time::Instant::now() >= deadline {
                let page = self.text("body").await.unwrap_or_default();
                panic!("timed out waiting for {selector}; the page shows: {page:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The current document's path.
    pub async fn path(&self) -> String {
        self.execute("return location.pathname;", json!([]))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Drop for Browser {
    /// Ends the session, which makes chromedriver quit Chromium, even when the test panicked;
    /// chromedriver itself is killed on drop. A plain blocking request: drop cannot await.
    fn drop(&mut self) {
        let Some(address) = self.base.strip_prefix("http://") else {
            return;
        };
        let Ok(mut stream) = TcpStream::connect(address) else {
            return;
        };
        let _timeout = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "DELETE /session/{} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\n\
             Connection: close\r\n\r\n",
            self.session
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            let mut answer = Vec::new();
            let _read = stream.read_to_end(&mut answer);
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
