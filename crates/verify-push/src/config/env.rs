//! Configuration from `TWILIO_*` environment variables, the names Twilio's SDKs and docs use.

use crate::{AccountSid, ApiKeySid, Credentials, InvalidInput};

pub(crate) const ACCOUNT_SID: &str = "TWILIO_ACCOUNT_SID";
pub(crate) const AUTH_TOKEN: &str = "TWILIO_AUTH_TOKEN";
pub(crate) const API_KEY: &str = "TWILIO_API_KEY";
/// The Twilio CLI's name for the API key secret.
pub(crate) const API_SECRET: &str = "TWILIO_API_SECRET";
/// Twilio's Verify docs' name for the same secret.
pub(crate) const API_KEY_SECRET: &str = "TWILIO_API_KEY_SECRET";
pub(crate) const REGION: &str = "TWILIO_REGION";
pub(crate) const EDGE: &str = "TWILIO_EDGE";

/// Every variable [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) reads.
pub const TWILIO_ENV_VARS: [&str; 7] = [
    ACCOUNT_SID,
    AUTH_TOKEN,
    API_KEY,
    API_SECRET,
    API_KEY_SECRET,
    REGION,
    EDGE,
];

/// What the environment configures.
#[derive(Debug)]
pub(crate) struct EnvConfig {
    pub credentials: Credentials,
    pub region: Option<String>,
    pub edge: Option<String>,
}

/// Reads the configuration through `get` (the process environment or a caller's map).
///
/// An API key (`TWILIO_API_KEY` with `TWILIO_API_SECRET` or `TWILIO_API_KEY_SECRET`) wins over
/// `TWILIO_AUTH_TOKEN` when both are set: keys are what Twilio recommends for production and
/// can be revoked one by one.
pub(crate) fn read(get: impl Fn(&str) -> Option<String>) -> Result<EnvConfig, InvalidInput> {
    let var = |name: &'static str| -> Result<Option<String>, InvalidInput> {
        match get(name) {
            None => Ok(None),
            Some(value) if value.trim().is_empty() => {
                Err(InvalidInput::new(name, "is set but empty"))
            }
            Some(value) => Ok(Some(value)),
        }
    };

    let account_sid = var(ACCOUNT_SID)?.ok_or_else(|| {
        InvalidInput::new(
            ACCOUNT_SID,
            "is not set; set it to your account SID (AC followed by 32 hex digits) from the Twilio console",
        )
    })?;
    AccountSid::new(account_sid.as_str()).map_err(|e| rename(e, ACCOUNT_SID))?;

    let credentials = match var(API_KEY)? {
        Some(key) => {
            ApiKeySid::new(key.as_str()).map_err(|e| rename(e, API_KEY))?;
            let secret = match (var(API_SECRET)?, var(API_KEY_SECRET)?) {
                (Some(a), Some(b)) if a != b => {
                    return Err(InvalidInput::new(
                        API_SECRET,
                        format!("and {API_KEY_SECRET} are both set and differ; keep one"),
                    ));
                }
                (Some(secret), _) | (None, Some(secret)) => secret,
                (None, None) => {
                    return Err(InvalidInput::new(
                        API_SECRET,
                        format!(
                            "is not set; {API_KEY} needs its secret in {API_SECRET} or {API_KEY_SECRET}"
                        ),
                    ));
                }
            };
            Credentials::api_key(account_sid, key, secret)
        }
        None => match var(AUTH_TOKEN)? {
            Some(token) => Credentials::auth_token(account_sid, token),
            None if var(API_SECRET)?.is_some() || var(API_KEY_SECRET)?.is_some() => {
                return Err(InvalidInput::new(
                    API_KEY,
                    "is not set, but an API key secret is; set the key's SID (SK…) too",
                ));
            }
            None => {
                return Err(InvalidInput::new(
                    AUTH_TOKEN,
                    format!("is not set; set it, or {API_KEY} with {API_SECRET}"),
                ));
            }
        },
    };

    Ok(EnvConfig {
        credentials,
        region: var(REGION)?,
        edge: var(EDGE)?,
    })
}

/// The SID checks name the builder field; from the environment, name the variable instead.
fn rename(e: InvalidInput, variable: &'static str) -> InvalidInput {
    InvalidInput::new(variable, e.rule().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn read_map(vars: &[(&str, &str)]) -> Result<EnvConfig, InvalidInput> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        read(|name| map.get(name).cloned())
    }

    #[test]
    fn account_sid_and_auth_token() {
        let config = read_map(&[(ACCOUNT_SID, AC), (AUTH_TOKEN, "tok")]).unwrap();
        assert_eq!(config.credentials.username(), AC);
        assert_eq!(config.credentials.password().expose_secret(), "tok");
    }

    #[test]
    fn api_key_wins_over_auth_token() {
        let config = read_map(&[
            (ACCOUNT_SID, AC),
            (AUTH_TOKEN, "tok"),
            (API_KEY, SK),
            (API_SECRET, "sec"),
        ])
        .unwrap();
        assert_eq!(config.credentials.username(), SK);
        assert_eq!(config.credentials.password().expose_secret(), "sec");
    }

    #[test]
    fn docs_name_for_the_secret_is_accepted() {
        let config =
            read_map(&[(ACCOUNT_SID, AC), (API_KEY, SK), (API_KEY_SECRET, "sec")]).unwrap();
        assert_eq!(config.credentials.password().expose_secret(), "sec");
    }

    #[test]
    fn conflicting_secrets_are_refused() {
        let err = read_map(&[
            (ACCOUNT_SID, AC),
            (API_KEY, SK),
            (API_SECRET, "a"),
            (API_KEY_SECRET, "b"),
        ])
        .unwrap_err();
        assert_eq!(err.field(), API_SECRET);
        assert!(err.rule().contains(API_KEY_SECRET));
    }

    #[test]
    fn missing_variables_are_named() {
        assert_eq!(read_map(&[]).unwrap_err().field(), ACCOUNT_SID);
        assert_eq!(
            read_map(&[(ACCOUNT_SID, AC)]).unwrap_err().field(),
            AUTH_TOKEN
        );
        assert_eq!(
            read_map(&[(ACCOUNT_SID, AC), (API_KEY, SK)])
                .unwrap_err()
                .field(),
            API_SECRET
        );
        assert_eq!(
            read_map(&[(ACCOUNT_SID, AC), (API_SECRET, "s")])
                .unwrap_err()
                .field(),
            API_KEY
        );
    }

    #[test]
    fn malformed_variables_are_named() {
        let err = read_map(&[(ACCOUNT_SID, "AC123"), (AUTH_TOKEN, "t")]).unwrap_err();
        assert_eq!(err.field(), ACCOUNT_SID);
        assert!(err.rule().contains("32 hexadecimal"), "{err}");
        let err = read_map(&[(ACCOUNT_SID, AC), (API_KEY, "key"), (API_SECRET, "s")]).unwrap_err();
        assert_eq!(err.field(), API_KEY);
        let err = read_map(&[(ACCOUNT_SID, AC), (AUTH_TOKEN, "  ")]).unwrap_err();
        assert_eq!(err.field(), AUTH_TOKEN);
        assert!(err.rule().contains("empty"));
    }

    #[test]
    fn secrets_never_appear_in_errors() {
        let err = read_map(&[
            (ACCOUNT_SID, AC),
            (API_KEY, SK),
            (API_SECRET, "super-secret-1"),
            (API_KEY_SECRET, "super-secret-2"),
        ])
        .unwrap_err();
        assert!(!err.to_string().contains("super-secret"), "{err}");
    }

    #[test]
    fn region_and_edge_are_read() {
        let config = read_map(&[
            (ACCOUNT_SID, AC),
            (AUTH_TOKEN, "t"),
            (REGION, "ie1"),
            (EDGE, "dublin"),
        ])
        .unwrap();
        assert_eq!(config.region.as_deref(), Some("ie1"));
        assert_eq!(config.edge.as_deref(), Some("dublin"));
    }
}
