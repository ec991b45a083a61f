//! Twilio's rules for creating an access token, checked in Twilio's order: the first broken rule
//! decides the answer. Each rule cites the Twilio documentation it comes from, because several of
//! them are only in prose and not in the OpenAPI spec.

use axum::http::StatusCode;

use crate::twilio_error::{ACCESS_TOKEN_PARAMETERS_INVALID, INVALID_PARAMETER, TwilioError};

/// The only factor type Verify issues access tokens for.
pub(crate) const PUSH: &str = "push";
/// TTL when the request has none, in seconds.
pub(crate) const DEFAULT_TTL: u32 = 60;
/// Shortest TTL Twilio accepts, in seconds.
pub(crate) const MIN_TTL: u32 = 60;
/// Longest TTL Twilio accepts, in seconds.
pub(crate) const MAX_TTL: u32 = 300;

/// A create request that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValidCreate {
    pub(crate) identity: String,
    pub(crate) friendly_name: Option<String>,
    pub(crate) ttl: u32,
}

/// Checks a create request's form fields. Repeated keys: the first value counts.
pub(crate) fn validate_create(fields: &[(String, String)]) -> Result<ValidCreate, TwilioError> {
    let identity = required(fields, "Identity")?;
    let factor_type = required(fields, "FactorType")?;
    check_factor_type(factor_type)?;
    check_identity(identity)?;
    let friendly_name = field(fields, "FactorFriendlyName");
    if let Some(name) = friendly_name {
        check_friendly_name(name)?;
    }
    let ttl = parse_ttl(field(fields, "Ttl"))?;
    Ok(ValidCreate {
        identity: identity.to_owned(),
        friendly_name: friendly_name.map(str::to_owned),
        ttl,
    })
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

// Identity and FactorType are required (https://www.twilio.com/docs/verify/api/access-token); an empty value counts as missing.
fn required<'a>(fields: &'a [(String, String)], name: &str) -> Result<&'a str, TwilioError> {
    match field(fields, name) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(TwilioError::new(
            StatusCode::BAD_REQUEST,
            ACCESS_TOKEN_PARAMETERS_INVALID,
            format!("Access Token parameters invalid: {name} is required"),
        )),
    }
}

// FactorType's only value is `push` (https://www.twilio.com/docs/verify/api/access-token).
fn check_factor_type(factor_type: &str) -> Result<(), TwilioError> {
    if factor_type == PUSH {
        Ok(())
    } else {
        Err(invalid(
            "FactorType",
            "must be 'push', the only factor type access tokens are issued for",
        ))
    }
}

// Identity: 8 to 64 characters, dash-separated alphanumerics (https://www.twilio.com/docs/verify/api/entity).
pub(crate) fn check_identity(identity: &str) -> Result<(), TwilioError> {
    const RULE: &str = "must be 8 to 64 characters of letters and digits in dash-separated groups \
                        (^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$)";
    let length = identity.chars().count();
    let problem = if !(8..=64).contains(&length) {
        format!("it is {length} characters long")
    } else if !identity
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        "it contains a character other than A-Z, a-z, 0-9 and '-'".to_owned()
    } else if identity.starts_with('-') || identity.ends_with('-') || identity.contains("--") {
        "a '-' must stand between two letters or digits".to_owned()
    } else {
        return Ok(());
    };
    Err(invalid("Identity", &format!("{RULE}; {problem}")))
}

// FactorFriendlyName: up to 64 characters, the device's name (https://www.twilio.com/docs/verify/api/access-token).
pub(crate) fn check_friendly_name(name: &str) -> Result<(), TwilioError> {
    const RULE: &str = "must be 1 to 64 characters without control characters";
    let length = name.chars().count();
    let problem = if !(1..=64).contains(&length) {
        format!("it is {length} characters long")
    } else if name.chars().any(char::is_control) {
        "it contains a control character".to_owned()
    } else {
        return Ok(());
    };
    Err(invalid("FactorFriendlyName", &format!("{RULE}; {problem}")))
}

// Ttl: an integer from 60 to 300 seconds, default 60 (https://www.twilio.com/docs/verify/api/access-token).
fn parse_ttl(ttl: Option<&str>) -> Result<u32, TwilioError> {
    let Some(ttl) = ttl else {
        return Ok(DEFAULT_TTL);
    };
    let rule = format!("must be an integer from {MIN_TTL} to {MAX_TTL} (seconds)");
    match ttl.parse::<i64>() {
        Ok(seconds) if (i64::from(MIN_TTL)..=i64::from(MAX_TTL)).contains(&seconds) => {
            Ok(u32::try_from(seconds).expect("60..=300 fits in u32"))
        }
        Ok(seconds) => Err(invalid("Ttl", &format!("{rule}; it is {seconds}"))),
        Err(_) => Err(invalid("Ttl", &format!("{rule}; it is not an integer"))),
    }
}

/// 400, code 60200, naming the parameter and what it must be.
fn invalid(parameter: &str, rule: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::BAD_REQUEST,
        INVALID_PARAMETER,
        format!("Invalid parameter: {parameter} {rule}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn code(pairs: &[(&str, &str)]) -> u32 {
        validate_create(&form(pairs)).unwrap_err().code
    }

    #[test]
    fn minimal_request_gets_the_default_ttl() {
        let valid = validate_create(&form(&[("Identity", "user-1234"), ("FactorType", "push")]));
        assert_eq!(
            valid,
            Ok(ValidCreate {
                identity: "user-1234".into(),
                friendly_name: None,
                ttl: 60
            })
        );
    }

    #[test]
    fn first_broken_rule_wins() {
        // Missing FactorType beats a bad Identity.
        assert_eq!(code(&[("Identity", "x")]), 60305);
        // A bad FactorType beats a bad Identity.
        let error =
            validate_create(&form(&[("Identity", "x"), ("FactorType", "sms")])).unwrap_err();
        assert!(error.message.contains("FactorType"), "{}", error.message);
        // A bad Identity beats a bad Ttl.
        let error = validate_create(&form(&[
            ("Identity", "x"),
            ("FactorType", "push"),
            ("Ttl", "1"),
        ]))
        .unwrap_err();
        assert!(error.message.contains("Identity"), "{}", error.message);
    }

    #[test]
    fn empty_required_values_count_as_missing() {
        assert_eq!(code(&[("Identity", ""), ("FactorType", "push")]), 60305);
        assert_eq!(
            code(&[("Identity", "user-1234"), ("FactorType", "")]),
            60305
        );
    }

    #[test]
    fn identity_rule() {
        for ok in ["abcd1234", "a-b-c-d-e", &"a".repeat(64), "ABC-def-123"] {
            assert!(check_identity(ok).is_ok(), "{ok}");
        }
        for bad in [
            "abc1234",
            &"a".repeat(65),
            "-abcd1234",
            "abcd1234-",
            "abcd--1234",
            "abcd_1234",
            "abcd 1234",
            "abcd\u{e9}1234",
        ] {
            assert!(check_identity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ttl_rule() {
        assert_eq!(parse_ttl(None), Ok(60));
        assert_eq!(parse_ttl(Some("60")), Ok(60));
        assert_eq!(parse_ttl(Some("300")), Ok(300));
        for bad in [
            "59",
            "301",
            "-60",
            "6e1",
            "60.0",
            "",
            " 60",
            "99999999999999999999",
        ] {
            assert!(parse_ttl(Some(bad)).is_err(), "{bad}");
        }
    }
}
