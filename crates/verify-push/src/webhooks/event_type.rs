//! Placeholder replaced by the webhook events work (merged from the `webhooks` branch).

crate::types::open_enum! {
    /// A Verify webhook event type. Source: <https://www.twilio.com/docs/verify/api/webhooks>.
    EventType {
        /// `*`: every event.
        All => "*",
        /// `factor.created`.
        FactorCreated => "factor.created",
        /// `factor.verified`.
        FactorVerified => "factor.verified",
        /// `factor.deleted`.
        FactorDeleted => "factor.deleted",
        /// `challenge.approved`.
        ChallengeApproved => "challenge.approved",
        /// `challenge.denied`.
        ChallengeDenied => "challenge.denied",
    }
}
