//! The three ways of making the same request that are compared: through verify-push, through
//! the generated function with the client's own configuration, and through plain reqwest with
//! serde decoding.

use std::time::Duration;

use serde::Deserialize;
use verify_push::raw::apis::configuration::Configuration;
use verify_push::raw::apis::{verify_v2_access_token_api, verify_v2_challenge_api};
use verify_push::raw::models::AccessTokenEnumFactorTypes;
use verify_push::{Client, Credentials};

/// Values sent; the stand-in answers with the spec's examples whatever they are.
pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// A made-up auth token (the stand-in does not check it).
pub const AUTH_TOKEN: &str = "bench-auth-token";
/// The Verify Service.
pub const SERVICE: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The Entity identity.
pub const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";
const FRIENDLY_NAME: &str = "John Doe iPhone";
const TOKEN_SID: &str = "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const FACTOR_SID: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CHALLENGE_SID: &str = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const MESSAGE: &str = "Hi! Mr. John Doe, would you like to sign up?";

/// Which client code makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// `verify-push`'s builders.
    VerifyPush,
    /// The generated function, called with `client.raw()`.
    Generated,
    /// A plain reqwest request decoded with serde.
    Reqwest,
}

impl Path {
    /// Name in the table.
    pub fn name(self) -> &'static str {
        match self {
            Path::VerifyPush => "verify-push",
            Path::Generated => "generated",
            Path::Reqwest => "reqwest",
        }
    }

    /// Parses [`name`](Self::name).
    pub fn parse(name: &str) -> Option<Path> {
        [Path::VerifyPush, Path::Generated, Path::Reqwest]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// Which request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// POST AccessTokens.
    CreateToken,
    /// GET AccessTokens/{Sid}.
    FetchToken,
    /// POST Challenges with a message.
    CreateChallenge,
    /// `challenges().wait(sid)` on an approved challenge (one GET); the generated and reqwest
    /// paths make the same GET.
    WaitChallenge,
}

impl Op {
    /// Name in the table.
    pub fn name(self) -> &'static str {
        match self {
            Op::CreateToken => "token create",
            Op::FetchToken => "token fetch",
            Op::CreateChallenge => "challenge create",
            Op::WaitChallenge => "challenge wait",
        }
    }

    /// Parses [`name`](Self::name), with `-` for the space (`token-create`).
    pub fn parse(name: &str) -> Option<Op> {
        [
            Op::CreateToken,
            Op::FetchToken,
            Op::CreateChallenge,
            Op::WaitChallenge,
        ]
        .into_iter()
        .find(|op| op.name() == name.replace('-', " "))
    }
}

/// The plain-reqwest baseline's view of an access token: every field, decoded by serde.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // decoded to be paid for, never read
struct RawAccessToken {
    sid: String,
    account_sid: Option<String>,
    service_sid: String,
    entity_identity: String,
    factor_type: String,
    factor_friendly_name: Option<String>,
    token: String,
    url: Option<String>,
    ttl: Option<i64>,
    date_created: Option<String>,
}

/// The plain-reqwest baseline's view of a challenge.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // decoded to be paid for, never read
struct RawChallenge {
    sid: String,
    account_sid: Option<String>,
    service_sid: String,
    entity_sid: Option<String>,
    identity: String,
    factor_sid: String,
    date_created: Option<String>,
    date_updated: Option<String>,
    date_responded: Option<String>,
    expiration_date: Option<String>,
    status: String,
    responded_reason: Option<String>,
    details: Option<serde_json::Value>,
    hidden_details: Option<serde_json::Value>,
    metadata: Option<serde_json::Value>,
    factor_type: String,
    url: Option<String>,
    links: Option<serde_json::Value>,
}

/// The clients, built once and shared by every request of a run.
#[derive(Debug)]
pub struct Clients {
    vp: Option<Client>,
    raw: Option<Configuration>,
    http: Option<reqwest::Client>,
    base: String,
}

/// The verify-push client for `base_url`.
pub fn verify_push_client(base_url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(base_url)
        .build()
        .expect("a valid configuration")
}

/// The same client from `TWILIO_*` variables (as a map, not the process environment).
pub fn verify_push_client_from_env() -> Client {
    Client::from_env_vars([
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
    ])
    .expect("a valid configuration")
}

/// The plain reqwest client, configured as verify-push configures its own (timeouts, no
/// redirects), so the comparison is of the code around the request, not of the settings.
pub fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(verify_push::DEFAULT_CONNECT_TIMEOUT)
        .timeout(verify_push::DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

impl Clients {
    /// Clients for the stand-in at `base_url`, for every path.
    pub fn new(base_url: &str) -> Self {
        let vp = verify_push_client(base_url);
        Self {
            raw: Some(vp.raw()),
            vp: Some(vp),
            http: Some(reqwest_client()),
            base: base_url.to_string(),
        }
    }

    /// Only the client `path` needs, so a memory measurement holds nothing else.
    pub fn only(base_url: &str, path: Path) -> Self {
        let mut clients = Self {
            vp: None,
            raw: None,
            http: None,
            base: base_url.to_string(),
        };
        match path {
            Path::VerifyPush => clients.vp = Some(verify_push_client(base_url)),
            Path::Generated => clients.raw = Some(verify_push_client(base_url).raw()),
            Path::Reqwest => clients.http = Some(reqwest_client()),
        }
        clients
    }

    fn vp(&self) -> &Client {
        self.vp.as_ref().expect("built for this path")
    }

    fn raw(&self) -> &Configuration {
        self.raw.as_ref().expect("built for this path")
    }

    fn http(&self) -> &reqwest::Client {
        self.http.as_ref().expect("built for this path")
    }

    /// Makes one request of `op` through `path`; panics if it fails (the stand-in never
    /// fails, so a failure is a bug in the benchmark).
    pub async fn one(&self, op: Op, path: Path) {
        match (op, path) {
            (Op::CreateToken, Path::VerifyPush) => {
                self.vp()
                    .access_tokens(SERVICE)
                    .create(IDENTITY)
                    .factor_friendly_name(FRIENDLY_NAME)
                    .ttl(Duration::from_secs(300))
                    .send()
                    .await
                    .expect("create");
            }
            (Op::CreateToken, Path::Generated) => {
                verify_v2_access_token_api::create_access_token(
                    self.raw(),
                    SERVICE,
                    IDENTITY,
                    AccessTokenEnumFactorTypes::Push,
                    Some(FRIENDLY_NAME),
                    Some(300),
                )
                .await
                .expect("create");
            }
            (Op::CreateToken, Path::Reqwest) => {
                let url = format!("{}/v2/Services/{SERVICE}/AccessTokens", self.base);
                self.http()
                    .post(url)
                    .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
                    .form(&[
                        ("Identity", IDENTITY),
                        ("FactorType", "push"),
                        ("FactorFriendlyName", FRIENDLY_NAME),
                        ("Ttl", "300"),
                    ])
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .expect("create")
                    .json::<RawAccessToken>()
                    .await
                    .expect("decode");
            }
            (Op::FetchToken, Path::VerifyPush) => {
                self.vp()
                    .access_tokens(SERVICE)
                    .fetch(TOKEN_SID)
                    .await
                    .expect("fetch");
            }
            (Op::FetchToken, Path::Generated) => {
                verify_v2_access_token_api::fetch_access_token(self.raw(), SERVICE, TOKEN_SID)
                    .await
                    .expect("fetch");
            }
            (Op::FetchToken, Path::Reqwest) => {
                let url = format!(
                    "{}/v2/Services/{SERVICE}/AccessTokens/{TOKEN_SID}",
                    self.base
                );
                self.get::<RawAccessToken>(url).await;
            }
            (Op::CreateChallenge, Path::VerifyPush) => {
                self.vp()
                    .service(SERVICE)
                    .entity(IDENTITY)
                    .challenges()
                    .create(FACTOR_SID)
                    .message(MESSAGE)
                    .send()
                    .await
                    .expect("create challenge");
            }
            (Op::CreateChallenge, Path::Generated) => {
                verify_v2_challenge_api::create_challenge(
                    self.raw(),
                    SERVICE,
                    IDENTITY,
                    FACTOR_SID,
                    None,
                    Some(MESSAGE),
                    None,
                    None,
                    None,
                )
                .await
                .expect("create challenge");
            }
            (Op::CreateChallenge, Path::Reqwest) => {
                let url = format!(
                    "{}/v2/Services/{SERVICE}/Entities/{IDENTITY}/Challenges",
                    self.base
                );
                self.http()
                    .post(url)
                    .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
                    .form(&[("FactorSid", FACTOR_SID), ("Details.Message", MESSAGE)])
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .expect("create challenge")
                    .json::<RawChallenge>()
                    .await
                    .expect("decode");
            }
            (Op::WaitChallenge, Path::VerifyPush) => {
                let outcome = self
                    .vp()
                    .service(SERVICE)
                    .entity(IDENTITY)
                    .challenges()
                    .wait(CHALLENGE_SID)
                    .await
                    .expect("wait");
                assert!(
                    outcome.is_approved(),
                    "the stand-in's challenge is approved"
                );
            }
            (Op::WaitChallenge, Path::Generated) => {
                verify_v2_challenge_api::fetch_challenge(
                    self.raw(),
                    SERVICE,
                    IDENTITY,
                    CHALLENGE_SID,
                )
                .await
                .expect("fetch challenge");
            }
            (Op::WaitChallenge, Path::Reqwest) => {
                let url = format!(
                    "{}/v2/Services/{SERVICE}/Entities/{IDENTITY}/Challenges/{CHALLENGE_SID}",
                    self.base
                );
                self.get::<RawChallenge>(url).await;
            }
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, url: String) {
        self.http()
            .get(url)
            .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("fetch")
            .json::<T>()
            .await
            .expect("decode");
    }
}
