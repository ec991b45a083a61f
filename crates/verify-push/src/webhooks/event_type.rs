//! `EventType`: the `type` of a Verify webhook delivery, and the values a Webhook subscribes to.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Verify webhook event type.
///
/// The list is Twilio's (<https://www.twilio.com/docs/verify/api/webhooks>): `*` (all events),
/// `factor.created`, `factor.verified`, `factor.deleted`, `challenge.approved`,
/// `challenge.denied`. There is no `challenge.expired` event: expiry is only visible by fetching
/// the challenge.
///
/// Parsing never fails: a name this crate does not know becomes [`EventType::Unknown`] with the
/// name kept, so a new event type Twilio adds reaches your code instead of an error. It
/// (de)serializes as the plain string.
///
/// ```
/// use verify_push::webhooks::EventType;
///
/// let t: EventType = "challenge.approved".parse().unwrap();
/// assert_eq!(t, EventType::ChallengeApproved);
/// assert_eq!(t.as_str(), "challenge.approved");
///
/// let new = EventType::from("challenge.expired");
/// assert_eq!(new, EventType::Unknown("challenge.expired".to_owned()));
/// assert_eq!(new.to_string(), "challenge.expired");
///
/// assert_eq!(serde_json::to_string(&EventType::All).unwrap(), r#""*""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `*`: every event. Used when subscribing; never the type of a delivery.
    All,
    /// `factor.created`: a factor was created but "is not ready to receive challenges" yet.
    FactorCreated,
    /// `factor.verified`: the factor "now is able to receive challenges".
    FactorVerified,
    /// `factor.deleted`: the factor was deleted.
    FactorDeleted,
    /// `challenge.approved`: the user approved a challenge on their device.
    ChallengeApproved,
    /// `challenge.denied`: the user denied a challenge on their device.
    ChallengeDenied,
    /// A type this crate does not know yet, kept exactly as Twilio sent it.
    Unknown(String),
}

impl EventType {
    /// Twilio's name for the event type, e.g. `factor.verified`.
    ///
    /// ```
    /// use verify_push::webhooks::EventType;
    ///
    /// assert_eq!(EventType::FactorVerified.as_str(), "factor.verified");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            EventType::All => "*",
            EventType::FactorCreated => "factor.created",
            EventType::FactorVerified => "factor.verified",
            EventType::FactorDeleted => "factor.deleted",
            EventType::ChallengeApproved => "challenge.approved",
            EventType::ChallengeDenied => "challenge.denied",
            EventType::Unknown(name) => name,
        }
    }
}

impl From<&str> for EventType {
    fn from(name: &str) -> Self {
        // Exact match: Twilio's names are lower case, and an unknown spelling stays visible.
        match name {
            "*" => EventType::All,
            "factor.created" => EventType::FactorCreated,
            "factor.verified" => EventType::FactorVerified,
            "factor.deleted" => EventType::FactorDeleted,
            "challenge.approved" => EventType::ChallengeApproved,
            "challenge.denied" => EventType::ChallengeDenied,
            other => EventType::Unknown(other.to_owned()),
        }
    }
}

impl From<String> for EventType {
    fn from(name: String) -> Self {
        match EventType::from(name.as_str()) {
            // Reuse the allocation instead of copying the name again.
            EventType::Unknown(_) => EventType::Unknown(name),
            known => known,
        }
    }
}

impl FromStr for EventType {
    type Err = Infallible;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(EventType::from(name))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(EventType::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: [(EventType, &str); 6] = [
        (EventType::All, "*"),
        (EventType::FactorCreated, "factor.created"),
        (EventType::FactorVerified, "factor.verified"),
        (EventType::FactorDeleted, "factor.deleted"),
        (EventType::ChallengeApproved, "challenge.approved"),
        (EventType::ChallengeDenied, "challenge.denied"),
    ];

    #[test]
    fn every_documented_type_round_trips_through_its_twilio_name() {
        for (event_type, name) in KNOWN {
            assert_eq!(event_type.as_str(), name);
            assert_eq!(event_type.to_string(), name);
            assert_eq!(EventType::from(name), event_type);
            assert_eq!(name.parse::<EventType>().unwrap(), event_type);
            assert_eq!(EventType::from(name.to_owned()), event_type);
        }
    }

    #[test]
    fn an_unknown_type_is_kept_not_rejected() {
        let t = EventType::from("challenge.expired");
        assert_eq!(t, EventType::Unknown("challenge.expired".to_owned()));
        assert_eq!(t.as_str(), "challenge.expired");
        // Matching is exact: a different case is a different (unknown) name.
        assert_eq!(
            EventType::from("Factor.Created"),
            EventType::Unknown("Factor.Created".to_owned())
        );
    }

    #[test]
    fn serde_uses_the_plain_string() {
        assert_eq!(
            serde_json::to_string(&EventType::FactorDeleted).unwrap(),
            r#""factor.deleted""#
        );
        let list: Vec<EventType> =
            serde_json::from_str(r#"["*","challenge.denied","factor.renamed"]"#).unwrap();
        assert_eq!(
            list,
            [
                EventType::All,
                EventType::ChallengeDenied,
                EventType::Unknown("factor.renamed".to_owned())
            ]
        );
        assert_eq!(
            serde_json::to_string(&EventType::Unknown("x.y".to_owned())).unwrap(),
            r#""x.y""#
        );
        assert!(serde_json::from_str::<EventType>("42").is_err());
    }
}
