//! `EventType`: the `type` of a Verify webhook delivery, and the values a Webhook subscribes to.

crate::types::open_enum! {
    /// A Verify webhook event type.
    ///
    /// The list is Twilio's (<https://www.twilio.com/docs/verify/api/webhooks>): `*` (all events),
    /// `factor.created`, `factor.verified`, `factor.deleted`, `challenge.approved`,
    /// `challenge.denied`. There is no `challenge.expired` event: expiry is only visible by fetching
    /// the challenge.
    ///
    /// Parsing never fails: a name this crate does not know becomes [`EventType::Unknown`] with the
    /// name kept (matched exactly: Twilio's names are lower case, and an unknown spelling stays
    /// visible), so a new event type Twilio adds reaches your code instead of an error. It
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
    EventType {
        /// `*`: every event. Used when subscribing; never the type of a delivery.
        All => "*",
        /// `factor.created`: a factor was created but "is not ready to receive challenges" yet.
        FactorCreated => "factor.created",
        /// `factor.verified`: the factor "now is able to receive challenges".
        FactorVerified => "factor.verified",
        /// `factor.deleted`: the factor was deleted.
        FactorDeleted => "factor.deleted",
        /// `challenge.approved`: the user approved a challenge on their device.
        ChallengeApproved => "challenge.approved",
        /// `challenge.denied`: the user denied a challenge on their device.
        ChallengeDenied => "challenge.denied",
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
