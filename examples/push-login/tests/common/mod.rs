//! The test harness: a database per test (a SQLite file, or a fresh PostgreSQL database on the
//! server named by `PUSH_LOGIN_TEST_POSTGRES` or `DATABASE_URL`), the example on 127.0.0.1, and
//! a cookie-keeping HTTP client that plays the browser.

#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use push_login::{Config, Mode, Running};
use serde_json::{Value, json};
use verify_push_sandbox::Sandbox;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A fresh database URL, or `None` (with one line on stderr) when PostgreSQL is not available
/// outside CI. Under `CI` a missing server fails the test instead.
pub async fn database(db: Db, name: &str) -> Option<String> {
    match db {
        Db::Sqlite => {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("push-login-db");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{name}-{}.db", std::process::id()));
            let _ = std::fs::remove_file(&path);
            Some(format!("sqlite://{}", path.display()))
        }
        Db::Postgres => {
            let server = std::env::var("PUSH_LOGIN_TEST_POSTGRES")
                .ok()
                .or_else(|| std::env::var("DATABASE_URL").ok())
                .filter(|u| u.starts_with("postgres"));
            let Some(server) = server else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "no PostgreSQL under CI: run the tests through `bash .ci/postgres`"
                );
                eprintln!(
                    "SKIPPED {name} on PostgreSQL: set DATABASE_URL or run `bash .ci/postgres cargo test -p push-login`"
                );
                return None;
            };
            // One database per test, so tests run in parallel without seeing each other.
            use sqlx::Connection as _;
            let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
            let db_name = format!("push_login_{name}_{}", std::process::id());
            sqlx::query(&format!("DROP DATABASE IF EXISTS {db_name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {db_name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let (base, _) = server.rsplit_once('/').unwrap();
            let query = server
                .split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default();
            Some(format!("{base}/{db_name}{query}"))
        }
    }
}

/// The example on an ephemeral port, against `sandbox`; `webhook`: whether it registers its
/// webhook there (false when the test delivers events itself).
pub async fn start(
    sandbox: &Arc<Sandbox>,
    database: &str,
    webhook: bool,
    login_ttl: Duration,
) -> Running {
    let mut config = Config::sandbox(database);
    config.mode = Mode::Existing(sandbox.clone(), webhook);
    config.login_ttl = login_ttl;
    push_login::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap()
}

/// A browser: keeps its cookies between requests, and sends the CSRF token the page would.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub cookies: std::collections::BTreeMap<String, String>,
    pub csrf: Option<String>,
    /// Whether state-changing requests carry the CSRF token (false: a forged form post).
    pub send_csrf: bool,
}

impl Browser {
    pub fn new(app: &Running) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: app.url.trim_end_matches('/').to_string(),
            cookies: Default::default(),
            csrf: None,
            send_csrf: true,
        }
    }

    /// The same browser (cookie and all) talking to another instance.
    pub fn at(&self, app: &Running) -> Self {
        Self {
            http: self.http.clone(),
            base: app.url.trim_end_matches('/').to_string(),
            cookies: self.cookies.clone(),
            csrf: self.csrf.clone(),
            send_csrf: self.send_csrf,
        }
    }

    pub async fn send(&mut self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        if method != "GET" && self.send_csrf && self.csrf.is_none() {
            // As the page does at load: a token, and its cookie.
            let (status, token) = Box::pin(self.send("GET", "/csrf", None)).await;
            assert_eq!(status, 200, "{token}");
            self.csrf = token["token"].as_str().map(str::to_owned);
        }
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method.parse().unwrap(), &url);
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header("cookie", cookie.join("; "));
        }
        if let (true, Some(token)) = (self.send_csrf && method != "GET", &self.csrf) {
            request = request.header("x-csrf-token", token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        for set in response.headers().get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            if set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn signup(&mut self, email: &str, password: &str) -> (u16, Value) {
        self.send(
            "POST",
            "/signup",
            Some(json!({ "email": email, "password": password })),
        )
        .await
    }

    pub async fn signin(&mut self, email: &str, password: &str) -> (u16, Value) {
        self.send(
            "POST",
            "/signin",
            Some(json!({ "email": email, "password": password })),
        )
        .await
    }

    pub async fn signed_in(&mut self) -> bool {
        self.send("GET", "/me", None).await.0 == 200
    }

    /// Polls a sign-in until it is no longer pending (at most 15 s).
    pub async fn outcome(&mut self, poll: &str) -> String {
        for _ in 0..150 {
            let (_, body) = self.send("GET", &format!("/login/{poll}"), None).await;
            let status = body["status"].as_str().unwrap_or("?").to_string();
            if status != "pending" {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the sign-in stayed pending");
    }
}

/// Enrolls the sandbox's phone for the signed-in user, as the app would with the page's JSON.
pub async fn enroll_phone(sandbox: &Sandbox, browser: &mut Browser) {
    let (status, enrollment) = browser.send("POST", "/enroll", None).await;
    assert_eq!(status, 200, "{enrollment}");
    let enrollment =
        verify_push_sandbox::device::Enrollment::from_json(&enrollment.to_string()).unwrap();
    sandbox.phone().enroll(&enrollment).await.unwrap();
    let (_, devices) = browser.send("GET", "/devices", None).await;
    assert!(devices.to_string().contains("verified"), "{devices}");
}

/// A user with a phone, signed out: ready to sign in with the push.
pub async fn user_with_phone(sandbox: &Sandbox, app: &Running, email: &str) -> Browser {
    let mut browser = Browser::new(app);
    assert_eq!(browser.signup(email, "correct horse battery").await.0, 201);
    enroll_phone(sandbox, &mut browser).await;
    assert_eq!(browser.send("POST", "/signout", None).await.0, 200);
    assert!(!browser.signed_in().await);
    browser
}

/// Posts a webhook event to the example, signed with `auth_token` as Twilio signs (HMAC-SHA1 of
/// the URL and the sorted parameters, base64); returns the status.
pub async fn deliver(app: &Running, auth_token: &str, params: &[(&str, &str)]) -> u16 {
    let url = format!("{}webhooks/verify", app.url);
    let mut sorted: Vec<_> = params.to_vec();
    sorted.sort();
    let mut data = url.clone();
    for (k, v) in &sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    reqwest::Client::new()
        .post(&url)
        .header("x-twilio-signature", signature)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The parameters of a `challenge.approved` (or `denied`) event for `challenge_sid`.
pub fn answer_event<'a>(
    sandbox: &'a Sandbox,
    uuid: &'a str,
    kind: &'a str,
    challenge_sid: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("uuid", uuid),
        ("type", kind),
        ("account_sid", sandbox.account_sid()),
        ("service_sid", sandbox.service_sid()),
        ("challenge_sid", challenge_sid),
        ("factor_type", "push"),
        ("updated_date", "2026-01-01T00:00:00Z"),
    ]
}
