//! A Verify event as a value: what a rule produced (the event type, and the factor and
//! challenge as they were right after the change). The rules return these with their answer;
//! webhook delivery ([`delivery`](crate::delivery)), above the resources, consumes them. No
//! resource calls delivery, so the rules never look up at the HTTP layer.

use super::{Challenge, Factor};

/// The events the sandbox sends (spec CreateWebhook `EventTypes`). No `challenge.expired`
/// exists at Twilio either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventType {
    FactorCreated,
    FactorVerified,
    FactorDeleted,
    ChallengeApproved,
    ChallengeDenied,
}

impl EventType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EventType::FactorCreated => "factor.created",
            EventType::FactorVerified => "factor.verified",
            EventType::FactorDeleted => "factor.deleted",
            EventType::ChallengeApproved => "challenge.approved",
            EventType::ChallengeDenied => "challenge.denied",
        }
    }
}

/// One event, with copies of the records it is about.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) kind: EventType,
    pub(crate) factor: Factor,
    pub(crate) challenge: Option<Challenge>,
}

impl Event {
    /// A factor event (`factor.created`, `factor.verified`, `factor.deleted`).
    pub(crate) fn factor(kind: EventType, factor: Factor) -> Self {
        Self {
            kind,
            factor,
            challenge: None,
        }
    }

    /// A challenge event (`challenge.approved`, `challenge.denied`).
    pub(crate) fn challenge(kind: EventType, factor: Factor, challenge: Challenge) -> Self {
        Self {
            kind,
            factor,
            challenge: Some(challenge),
        }
    }
}

/// The events a handler's answer carries, as a response extension: the delivery layer takes
/// them out of the response before it leaves the sandbox.
#[derive(Debug, Clone, Default)]
pub(crate) struct Emitted {
    /// The service whose webhooks receive them.
    pub(crate) service_sid: String,
    pub(crate) events: Vec<Event>,
}
