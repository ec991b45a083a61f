//! The access token Twilio returns, and the JSON a mobile app needs from it.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};

use crate::{AccessTokenSid, AccountSid, SecretString, ServiceSid};

/// The kind of factor a token enrolls. Verify access tokens exist only for `push`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FactorType {
    /// A Verify Push factor.
    Push,
}

impl FactorType {
    /// Twilio's name: `push`.
    pub fn as_str(self) -> &'static str {
        match self {
            FactorType::Push => "push",
        }
    }
}

impl fmt::Display for FactorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An enrollment access token: what `create` and `fetch` return.
///
/// `Debug` redacts the token. [`Serialize`] writes the resource with Twilio's own field names
/// **including the token**, for handing it on deliberately (an API response, the CLI's `--json`).
///
/// ```
/// # async fn demo(client: verify_push::Client) -> Result<(), verify_push::Error> {
/// let token = client
///     .access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .create("ff483d1ff591898a9942916050d2ca3f")
///     .send()
///     .await?;
/// println!("{} expires at {:?}", token.sid(), token.expires_at());
/// let for_the_app = serde_json::to_string(&token.enrollment()).unwrap();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AccessToken {
    sid: AccessTokenSid,
    account_sid: Option<AccountSid>,
    service_sid: ServiceSid,
    identity: String,
    factor_type: FactorType,
    factor_friendly_name: Option<String>,
    token: SecretString,
    ttl: Duration,
    date_created: Option<DateTime<Utc>>,
    url: Option<String>,
}

impl AccessToken {
    /// The token's SID (`YK…`).
    pub fn sid(&self) -> &AccessTokenSid {
        &self.sid
    }

    /// The account it belongs to (`AC…`), when Twilio returned it.
    pub fn account_sid(&self) -> Option<&AccountSid> {
        self.account_sid.as_ref()
    }

    /// The Verify Service (`VA…`).
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// The Entity identity the token enrolls a device for.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// Always [`FactorType::Push`] today.
    pub fn factor_type(&self) -> FactorType {
        self.factor_type
    }

    /// The device's friendly name, when one was given.
    pub fn factor_friendly_name(&self) -> Option<&str> {
        self.factor_friendly_name.as_deref()
    }

    /// The token itself, a bearer credential for the device: `token().expose_secret()`.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// How long the token is valid after `date_created`.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// When Twilio created it.
    pub fn date_created(&self) -> Option<DateTime<Utc>> {
        self.date_created
    }

    /// `date_created + ttl`, when Twilio returned `date_created`.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        let ttl = chrono::Duration::from_std(self.ttl).ok()?;
        self.date_created.map(|created| created + ttl)
    }

    /// The resource's URL at Twilio.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// What the mobile app needs: serializes to exactly
    /// `{"token", "serviceSid", "identity", "factorType"}`, the shape Twilio's Android and iOS
    /// sample apps parse.
    pub fn enrollment(&self) -> Enrollment {
        Enrollment {
            token: self.token.clone(),
            service_sid: self.service_sid.to_string(),
            identity: self.identity.clone(),
            factor_type: self.factor_type.as_str().to_string(),
        }
    }

    /// Builds the wrapper's type from the generated model, refusing a response that lacks what
    /// a token must have.
    pub(crate) fn from_generated(
        model: verify_v2::models::VerifyV2ServiceAccessToken,
    ) -> Result<Self, String> {
        fn required(field: &str, value: Option<Option<String>>) -> Result<String, String> {
            value
                .flatten()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("the response has no `{field}`"))
        }
        let sid = AccessTokenSid::new(required("sid", model.sid)?)
            .map_err(|e| format!("`sid`: {}", e.rule()))?;
        let service_sid = ServiceSid::new(required("service_sid", model.service_sid)?)
            .map_err(|e| format!("`service_sid`: {}", e.rule()))?;
        let account_sid = match model.account_sid.flatten() {
            Some(sid) => {
                Some(AccountSid::new(sid).map_err(|e| format!("`account_sid`: {}", e.rule()))?)
            }
            None => None,
        };
        let ttl = model.ttl.ok_or("the response has no `ttl`")?;
        let ttl = u64::try_from(ttl)
            .map(Duration::from_secs)
            .map_err(|_| format!("`ttl` is negative ({ttl})"))?;
        let factor_type = match model.factor_type {
            Some(verify_v2::models::AccessTokenEnumFactorTypes::Push) => FactorType::Push,
            // The generated enum now decodes values it does not know; `FactorType` has no arm
            // for them yet, so such a token is a decode error that names the value.
            Some(verify_v2::models::AccessTokenEnumFactorTypes::Unknown(other)) => {
                return Err(format!(
                    "`factor_type` is `{other}`, which this version does not know"
                ));
            }
            None => return Err("the response has no `factor_type`".into()),
        };
        Ok(Self {
            sid,
            account_sid,
            service_sid,
            identity: required("entity_identity", model.entity_identity)?,
            factor_type,
            factor_friendly_name: model.factor_friendly_name.flatten(),
            token: SecretString::new(required("token", model.token)?),
            ttl,
            date_created: model.date_created.flatten().map(|d| d.with_timezone(&Utc)),
            url: model.url.flatten(),
        })
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("sid", &self.sid)
            .field("account_sid", &self.account_sid)
            .field("service_sid", &self.service_sid)
            .field("identity", &self.identity)
            .field("factor_type", &self.factor_type)
            .field("factor_friendly_name", &self.factor_friendly_name)
            .field("token", &self.token)
            .field("ttl", &self.ttl)
            .field("date_created", &self.date_created)
            .field("url", &self.url)
            .finish()
    }
}

/// Writes Twilio's field names (`sid`, `account_sid`, …, `token`, `ttl` in seconds,
/// `date_created` in RFC 3339). This exposes the token: it is for deliberate hand-off only.
impl Serialize for AccessToken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Twilio<'a> {
            sid: &'a str,
            account_sid: Option<&'a str>,
            service_sid: &'a str,
            entity_identity: &'a str,
            factor_type: &'a str,
            factor_friendly_name: Option<&'a str>,
            token: &'a str,
            ttl: u64,
            date_created: Option<String>,
            url: Option<&'a str>,
        }
        Twilio {
            sid: self.sid.as_str(),
            account_sid: self.account_sid.as_ref().map(AccountSid::as_str),
            service_sid: self.service_sid.as_str(),
            entity_identity: &self.identity,
            factor_type: self.factor_type.as_str(),
            factor_friendly_name: self.factor_friendly_name.as_deref(),
            token: self.token.expose_secret(),
            ttl: self.ttl.as_secs(),
            date_created: self
                .date_created
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            url: self.url.as_deref(),
        }
        .serialize(serializer)
    }
}

/// The enrollment hand-off for a mobile app: `{"token", "serviceSid", "identity",
/// "factorType"}`, the JSON Twilio's Android and iOS sample apps parse.
///
/// `Debug` redacts the token; serializing includes it, which is the point.
///
/// ```
/// use verify_push::Enrollment;
///
/// let json = r#"{"token":"eyJ...","serviceSid":"VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","identity":"ff483d1ff591898a9942916050d2ca3f","factorType":"push"}"#;
/// let enrollment: Enrollment = serde_json::from_str(json).unwrap();
/// assert_eq!(enrollment.factor_type(), "push");
/// assert!(!format!("{enrollment:?}").contains("eyJ"));
/// assert_eq!(serde_json::to_string(&enrollment).unwrap(), json);
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Enrollment {
    #[serde(serialize_with = "expose", deserialize_with = "secret")]
    token: SecretString,
    service_sid: String,
    identity: String,
    factor_type: String,
}

impl Enrollment {
    /// The access token.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// The Verify Service SID.
    pub fn service_sid(&self) -> &str {
        &self.service_sid
    }

    /// The Entity identity.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// `push`.
    pub fn factor_type(&self) -> &str {
        &self.factor_type
    }
}

impl fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enrollment")
            .field("token", &self.token)
            .field("service_sid", &self.service_sid)
            .field("identity", &self.identity)
            .field("factor_type", &self.factor_type)
            .finish()
    }
}

fn expose<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose_secret())
}

fn secret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    String::deserialize(deserializer).map(SecretString::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use verify_v2::models::{AccessTokenEnumFactorTypes, VerifyV2ServiceAccessToken};

    fn model() -> VerifyV2ServiceAccessToken {
        let mut m = VerifyV2ServiceAccessToken::new();
        m.sid = Some(Some("YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()));
        m.account_sid = Some(Some("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()));
        m.service_sid = Some(Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()));
        m.entity_identity = Some(Some("ff483d1ff591898a9942916050d2ca3f".into()));
        m.factor_type = Some(AccessTokenEnumFactorTypes::Push);
        m.token = Some(Some("eyJhbGciOiJkaXIifQ..iv.ct.tag".into()));
        m.ttl = Some(300);
        m.date_created = Some(Some(
            chrono::DateTime::parse_from_rfc3339("2015-07-30T20:00:00Z").unwrap(),
        ));
        m
    }

    #[test]
    fn expires_at_is_date_created_plus_ttl() {
        let token = AccessToken::from_generated(model()).unwrap();
        assert_eq!(
            token.expires_at().unwrap().to_rfc3339(),
            "2015-07-30T20:05:00+00:00"
        );
        assert_eq!(token.ttl(), Duration::from_secs(300));
    }

    #[test]
    fn enrollment_has_exactly_the_four_fields_the_apps_parse() {
        let token = AccessToken::from_generated(model()).unwrap();
        let text = serde_json::to_string(&token.enrollment()).unwrap();
        assert!(text.starts_with(r#"{"token":"#), "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["factorType", "identity", "serviceSid", "token"]);
        assert_eq!(json["token"], "eyJhbGciOiJkaXIifQ..iv.ct.tag");
        assert_eq!(json["factorType"], "push");
    }

    #[test]
    fn missing_or_malformed_required_fields_are_refused() {
        let mut m = model();
        m.token = Some(None);
        assert!(
            AccessToken::from_generated(m)
                .unwrap_err()
                .contains("`token`")
        );
        let mut m = model();
        m.sid = Some(Some("YK123".into()));
        assert!(
            AccessToken::from_generated(m)
                .unwrap_err()
                .contains("`sid`")
        );
        let mut m = model();
        m.ttl = Some(-5);
        assert!(
            AccessToken::from_generated(m)
                .unwrap_err()
                .contains("negative")
        );
    }

    #[test]
    fn debug_redacts_the_token_and_serialize_uses_twilios_names() {
        let token = AccessToken::from_generated(model()).unwrap();
        let debug = format!("{token:?} {:?}", token.enrollment());
        assert!(!debug.contains("eyJhbGci"), "{debug}");
        let json = serde_json::to_value(&token).unwrap();
        assert_eq!(json["entity_identity"], "ff483d1ff591898a9942916050d2ca3f");
        assert_eq!(json["ttl"], 300);
        assert_eq!(json["date_created"], "2015-07-30T20:00:00Z");
        assert_eq!(json["token"], "eyJhbGciOiJkaXIifQ..iv.ct.tag");
    }
}
