//! What can go wrong on the device side.

use std::fmt;

/// An error of the [`VirtualDevice`](super::VirtualDevice). Never contains a token, JWT or key.
#[derive(Debug)]
#[non_exhaustive]
pub enum DeviceError {
    /// The enrollment data is unusable (names the field).
    InvalidEnrollment(String),
    /// Saved device state is unusable.
    InvalidState(String),
    /// The server could not be reached or the connection failed.
    Http(String),
    /// The server answered with a Twilio error.
    Twilio {
        /// HTTP status.
        status: u16,
        /// Twilio error code (0 if the body had none).
        code: u64,
        /// Twilio's message.
        message: String,
    },
    /// The server answered something the device cannot read.
    UnexpectedResponse(String),
    /// No factor of this device can see this challenge.
    UnknownChallenge(String),
    /// The challenge is not pending any more (the SDK refuses to answer it too:
    /// `ExpiredChallengeException` / `AlreadyUpdatedChallengeException` in
    /// twilio-verify-android `domain/challenge/PushChallengeProcessor.kt`).
    NotPending {
        /// The challenge SID.
        sid: String,
        /// Its status: `expired`, `approved` or `denied`.
        status: String,
    },
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceError::InvalidEnrollment(why) => write!(f, "invalid enrollment: {why}"),
            DeviceError::InvalidState(why) => write!(f, "invalid device state: {why}"),
            DeviceError::Http(why) => write!(f, "HTTP request failed: {why}"),
            DeviceError::Twilio {
                status,
                code,
                message,
            } => write!(f, "Twilio error {code} (HTTP {status}): {message}"),
            DeviceError::UnexpectedResponse(why) => write!(f, "unexpected response: {why}"),
            DeviceError::UnknownChallenge(sid) => {
                write!(f, "no factor of this device can see challenge {sid}")
            }
            DeviceError::NotPending { sid, status } => {
                write!(
                    f,
                    "challenge {sid} is {status}, not pending: it cannot be answered"
                )
            }
        }
    }
}

impl std::error::Error for DeviceError {}

impl From<reqwest::Error> for DeviceError {
    fn from(error: reqwest::Error) -> Self {
        // Without the URL: it is not secret, but keep the message short and stable.
        DeviceError::Http(error.without_url().to_string())
    }
}
