use super::*;
use crate::webhooks::signing::{concatenated_params, signature_mac};
use base64::{Engine as _, engine::general_purpose::STANDARD};

const TOKEN: &str = "12345";
const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";
/// twilio-python `test_request_validator.py` params, form-encoded.
const PARAMS: &[(&str, &str)] = &[
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675309"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
];
const JSON_BODY: &str = r#"{"property": "value", "boolean": true}"#;
const JSON_BODY_HASH: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

fn validator() -> WebhookValidator {
    WebhookValidator::new(TOKEN).unwrap()
}

/// Form-encodes params in the given (deliberately unsorted, in some tests) order.
fn form(params: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
        .into_bytes()
}

/// The signature this module computes for a form body at exactly `url` (no port variants).
fn computed(url: &str, body: &[u8]) -> String {
    let mac = signature_mac(&SecretString::from(TOKEN), url, &concatenated_params(body));
    STANDARD.encode(mac.finalize().into_bytes())
}

fn check(url: &str, signature: &str, content_type: &str, body: &[u8]) -> Result<(), WebhookError> {
    validator().check_signature(url, Some(signature), Some(content_type), body)
}

// --- twilio-python tests/unit/test_request_validator.py ---

#[test]
fn python_compute_signature() {
    let body = form(PARAMS);
    assert_eq!(computed(URL, &body), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &body).unwrap();
}

#[test]
fn python_params_are_sorted_whatever_order_they_arrive_in() {
    let mut reversed = PARAMS.to_vec();
    reversed.reverse();
    let body = form(&reversed);
    assert_eq!(computed(URL, &body), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &body).unwrap();
}

#[test]
fn python_compute_hash() {
    assert_eq!(sha256_hex(JSON_BODY.as_bytes()), JSON_BODY_HASH);
}

#[test]
fn python_repeated_names_sort_and_deduplicate_their_values() {
    let expected = "IK+Dwps556ElfBT0I3Rgjkr1wJU=";
    let body = form(&[
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
    ]);
    assert_eq!(computed(URL, &body), expected);
    check(URL, expected, FORM, &body).unwrap();
    // A value sent twice counts once.
    let duplicated = form(&[
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]);
    assert_eq!(computed(URL, &duplicated), expected);
    check(URL, expected, FORM, &duplicated).unwrap();
}

#[test]
fn python_validation_removes_port_on_https() {
    let url = URL.replace(".com", ".com:1234");
    check(&url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &form(PARAMS)).unwrap();
}

#[test]
fn python_validation_removes_port_on_http() {
    let url = URL.replace(".com", ".com:1234").replace("https", "http");
    let body = form(PARAMS);
    assert_eq!(computed(&url, &body), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=");
    check(&url, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", FORM, &body).unwrap();
}

#[test]
fn python_validation_adds_port_on_https() {
    let body = form(PARAMS);
    let with_443 = URL.replace(".com", ".com:443");
    assert_eq!(computed(&with_443, &body), "kvajT1Ptam85bY51eRf/AJRuM3w=");
    // Signed with :443, called without it, and the other way round.
    check(URL, "kvajT1Ptam85bY51eRf/AJRuM3w=", FORM, &body).unwrap();
    check(&with_443, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &body).unwrap();
}

#[test]
fn python_validation_adds_port_on_http() {
    let body = form(PARAMS);
    let http = URL.replace("https", "http");
    let with_80 = http.replace(".com", ".com:80");
    assert_eq!(computed(&with_80, &body), "0ZXoZLH/DfblKGATFgpif+LLRf4=");
    check(&http, "0ZXoZLH/DfblKGATFgpif+LLRf4=", FORM, &body).unwrap();
}

#[test]
fn python_validation_of_body_succeeds() {
    let url = format!("{URL}&bodySHA256={JSON_BODY_HASH}");
    assert_eq!(computed(&url, b""), "a9nBmqA0ju/hNViExpshrM61xv4=");
    check(
        &url,
        "a9nBmqA0ju/hNViExpshrM61xv4=",
        JSON,
        JSON_BODY.as_bytes(),
    )
    .unwrap();
}

// --- twilio-go client/request_validator_test.go ---

/// twilio-go's params: the python ones plus two names where one is a prefix of the other.
fn go_params() -> Vec<u8> {
    let mut params = PARAMS.to_vec();
    params.push(("ReasonConferenceEnded", "test"));
    params.push(("Reason", "Participant"));
    form(&params)
}

#[test]
fn go_validate_sorts_by_name_not_by_name_and_value() {
    let body = go_params();
    assert_eq!(computed(URL, &body), "vOEb5UThFn24KEfnOFLQY2AE5FY=");
    check(URL, "vOEb5UThFn24KEfnOFLQY2AE5FY=", FORM, &body).unwrap();
    // The signature of `ReasonConferenceEnded…` sorted before `Reason…` must not pass.
    assert_eq!(
        check(URL, "95+Bu0JVPi0r/SsESZCVf0dWAjw=", FORM, &body),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn go_validate_wrong_signature_fails() {
    let body = go_params();
    // Not even base64: reported as malformed, and rejected all the same.
    let err = validator()
        .check_signature(URL, Some("WRONG SIGNATURE"), Some(FORM), &body)
        .unwrap_err();
    assert_eq!(err, WebhookError::MalformedSignature);
    assert!(err.is_unauthenticated());
}

#[test]
fn go_validate_https_with_port_signed_without_it() {
    let url = URL.replace(".com", ".com:1234");
    check(&url, "vOEb5UThFn24KEfnOFLQY2AE5FY=", FORM, &go_params()).unwrap();
}

#[test]
fn go_validate_http_without_port() {
    let http = URL.replace("https", "http");
    let body = go_params();
    assert_eq!(computed(&http, &body), "n2xBNyzSW7rfYStDtOFiFMv7qNo=");
    check(&http, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", FORM, &body).unwrap();
}

#[test]
fn go_validate_http_with_port_signed_without_it() {
    let url = URL.replace(".com", ".com:1234").replace("https", "http");
    check(&url, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", FORM, &go_params()).unwrap();
}

#[test]
fn go_validate_body_json() {
    let url = format!("{URL}&bodySHA256={JSON_BODY_HASH}");
    check(
        &url,
        "a9nBmqA0ju/hNViExpshrM61xv4=",
        JSON,
        JSON_BODY.as_bytes(),
    )
    .unwrap();
}

#[test]
fn go_validate_body_form() {
    let body = b"property=value&boolean=true";
    assert_eq!(computed(URL, body), "NBdBDr/T/lgjI+tlgpXjKZQZs/k=");
    check(URL, "NBdBDr/T/lgjI+tlgpXjKZQZs/k=", FORM, body).unwrap();
    // No Content-Type and no bodySHA256: read as a form too.
    validator()
        .check_signature(URL, Some("NBdBDr/T/lgjI+tlgpXjKZQZs/k="), None, body)
        .unwrap();
}

#[test]
fn go_validate_body_json_without_hash_fails() {
    // twilio-go returns false here; this crate says why.
    assert_eq!(
        check(
            URL,
            "vOEb5UThFn24KEfnOFLQY2AE5FY=",
            JSON,
            JSON_BODY.as_bytes()
        ),
        Err(WebhookError::MissingBodyHash)
    );
}

#[test]
fn go_validate_body_with_no_other_query_parameters() {
    let url = format!("https://mycompany.com/myapp.php?bodySHA256={JSON_BODY_HASH}");
    assert_eq!(computed(&url, b""), "y77kIzt2vzLz71DgmJGsen2scGs=");
    check(
        &url,
        "y77kIzt2vzLz71DgmJGsen2scGs=",
        JSON,
        JSON_BODY.as_bytes(),
    )
    .unwrap();
}

// --- this crate's rules ---

#[test]
fn a_wrong_token_is_rejected() {
    let other = WebhookValidator::new("54321").unwrap();
    assert_eq!(
        other.check_signature(
            URL,
            Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Some(FORM),
            &form(PARAMS)
        ),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn rotation_accepts_either_token() {
    let body = form(PARAMS);
    let rotating = WebhookValidator::new("new-token")
        .unwrap()
        .also_accept(TOKEN)
        .unwrap();
    rotating
        .check_signature(URL, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="), Some(FORM), &body)
        .unwrap();
    // And a signature by the first token.
    let by_new = {
        let mac = signature_mac(
            &SecretString::from("new-token"),
            URL,
            &concatenated_params(&body),
        );
        STANDARD.encode(mac.finalize().into_bytes())
    };
    rotating
        .check_signature(URL, Some(&by_new), Some(FORM), &body)
        .unwrap();
    assert_eq!(
        validator().check_signature(URL, Some(&by_new), Some(FORM), &body),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn an_empty_token_is_refused() {
    let err = WebhookValidator::new("").unwrap_err();
    assert_eq!(
        (err.field(), err.rule().starts_with("must not be empty")),
        ("auth_token", true)
    );
    assert_eq!(
        validator().also_accept("").unwrap_err().field(),
        "auth_token"
    );
}

#[test]
fn a_tampered_form_body_is_rejected() {
    let tampered = form(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "9999"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ]);
    assert_eq!(
        check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &tampered),
        Err(WebhookError::SignatureMismatch)
    );
    // An added parameter is covered too.
    let mut added = PARAMS.to_vec();
    added.push(("type", "challenge.approved"));
    assert_eq!(
        check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &form(&added)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_json_body_that_does_not_match_its_hash_is_rejected() {
    let url = format!("{URL}&bodySHA256={JSON_BODY_HASH}");
    let forged = br#"{"property": "value", "boolean": false}"#;
    assert_eq!(
        check(&url, "a9nBmqA0ju/hNViExpshrM61xv4=", JSON, forged),
        Err(WebhookError::BodyHashMismatch)
    );
    // Upper-case hex is not what Twilio sends; the hash must match exactly.
    let upper = format!("{URL}&bodySHA256={}", JSON_BODY_HASH.to_uppercase());
    let signed_upper = computed(&upper, b"");
    assert_eq!(
        check(&upper, &signed_upper, JSON, JSON_BODY.as_bytes()),
        Err(WebhookError::BodyHashMismatch)
    );
}

#[test]
fn a_changed_body_hash_in_the_url_breaks_the_signature() {
    let forged_body = br#"{"forged": true}"#;
    let url = format!("{URL}&bodySHA256={}", sha256_hex(forged_body));
    assert_eq!(
        check(&url, "a9nBmqA0ju/hNViExpshrM61xv4=", JSON, forged_body),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_json_body_without_body_hash_has_its_own_error() {
    let signed_url_only = computed(URL, b"");
    for content_type in ["application/json", "Application/JSON; charset=utf-8"] {
        let err = validator()
            .check_signature(
                URL,
                Some(&signed_url_only),
                Some(content_type),
                JSON_BODY.as_bytes(),
            )
            .unwrap_err();
        assert_eq!(err, WebhookError::MissingBodyHash);
        assert!(err.is_unauthenticated());
    }
    // An empty bodySHA256 is no hash either.
    let empty = format!("{URL}&bodySHA256=");
    assert_eq!(
        check(&empty, &computed(&empty, b""), JSON, JSON_BODY.as_bytes()),
        Err(WebhookError::MissingBodyHash)
    );
}

#[test]
fn a_missing_or_empty_header_is_reported_as_missing() {
    let body = form(PARAMS);
    for header in [None, Some(""), Some("  ")] {
        assert_eq!(
            validator().check_signature(URL, header, Some(FORM), &body),
            Err(WebhookError::MissingSignature)
        );
    }
}

#[test]
fn a_header_of_the_wrong_length_is_malformed() {
    // Valid base64, of 3 bytes and of 36 bytes.
    for header in ["AAAA", "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf"] {
        assert_eq!(
            check(URL, header, FORM, &form(PARAMS)),
            Err(WebhookError::MalformedSignature)
        );
    }
}

#[test]
fn port_variants_edit_only_the_port() {
    let cases = [
        ("https://a.example/x?y=1", "https://a.example:443/x?y=1"),
        ("http://a.example", "http://a.example:80"),
        ("https://a.example:8443/x", "https://a.example/x"),
        ("https://u:p@a.example/x", "https://u:p@a.example:443/x"),
        ("https://u:p@a.example:443?q", "https://u:p@a.example?q"),
        ("https://[::1]:8443/x", "https://[::1]/x"),
        ("http://[::1]/x", "http://[::1]:80/x"),
        ("HTTPS://A.example/x", "HTTPS://A.example:443/x"),
    ];
    for (url, other) in cases {
        assert_eq!(
            port_variants(url).unwrap(),
            [url.to_owned(), other.to_owned()],
            "{url}"
        );
    }
}

#[test]
fn a_url_that_is_not_absolute_http_is_rejected() {
    for url in [
        "/twilio/verify",
        "ftp://a.example/x",
        "https:///x",
        "https://a.example:x/",
        "https://[::1/x",
    ] {
        assert!(
            matches!(port_variants(url), Err(WebhookError::InvalidUrl { .. })),
            "{url}"
        );
    }
    assert!(matches!(
        check(
            "/twilio/verify",
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            FORM,
            &form(PARAMS)
        ),
        Err(WebhookError::InvalidUrl { .. })
    ));
}

#[test]
fn the_query_string_is_part_of_what_is_signed() {
    let url = URL.replace("foo=1", "foo=2");
    assert_eq!(
        check(&url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &form(PARAMS)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn debug_and_errors_never_show_a_token_or_the_signature() {
    let rotating = WebhookValidator::new("token-one-secret")
        .unwrap()
        .also_accept("token-two-secret")
        .unwrap();
    let debug = format!("{rotating:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(debug.contains("[REDACTED]"), "{debug}");
    let err = rotating
        .check_signature(
            URL,
            Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Some(FORM),
            &form(PARAMS),
        )
        .unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(
            !text.contains("secret") && !text.contains("RSOYDt4T1cU"),
            "{text}"
        );
    }
}
