//! Open enums for the values Twilio sends back.
//!
//! Each is `#[non_exhaustive]` with an `Unknown(String)` arm: a value Twilio adds tomorrow is
//! kept as it came instead of failing the whole response (the generated crate's enums are closed;
//! see `docs/architecture.md`). Parsing never fails; `as_str()` gives Twilio's spelling back, also
//! for unknown values, and serde reads and writes that spelling.

macro_rules! open_enum {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A value this version of the crate does not know, kept as Twilio sent it.
            Unknown(String),
        }

        impl $name {
            /// Twilio's spelling of the value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unknown(other) => other,
                }
            }

            /// Whether this is a value this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $text => $name::$variant, )+
                    other => $name::Unknown(other.to_string()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $text => $name::$variant, )+
                    _ => $name::Unknown(value),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

/// For the other rooms' open enums (`webhooks::EventType`).
pub(crate) use open_enum;

open_enum! {
    /// The kind of a factor. Source: spec `factor_enum_factor_types`.
    FactorType {
        /// A Verify Push factor: a key pair on the user's phone.
        Push => "push",
        /// A TOTP factor.
        Totp => "totp",
        /// A passkey.
        Passkeys => "passkeys",
    }
}

open_enum! {
    /// Whether a factor can receive challenges. Source: spec `factor_enum_factor_statuses`;
    /// "unverified" factors are deleted 1 to 24 h after creation (Twilio error 60390).
    FactorStatus {
        /// Created by the app but not verified yet: no challenge can be sent to it (60318).
        Unverified => "unverified",
        /// Ready for challenges.
        Verified => "verified",
    }
}

open_enum! {
    /// Where a challenge stands. Source: spec `challenge_enum_challenge_statuses`.
    /// `pending` is the only state that changes; the others are final.
    ChallengeStatus {
        /// Waiting for the user's answer.
        Pending => "pending",
        /// Expired before an answer (at `expiration_date`).
        Expired => "expired",
        /// Approved on the device.
        Approved => "approved",
        /// Denied on the device.
        Denied => "denied",
    }
}

impl ChallengeStatus {
    /// Whether the challenge can still change: only `pending` can. An unknown status is
    /// treated as final, so a waiting loop never spins on a value it does not understand.
    pub fn is_final(&self) -> bool {
        !matches!(self, ChallengeStatus::Pending)
    }
}

open_enum! {
    /// Why a challenge is in its status. Source: spec `challenge_enum_challenge_reasons`;
    /// Twilio does not document the meanings, so do not branch on it.
    RespondedReason {
        /// `none`.
        None => "none",
        /// `not_needed`.
        NotNeeded => "not_needed",
        /// `not_requested`.
        NotRequested => "not_requested",
    }
}

open_enum! {
    /// How a factor's device gets pushes. Source: spec `factor_enum_notification_platforms`.
    NotificationPlatform {
        /// Apple Push Notification service.
        Apn => "apn",
        /// Firebase Cloud Messaging.
        Fcm => "fcm",
        /// No pushes: the app polls for pending challenges.
        None => "none",
    }
}

open_enum! {
    /// Whether a webhook is delivered. Source: spec `webhook_enum_status`.
    WebhookStatus {
        /// Delivered (the default).
        Enabled => "enabled",
        /// Kept but not delivered.
        Disabled => "disabled",
    }
}

open_enum! {
    /// The payload version of a webhook. Source: spec `webhook_enum_version`: v1 is "legacy
    /// and may be removed", v2 is the default.
    WebhookVersion {
        /// Legacy.
        V1 => "v1",
        /// The current version (the default).
        V2 => "v2",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_through_their_spelling() {
        for s in ["pending", "expired", "approved", "denied"] {
            let status = ChallengeStatus::from(s);
            assert!(!status.is_unknown());
            assert_eq!(status.as_str(), s);
        }
        assert_eq!(FactorType::from("push"), FactorType::Push);
        assert_eq!(WebhookVersion::from("v2").to_string(), "v2");
    }

    #[test]
    fn unknown_values_are_kept_not_fatal() {
        let status: ChallengeStatus = serde_json::from_str(r#""cancelled""#).unwrap();
        assert_eq!(status, ChallengeStatus::Unknown("cancelled".into()));
        assert_eq!(status.as_str(), "cancelled");
        assert!(
            status.is_final(),
            "an unknown status must not keep a wait loop going"
        );
        assert_eq!(serde_json::to_string(&status).unwrap(), r#""cancelled""#);
        assert_eq!(
            FactorType::from("passkey-v9".to_string()),
            FactorType::Unknown("passkey-v9".into())
        );
    }

    #[test]
    fn only_pending_is_not_final() {
        assert!(!ChallengeStatus::Pending.is_final());
        assert!(ChallengeStatus::Approved.is_final());
        assert!(ChallengeStatus::Denied.is_final());
        assert!(ChallengeStatus::Expired.is_final());
    }
}
