//! Every documented rule of the push flow is checked before the wire: a bad value is
//! `Error::InvalidInput` naming the field and the rule, and the server sees zero requests.

mod common;

use std::time::Duration;

use common::*;
use verify_push::ChallengeStatus;
use verify_push::webhooks::EventType;

/// Runs `call` against a server that must receive nothing, and checks the error.
macro_rules! refused {
    ($name:ident, |$client:ident| $call:expr, $field:expr, $rule:expr) => {
        #[tokio::test]
        async fn $name() {
            let (server, mocks) = silent_server_all_methods().await;
            let $client = client(&server.url());
            assert_invalid_input($call.await, $field, $rule);
            for mock in &mocks {
                mock.assert_async().await;
            }
        }
    };
}

fn challenges(client: &verify_push::Client) -> verify_push::challenges::Challenges {
    client.service(VA).entity(IDENTITY).challenges()
}

refused!(
    challenge_without_message_is_refused,
    |c| challenges(&c).create(YF).send(),
    "message",
    "required"
);
refused!(
    challenge_message_over_256_characters_is_refused,
    |c| challenges(&c).create(YF).message("m".repeat(257)).send(),
    "message",
    "1 to 256"
);
refused!(
    challenge_with_21_fields_is_refused,
    |c| {
        let mut create = challenges(&c).create(YF).message("Log in?");
        for i in 0..21 {
            create = create.field(format!("L{i}"), "v");
        }
        create.send()
    },
    "fields",
    "at most 20"
);
refused!(
    challenge_field_label_over_36_characters_is_refused,
    |c| challenges(&c)
        .create(YF)
        .message("Log in?")
        .field("l".repeat(37), "v")
        .send(),
    "fields[0].label",
    "1 to 36"
);
refused!(
    challenge_field_value_over_128_characters_is_refused,
    |c| challenges(&c)
        .create(YF)
        .message("Log in?")
        .field("Location", "v".repeat(129))
        .send(),
    "fields[0].value",
    "at most 128"
);
refused!(
    hidden_details_over_1024_characters_are_refused,
    |c| challenges(&c)
        .create(YF)
        .message("Log in?")
        .hidden_detail("blob", "x".repeat(1100))
        .send(),
    "hidden_details",
    "at most 1024"
);
refused!(
    expiry_over_60_minutes_is_refused,
    |c| challenges(&c)
        .create(YF)
        .message("Log in?")
        .expires_in(Duration::from_secs(3601))
        .send(),
    "expires_in",
    "60 minutes"
);
refused!(
    expiry_in_the_past_is_refused,
    |c| challenges(&c)
        .create(YF)
        .message("Log in?")
        .expires_at(chrono::Utc::now() - chrono::Duration::seconds(5))
        .send(),
    "expires_at",
    "in the future"
);
refused!(
    challenge_to_a_challenge_sid_instead_of_a_factor_is_refused,
    |c| challenges(&c).create(YC).message("Log in?").send(),
    "factor_sid",
    "YF followed by 32"
);
refused!(
    bad_identity_in_the_path_is_refused,
    |c| c.service(VA).entity("john@example.com").factors().list(),
    "identity",
    "8 to 64"
);
refused!(
    bad_service_sid_is_refused,
    |c| c.service("VA123").entity(IDENTITY).fetch(),
    "service_sid",
    "VA followed by 32"
);
refused!(
    factor_sid_with_a_path_trick_is_refused,
    |c| c
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .delete("YF../../../Accounts"),
    "factor_sid",
    "YF followed by 32"
);
refused!(
    factor_friendly_name_over_64_characters_is_refused,
    |c| c
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .rename(YF, "n".repeat(65)),
    "friendly_name",
    "1 to 64"
);
refused!(
    factor_friendly_name_with_a_bidi_override_is_refused,
    |c| c
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .rename(YF, "Work\u{202E}enohp"),
    "friendly_name",
    "bidirectional"
);
refused!(
    factor_update_with_nothing_to_change_is_refused,
    |c| c.service(VA).entity(IDENTITY).factors().update(YF).send(),
    "friendly_name",
    "required"
);
refused!(
    notification_ttl_over_300_is_refused,
    |c| challenges(&c)
        .notifications(YC)
        .create()
        .ttl(Duration::from_secs(301))
        .send(),
    "ttl",
    "0 to 300"
);
refused!(
    notification_for_a_bad_challenge_sid_is_refused,
    |c| challenges(&c).notifications("YC1").create().send(),
    "challenge_sid",
    "YC followed by 32"
);
refused!(
    fetch_of_a_webhook_with_a_factor_sid_is_refused,
    |c| c.service(VA).webhooks().fetch(YF),
    "webhook_sid",
    "YW followed by 32"
);
refused!(
    webhook_without_event_types_is_refused,
    |c| c
        .service(VA)
        .webhooks()
        .create("answers", "https://example.com/hook")
        .send(),
    "event_types",
    "at least one"
);
refused!(
    webhook_with_a_relative_url_is_refused,
    |c| c
        .service(VA)
        .webhooks()
        .create("answers", "/hook")
        .event(EventType::All)
        .send(),
    "webhook_url",
    "absolute"
);
refused!(
    page_size_over_1000_is_refused,
    |c| c.service(VA).entities().list().page_size(1001),
    "page_size",
    "1 to 1000"
);
refused!(
    challenge_list_filter_on_an_unknown_status_is_refused,
    |c| challenges(&c)
        .list()
        .status(ChallengeStatus::from("cancelled")),
    "status",
    "pending, expired, approved or denied"
);
refused!(
    wait_polling_faster_than_100_ms_is_refused,
    |c| challenges(&c).wait(YC).interval(Duration::from_millis(10)),
    "interval",
    "at least 100 ms"
);
refused!(
    challenge_fetch_of_a_factor_sid_is_refused,
    |c| challenges(&c).fetch(YF),
    "challenge_sid",
    "YC followed by 32"
);
refused!(
    wait_for_a_bad_challenge_sid_is_refused,
    |c| challenges(&c).wait("YC1").interval(Duration::from_secs(1)),
    "challenge_sid",
    "YC followed by 32"
);
refused!(
    wait_with_a_bad_identity_is_refused,
    |c| c
        .service(VA)
        .entity("not an identity")
        .challenges()
        .wait(YC),
    "identity",
    "got other characters"
);
