//! The stand-in for Twilio: an HTTP/1.1 server on 127.0.0.1 that answers every request with the
//! spec's example body for its route, on its own runtime thread so the client's CPU time can be
//! measured apart from it.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::Value;

/// The vendored spec; the bodies served are its examples, so every client decodes what Twilio
/// documents.
const SPEC: &str = include_str!("../../../openapi/twilio_verify_v2.json");

/// A running server. It lives until the process exits.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// The base URL to give the clients, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// The response bodies, taken from the spec's examples.
#[derive(Debug, Clone)]
struct Bodies {
    access_token_created: Bytes,
    access_token: Bytes,
    challenge_created: Bytes,
    challenge_approved: Bytes,
}

fn example(spec: &Value, path: &str, method: &str, status: &str, name: &str) -> Bytes {
    let value =
        spec["paths"][path][method]["responses"][status]["content"]["application/json"]["examples"]
            [name]["value"]
            .clone();
    assert!(
        !value.is_null(),
        "the spec has no example {name} for {method} {path} {status}"
    );
    Bytes::from(serde_json::to_vec(&value).expect("JSON serialises"))
}

impl Bodies {
    fn from_spec() -> Self {
        let spec: Value = serde_json::from_str(SPEC).expect("the vendored spec is JSON");
        let tokens = "/v2/Services/{ServiceSid}/AccessTokens";
        let challenges = "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges";
        Self {
            access_token_created: example(&spec, tokens, "post", "201", "createWithTtl"),
            access_token: example(&spec, &format!("{tokens}/{{Sid}}"), "get", "200", "fetch"),
            challenge_created: example(&spec, challenges, "post", "201", "createPush"),
            // `fetchSid` is an approved challenge: `wait` returns after one poll.
            challenge_approved: example(
                &spec,
                &format!("{challenges}/{{Sid}}"),
                "get",
                "200",
                "fetchSid",
            ),
        }
    }
}

fn json(status: StatusCode, body: Bytes) -> impl IntoResponse {
    (status, [(header::CONTENT_TYPE, "application/json")], body)
}

/// Starts the server on a new thread with a one-worker runtime and returns once it listens.
pub fn start() -> Server {
    let bodies = Bodies::from_spec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("stand-in".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let b = bodies;
                let (b1, b2, b3, b4) = (b.clone(), b.clone(), b.clone(), b);
                let app = Router::new()
                    .route(
                        "/v2/Services/{service}/AccessTokens",
                        post(move |_form: Bytes| async move {
                            json(StatusCode::CREATED, b1.access_token_created)
                        }),
                    )
                    .route(
                        "/v2/Services/{service}/AccessTokens/{sid}",
                        get(move || async move { json(StatusCode::OK, b2.access_token) }),
                    )
                    .route(
                        "/v2/Services/{service}/Entities/{identity}/Challenges",
                        post(move |_form: Bytes| async move {
                            json(StatusCode::CREATED, b3.challenge_created)
                        }),
                    )
                    .route(
                        "/v2/Services/{service}/Entities/{identity}/Challenges/{sid}",
                        get(move || async move { json(StatusCode::OK, b4.challenge_approved) }),
                    );
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1");
                tx.send(listener.local_addr().expect("local address"))
                    .expect("the caller waits");
                axum::serve(listener, app).await.expect("serve");
            });
        })
        .expect("server thread");
    Server {
        addr: rx.recv().expect("the server starts"),
    }
}
