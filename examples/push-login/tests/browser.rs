//! The example in a real browser, as a person would use it: headless Chromium, driven through
//! chromedriver (WebDriver), signs up, enrolls the sandbox's virtual phone by the page's link,
//! signs out, signs in (password, then Approve on the phone page, which shows the request
//! without a reload) and lands signed in; then the same with Deny. Screenshots of the signed-in
//! page and of the phone page with a pending challenge go to
//! `$CARGO_TARGET_TMPDIR/browser-screenshots/` (under the target directory).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test says it is skipped, and fails instead under CI, where they must be there.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use push_login::Config;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free loopback port, stopped on drop.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver(child, port)
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            // As the machine's own probe runs it: no sandbox (root), and no background
            // networking, which this offline machine refuses.
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1000,1500",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    // WebDriver here is plain HTTP on loopback, but the client still builds a TLS setup, and
    // with several providers compiled in rustls needs to be told which one.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    ClientBuilder::rustls()
        .expect("TLS setup")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .expect("a browser session")
}

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(browser: &Client, name: &str) {
    let png = browser.screenshot().await.expect("a screenshot");
    let path = screenshots_dir().join(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

/// Waits (up to 15 s) until the element exists and its text contains `wanted` (a click that
/// submits a form loads a new page, which may not have arrived yet); returns the text.
async fn text_containing(browser: &Client, id: &str, wanted: &str) -> String {
    let started = Instant::now();
    loop {
        let text = match browser.find(Locator::Id(id)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(wanted) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "#{id} never showed {wanted:?}; last text: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn click(browser: &Client, id: &str) {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click #{id}: {e}"));
}

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// Replaces the text of an input.
async fn type_into(browser: &Client, id: &str, text: &str) {
    let input = browser.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// Starts a login on the page, answers it on the phone page with `button`, and returns what
/// the page then shows.
async fn log_in(
    browser: &Client,
    app_window: &fantoccini::wd::WindowHandle,
    phone_window: &fantoccini::wd::WindowHandle,
    button: &str,
    shot: &str,
) -> String {
    browser.switch_to_window(app_window.clone()).await.unwrap();
    // Sign out, then sign in: the password, then the push.
    click(browser, "signout").await;
    text_containing(browser, "who", "Signed out").await;
    type_into(browser, "email", EMAIL).await;
    type_into(browser, "password", PASSWORD).await;
    click(browser, "signin").await;
    let waiting = text_containing(browser, "status", "challenge YC").await;
    let sid = waiting
        .split_whitespace()
        .find(|w| w.starts_with("YC"))
        .unwrap()
        .trim_end_matches(')')
        .to_string();

    // The phone page is not reloaded: it shows the new challenge by itself.
    browser
        .switch_to_window(phone_window.clone())
        .await
        .unwrap();
    text_containing(
        browser,
        &format!("challenge-{sid}"),
        "Log in to the push-login example",
    )
    .await;
    screenshot(browser, &format!("phone-{shot}.png")).await;
    click(browser, &format!("{button}-{sid}")).await;
    text_containing(browser, "notice", &sid).await;

    browser.switch_to_window(app_window.clone()).await.unwrap();
    let outcome = text_containing(browser, "result", "o").await;
    if button == "approve" {
        text_containing(browser, "who", "Signed in as").await;
    }
    screenshot(browser, &format!("page-{shot}.png")).await;
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_then_log_in_with_approve_and_with_deny_in_a_real_browser() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        let why = format!(
            "{CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        if std::env::var_os("CI").is_some() {
            panic!("the browser test cannot run under CI: {why}; .ci/run installs them");
        }
        eprintln!("SKIPPED the browser test: {why}");
        return;
    }
    let started = Instant::now();
    let app = push_login::start(
        Config::sandbox(format!(
            "sqlite://{}/browser-{}.db",
            env!("CARGO_TARGET_TMPDIR"),
            std::process::id()
        )),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap();
    let phone_url = app.phone_url.clone().unwrap();
    let driver = start_driver();
    let profile =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-profile-{}", driver.1));
    let browser = browser(&driver, &profile).await;

    // 1. Sign up; the page then hands out the enrollment JSON…
    browser.goto(&app.url).await.unwrap();
    type_into(&browser, "email", EMAIL).await;
    type_into(&browser, "password", PASSWORD).await;
    click(&browser, "signup").await;
    text_containing(&browser, "who", "Signed in as ada@example.com").await;
    click(&browser, "enroll").await;
    text_containing(&browser, "enrollment", "serviceSid").await;
    let link = browser
        .find(Locator::Id("enroll-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("the page shows an enrollment link");
    assert!(link.starts_with(&phone_url), "{link}");
    let app_window = browser.window().await.unwrap();

    // …which the virtual phone opens, as a phone would after scanning the QR code.
    let phone_window = browser.new_window(true).await.unwrap().handle;
    browser
        .switch_to_window(phone_window.clone())
        .await
        .unwrap();
    browser.goto(&link).await.unwrap();
    assert!(
        text_containing(&browser, "local-only", "Local development only")
            .await
            .contains("127.0.0.1")
    );
    text_containing(&browser, "enroll-notice", "press Enroll").await;
    click(&browser, "enroll").await;
    text_containing(&browser, "notice", "enrolled YF").await;

    // 2. The page lists the new device.
    browser.switch_to_window(app_window.clone()).await.unwrap();
    click(&browser, "refresh").await;
    text_containing(&browser, "devices", "verified").await;

    // 3. Approve logs in; deny does not.
    let approved = log_in(&browser, &app_window, &phone_window, "approve", "approved").await;
    assert_eq!(approved, "Logged in");
    let denied = log_in(&browser, &app_window, &phone_window, "deny", "denied").await;
    assert_eq!(denied, "Login denied on your phone");

    // The webhook saw both answers, signature checked and de-duplicated.
    let events: serde_json::Value = reqwest::get(format!("{}events", app.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["event_type"].as_str())
        .collect();
    assert!(kinds.contains(&"challenge.approved"), "{kinds:?}");
    assert!(kinds.contains(&"challenge.denied"), "{kinds:?}");

    browser.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&profile);
    eprintln!(
        "browser test wall time: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
