//! The builder that creates a push challenge (a login request shown on the user's phone).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use verify_v2::apis::verify_v2_challenge_api as api;

use super::Challenge;
use super::details::{self, Expiry};
use super::operations::CREATE_CHALLENGE;
use crate::call;
use crate::scope::EntityPath;
use crate::{Client, Error, FactorSid};

/// A challenge being created: set what the phone shows, then [`send`](Self::send).
///
/// ```no_run
/// use std::time::Duration;
/// use verify_push::{Client, Identity};
/// # async fn demo(client: Client) -> Result<(), verify_push::Error> {
/// let user = client
///     .service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .entity(Identity::hashed("user-42"));
/// let challenge = user
///     .challenges()
///     .create("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .message("Log in to Example from Chrome on macOS?")
///     .field("Location", "Berlin, DE")
///     .hidden_detail("ip", "203.0.113.7")
///     .expires_in(Duration::from_secs(120))
///     .send()
///     .await?;
/// println!("{} is {}", challenge.sid(), challenge.status());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send().await`"]
pub struct CreateChallenge {
    client: Client,
    entity: EntityPath,
    factor_sid: String,
    message: Option<String>,
    fields: Vec<(String, String)>,
    hidden_details: BTreeMap<String, String>,
    expiry: Option<Expiry>,
}

impl CreateChallenge {
    pub(crate) fn new(client: Client, entity: EntityPath, factor_sid: String) -> Self {
        Self {
            client,
            entity,
            factor_sid,
            message: None,
            fields: Vec::new(),
            hidden_details: BTreeMap::new(),
            expiry: None,
        }
    }

    /// What the phone asks, e.g. "Log in to Example from Chrome on macOS?". Required, 1 to 256
    /// characters.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets or clears the message.
    pub fn set_message(mut self, message: Option<String>) -> Self {
        self.message = message;
        self
    }

    /// Adds a detail the phone shows under the message, e.g. `("Location", "Berlin, DE")`: up
    /// to 20 fields, label up to 36 characters, value up to 128. Kept in the order added.
    pub fn field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((label.into(), value.into()));
        self
    }

    /// Replaces all fields.
    pub fn set_fields(mut self, fields: Vec<(String, String)>) -> Self {
        self.fields = fields;
        self
    }

    /// Adds a detail kept with the challenge but not shown to the user (e.g. the IP address
    /// the login came from). String values only; all of them together at most 1024
    /// characters as JSON. A repeated key keeps the last value.
    pub fn hidden_detail(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.hidden_details.insert(key.into(), value.into());
        self
    }

    /// Replaces all hidden details.
    pub fn set_hidden_details(mut self, details: BTreeMap<String, String>) -> Self {
        self.hidden_details = details;
        self
    }

    /// Expires this long after sending: more than 0, at most 60 minutes (Twilio's default when
    /// not set: 5 minutes).
    pub fn expires_in(mut self, duration: Duration) -> Self {
        self.expiry = Some(Expiry::In(duration));
        self
    }

    /// Expires at this time: in the future and at most 60 minutes from when it is sent.
    pub fn expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expiry = Some(Expiry::At(at));
        self
    }

    /// Checks every field, then creates the challenge: Twilio pushes it to the phone.
    ///
    /// Bad input is [`Error::InvalidInput`] naming the field and the rule, with nothing sent.
    /// The create is **never resent** once it may have reached Twilio (a second one would push
    /// again, and each answered challenge is billed): only a 429 with code 20429 and a refused
    /// connection are retried.
    pub async fn send(self) -> Result<Challenge, Error> {
        let (service_sid, identity) = self.entity.check()?;
        let factor_sid = FactorSid::new(self.factor_sid)?;
        let message = details::check_message(self.message.as_deref())?;
        let fields = details::check_fields(&self.fields)?;
        let fields = (!fields.is_empty()).then_some(fields);
        let hidden = details::check_hidden_details(&self.hidden_details)?;
        let expiration = self
            .expiry
            .map(|e| details::check_expiry(e, Utc::now()))
            .transpose()?
            .map(|at| at.fixed_offset());
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &CREATE_CHALLENGE,
            || {
                api::create_challenge_request(
                    configuration,
                    service_sid,
                    identity,
                    factor_sid.as_str(),
                    expiration,
                    Some(message),
                    fields.clone(),
                    hidden.clone(),
                    None,
                )
            },
            api::create_challenge_response,
            Challenge::from_generated,
        )
        .await
    }
}
