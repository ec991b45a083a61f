//! Starting (on any runtime, on a chosen port, with chosen credentials), configuration errors,
//! and stopping on drop.

mod common;

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{IDENTITY, create};
use tokio::net::TcpStream;
use verify_push_sandbox::Sandbox;

/// Polls until nothing accepts connections on `addr`; the server stops as soon as its task runs,
/// which on a busy machine may take a moment.
async fn wait_until_closed(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(addr).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "{addr} still accepts connections"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn drop_stops_the_server() {
    let sandbox = Sandbox::start().await.unwrap();
    let addr = sandbox.addr();
    // Leave a pooled keep-alive connection behind, as a client under test would.
    let client = common::client();
    let response = client
        .post(common::create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[("Identity", IDENTITY), ("FactorType", "push")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let base_url = sandbox.base_url().to_owned();
    drop(sandbox);
    wait_until_closed(addr).await;
    // The pooled connection is closed too: a request through the same client fails.
    let result = client.get(base_url).send().await;
    assert!(result.is_err(), "{result:?}");
}

#[tokio::test]
async fn shutdown_waits_until_stopped() {
    let sandbox = Sandbox::start().await.unwrap();
    let addr = sandbox.addr();
    assert!(TcpStream::connect(addr).await.is_ok());
    sandbox.shutdown().await;
    let error = TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_on_a_multi_thread_runtime() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    assert_eq!(response.status(), 201);
}

#[test]
fn works_on_a_runtime_the_test_builds_itself() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sandbox = Sandbox::start().await.unwrap();
        let response = create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
        assert_eq!(response.status(), 201);
    });
}

#[tokio::test]
async fn base_url_and_addr_agree() {
    let sandbox = Sandbox::start().await.unwrap();
    assert_eq!(
        sandbox.base_url(),
        format!("http://127.0.0.1:{}", sandbox.addr().port())
    );
    assert!(!sandbox.base_url().ends_with('/'));
    assert_ne!(sandbox.addr().port(), 0);
}

#[tokio::test]
async fn chosen_port_is_used_and_a_taken_port_is_an_error() {
    // Find a free port, release it, and ask for it.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let sandbox = Sandbox::builder().port(port).start().await.unwrap();
    assert_eq!(sandbox.base_url(), format!("http://127.0.0.1:{port}"));

    let error = Sandbox::builder().port(port).start().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AddrInUse);
}

#[tokio::test]
async fn chosen_sids_and_secrets_are_used() {
    let sandbox = Sandbox::builder()
        .account_sid("AC0123456789ABCDEF0123456789abcdef")
        .auth_token("token-1")
        .api_key("SK0123456789abcdef0123456789abcdef", "secret-1")
        .service_sid("VA0123456789abcdef0123456789abcdef")
        .start()
        .await
        .unwrap();
    assert_eq!(sandbox.account_sid(), "AC0123456789ABCDEF0123456789abcdef");
    assert_eq!(sandbox.auth_token(), "token-1");
    assert_eq!(sandbox.api_key_sid(), "SK0123456789abcdef0123456789abcdef");
    assert_eq!(sandbox.api_key_secret(), "secret-1");
    assert_eq!(sandbox.service_sid(), "VA0123456789abcdef0123456789abcdef");
    let body: serde_json::Value =
        create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")])
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(body["account_sid"], "AC0123456789ABCDEF0123456789abcdef");
    assert_eq!(body["service_sid"], "VA0123456789abcdef0123456789abcdef");
}

#[tokio::test]
async fn malformed_configuration_is_refused() {
    let cases = [
        Sandbox::builder().account_sid("AC123"),
        Sandbox::builder().account_sid("SK0123456789abcdef0123456789abcdef"),
        Sandbox::builder().service_sid("VA0123456789abcdef0123456789abcdeg"),
        Sandbox::builder().api_key("AC0123456789abcdef0123456789abcdef", "secret"),
        Sandbox::builder().api_key("SK0123456789abcdef0123456789abcdef", ""),
        Sandbox::builder().auth_token(""),
    ];
    for builder in cases {
        let description = format!("{builder:?}");
        let error = builder.start().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{description}");
    }
}

#[test]
fn public_types_can_be_shared_across_threads() {
    // Users keep a sandbox in a static or an Arc shared by tests on a multi-thread runtime.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Sandbox>();
    assert_send_sync::<verify_push_sandbox::SandboxBuilder>();
    assert_send_sync::<verify_push_sandbox::Failure>();
    assert_send_sync::<verify_push_sandbox::RecordedRequest>();
    assert_send_sync::<verify_push_sandbox::AccessToken>();
}
