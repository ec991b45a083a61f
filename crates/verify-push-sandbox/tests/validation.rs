//! Twilio's create rules: each broken rule gets a 400 with the documented code and a message that
//! names the parameter; the boundaries that are allowed are allowed.

mod common;

use common::{IDENTITY, create, create_ok, twilio_error};
use verify_push_sandbox::Sandbox;

/// Creates with `form`, expects a 400 with `code`, and checks the message names `parameter`.
async fn rejected(sandbox: &Sandbox, form: &[(&str, &str)], code: u64, parameter: &str) -> String {
    let message = twilio_error(create(sandbox, form).await, 400, code).await;
    assert!(
        message.contains(parameter),
        "{message:?} does not name {parameter}"
    );
    message
}

#[tokio::test]
async fn missing_identity_is_60305() {
    let sandbox = Sandbox::start().await.unwrap();
    let message = rejected(&sandbox, &[("FactorType", "push")], 60305, "Identity").await;
    assert_eq!(
        message,
        "Access Token parameters invalid: Identity is required"
    );
    rejected(
        &sandbox,
        &[("Identity", ""), ("FactorType", "push")],
        60305,
        "Identity",
    )
    .await;
    rejected(&sandbox, &[], 60305, "Identity").await;
    assert!(sandbox.access_tokens().is_empty());
}

#[tokio::test]
async fn missing_factor_type_is_60305() {
    let sandbox = Sandbox::start().await.unwrap();
    let message = rejected(&sandbox, &[("Identity", IDENTITY)], 60305, "FactorType").await;
    assert_eq!(
        message,
        "Access Token parameters invalid: FactorType is required"
    );
}

#[tokio::test]
async fn factor_type_other_than_push_is_60200() {
    let sandbox = Sandbox::start().await.unwrap();
    for factor_type in ["totp", "sms", "PUSH", "push "] {
        rejected(
            &sandbox,
            &[("Identity", IDENTITY), ("FactorType", factor_type)],
            60200,
            "FactorType",
        )
        .await;
    }
}

#[tokio::test]
async fn identity_breaking_the_entity_rule_is_60200() {
    let sandbox = Sandbox::start().await.unwrap();
    let too_long = "a".repeat(65);
    for identity in [
        "abc1234",         // 7 characters
        &too_long,         // 65 characters
        "user_123456",     // underscore
        "user 123456",     // space
        "user@example",    // @
        "-user123456",     // leading dash
        "user123456-",     // trailing dash
        "user--123456",    // double dash
        "us\u{e9}r123456", // non-ASCII letter
    ] {
        let message = rejected(
            &sandbox,
            &[("Identity", identity), ("FactorType", "push")],
            60200,
            "Identity",
        )
        .await;
        assert!(message.contains("8 to 64"), "{message}");
    }
}

#[tokio::test]
async fn identity_boundaries_are_accepted() {
    let sandbox = Sandbox::start().await.unwrap();
    let longest = "A1".repeat(32);
    for identity in ["abcd1234", longest.as_str(), "a-b-c-d-e-f", "0a1b2c3d-4e5f"] {
        let body = create_ok(&sandbox, &[("Identity", identity), ("FactorType", "push")]).await;
        assert_eq!(body["entity_identity"], identity);
    }
}

#[tokio::test]
async fn friendly_name_over_64_characters_is_60200() {
    let sandbox = Sandbox::start().await.unwrap();
    let name_65 = "n".repeat(65);
    let message = rejected(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", &name_65),
        ],
        60200,
        "FactorFriendlyName",
    )
    .await;
    assert!(message.contains("64"), "{message}");

    let name_64 = "n".repeat(64);
    let body = create_ok(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", &name_64),
        ],
    )
    .await;
    assert_eq!(body["factor_friendly_name"], name_64);
}

#[tokio::test]
async fn friendly_name_counts_characters_not_bytes() {
    let sandbox = Sandbox::start().await.unwrap();
    // 64 characters, 192 bytes in UTF-8.
    let name_64 = "\u{65e5}".repeat(64);
    let body = create_ok(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", &name_64),
        ],
    )
    .await;
    assert_eq!(body["factor_friendly_name"], name_64);

    let name_65 = "\u{1f4f1}".repeat(65);
    rejected(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", &name_65),
        ],
        60200,
        "FactorFriendlyName",
    )
    .await;
}

#[tokio::test]
async fn friendly_name_empty_or_with_control_characters_is_60200() {
    let sandbox = Sandbox::start().await.unwrap();
    for name in ["", "John's\nPhone", "tab\there", "nul\u{0}"] {
        rejected(
            &sandbox,
            &[
                ("Identity", IDENTITY),
                ("FactorType", "push"),
                ("FactorFriendlyName", name),
            ],
            60200,
            "FactorFriendlyName",
        )
        .await;
    }
}

#[tokio::test]
async fn ttl_outside_60_to_300_is_60200() {
    let sandbox = Sandbox::start().await.unwrap();
    for ttl in [
        "59",
        "301",
        "0",
        "-60",
        "1e2",
        "60.0",
        "sixty",
        "",
        "99999999999999999999",
    ] {
        let message = rejected(
            &sandbox,
            &[("Identity", IDENTITY), ("FactorType", "push"), ("Ttl", ttl)],
            60200,
            "Ttl",
        )
        .await;
        assert!(message.contains("60 to 300"), "{message}");
    }
}

#[tokio::test]
async fn ttl_boundaries_are_accepted() {
    let sandbox = Sandbox::start().await.unwrap();
    for ttl in [60, 61, 299, 300] {
        let body = create_ok(
            &sandbox,
            &[
                ("Identity", IDENTITY),
                ("FactorType", "push"),
                ("Ttl", &ttl.to_string()),
            ],
        )
        .await;
        assert_eq!(body["ttl"], ttl);
    }
}

#[tokio::test]
async fn first_broken_rule_decides() {
    let sandbox = Sandbox::start().await.unwrap();
    // Missing Identity beats every other problem.
    rejected(
        &sandbox,
        &[("FactorType", "sms"), ("Ttl", "1")],
        60305,
        "Identity",
    )
    .await;
    // A bad FactorType beats a bad Identity.
    rejected(
        &sandbox,
        &[("Identity", "x"), ("FactorType", "sms")],
        60200,
        "FactorType",
    )
    .await;
    // A bad Identity beats a bad friendly name and a bad Ttl.
    rejected(
        &sandbox,
        &[
            ("Identity", "x"),
            ("FactorType", "push"),
            ("FactorFriendlyName", ""),
            ("Ttl", "1"),
        ],
        60200,
        "Identity",
    )
    .await;
    // A bad friendly name beats a bad Ttl.
    rejected(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", ""),
            ("Ttl", "1"),
        ],
        60200,
        "FactorFriendlyName",
    )
    .await;
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_the_first_repeat_counts() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = create_ok(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("Ttl", "120"),
            ("Ttl", "59"),
            ("Unknown", "value"),
        ],
    )
    .await;
    assert_eq!(body["ttl"], 120);
}
