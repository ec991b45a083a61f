//! Twilio credentials: account SID with auth token, or an API key.

use std::fmt;

use crate::{AccountSid, ApiKeySid, InvalidInput, SecretString};

/// How the client authenticates to Twilio (HTTP Basic).
///
/// Twilio recommends API keys for production: they can be revoked one by one without rotating
/// the account's auth token. Secrets are redacted in `Debug`.
///
/// ```
/// use verify_push::Credentials;
///
/// let by_token = Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "auth token");
/// let by_key = Credentials::api_key(
///     "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
///     "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
///     "api secret",
/// );
/// assert!(!format!("{by_token:?}").contains("auth token"));
/// assert!(!format!("{by_key:?}").contains("api secret"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    account_sid: String,
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    AuthToken(SecretString),
    ApiKey { sid: String, secret: SecretString },
}

impl Credentials {
    /// The account SID (`AC…`) and its auth token.
    pub fn auth_token(account_sid: impl Into<String>, auth_token: impl Into<SecretString>) -> Self {
        Self {
            account_sid: account_sid.into(),
            kind: Kind::AuthToken(auth_token.into()),
        }
    }

    /// An API key (`SK…`) and its secret, for the account `account_sid` (`AC…`).
    pub fn api_key(
        account_sid: impl Into<String>,
        api_key_sid: impl Into<String>,
        api_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            account_sid: account_sid.into(),
            kind: Kind::ApiKey {
                sid: api_key_sid.into(),
                secret: api_secret.into(),
            },
        }
    }

    /// The account SID, as given.
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    /// The HTTP Basic user name: the API key SID, or the account SID.
    pub fn username(&self) -> &str {
        match &self.kind {
            Kind::AuthToken(_) => &self.account_sid,
            Kind::ApiKey { sid, .. } => sid,
        }
    }

    pub(crate) fn password(&self) -> &SecretString {
        match &self.kind {
            Kind::AuthToken(token) => token,
            Kind::ApiKey { secret, .. } => secret,
        }
    }

    /// Checks the SIDs' shapes and that the secret is neither empty nor oversized.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        AccountSid::new(self.account_sid.as_str())?;
        match &self.kind {
            Kind::AuthToken(token) => check_secret(token, "auth_token"),
            Kind::ApiKey { sid, secret } => {
                ApiKeySid::new(sid.as_str())?;
                check_secret(secret, "api_secret")
            }
        }
    }
}

/// The longest secret accepted, in bytes. Twilio's auth tokens and API key secrets are 32
/// characters; a longer value is a mistake (a file's contents, a pasted header) that would
/// otherwise be sent in every request's `Authorization` header.
pub(crate) const MAX_SECRET_BYTES: usize = 256;

fn check_secret(secret: &SecretString, field: &'static str) -> Result<(), InvalidInput> {
    if secret.is_empty() {
        Err(InvalidInput::new(field, "must not be empty"))
    } else if secret.expose_secret().len() > MAX_SECRET_BYTES {
        Err(InvalidInput::new(
            field,
            format!(
                "must be at most {MAX_SECRET_BYTES} bytes (Twilio's are 32 characters), got {}",
                secret.expose_secret().len()
            ),
        ))
    } else {
        Ok(())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::AuthToken(token) => f
                .debug_struct("Credentials::AuthToken")
                .field("account_sid", &self.account_sid)
                .field("auth_token", token)
                .finish(),
            Kind::ApiKey { sid, secret } => f
                .debug_struct("Credentials::ApiKey")
                .field("account_sid", &self.account_sid)
                .field("api_key_sid", sid)
                .field("api_secret", secret)
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn basic_auth_user_is_the_key_sid_for_api_keys() {
        assert_eq!(Credentials::auth_token(AC, "t").username(), AC);
        assert_eq!(Credentials::api_key(AC, SK, "s").username(), SK);
        assert_eq!(
            Credentials::api_key(AC, SK, "s").password().expose_secret(),
            "s"
        );
    }

    #[test]
    fn validation_names_the_bad_field() {
        let err = Credentials::auth_token("AC123", "t")
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "account_sid");
        let err = Credentials::auth_token(AC, "").validate().unwrap_err();
        assert_eq!(err.field(), "auth_token");
        let err = Credentials::api_key(AC, "SK1", "s").validate().unwrap_err();
        assert_eq!(err.field(), "api_key_sid");
        let err = Credentials::api_key(AC, SK, "").validate().unwrap_err();
        assert_eq!(err.field(), "api_secret");
        assert!(Credentials::api_key(AC, SK, "s").validate().is_ok());
    }

    #[test]
    fn oversized_secrets_are_refused_by_name() {
        let huge = "x".repeat(MAX_SECRET_BYTES + 1);
        let err = Credentials::auth_token(AC, huge.as_str())
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "auth_token");
        assert!(!err.to_string().contains(&huge[..40]), "{err}");
        let err = Credentials::api_key(AC, SK, huge.as_str())
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "api_secret");
        let fits = "x".repeat(MAX_SECRET_BYTES);
        assert!(Credentials::auth_token(AC, fits).validate().is_ok());
    }

    #[test]
    fn debug_redacts_secrets() {
        let text = format!("{:?}", Credentials::api_key(AC, SK, "very-secret-value"));
        assert!(!text.contains("very-secret-value"), "{text}");
        assert!(text.contains("[REDACTED]") && text.contains(SK), "{text}");
        let text = format!("{:#?}", Credentials::auth_token(AC, "tok-123456"));
        assert!(!text.contains("tok-123456"), "{text}");
    }
}
