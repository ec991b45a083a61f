//! A client builds with each TLS feature. With `rustls-ring` alone reqwest has no crypto
//! provider of its own (it would panic building one), so the client must get the shared
//! configuration: `cargo test -p verify-push --no-default-features --features rustls-ring
//! --test tls_features` is the run that checks it (.ci/run runs it).

use verify_push::{Client, Credentials};

#[test]
fn a_client_builds_with_the_enabled_tls_feature() {
    let client = Client::builder()
        .credentials(Credentials::auth_token(
            "AC0123456789abcdef0123456789abcdef",
            "token",
        ))
        .build();
    assert!(client.is_ok(), "{:?}", client.err());
}
