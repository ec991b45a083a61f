//! Validated, resource-neutral values: the only place newtypes and open enums are defined.
//!
//! Everything here is re-exported at the crate root (`verify_push::Identity`, …) as well.
//! A value that breaks a rule fails with [`InvalidInput`](crate::InvalidInput) naming the field
//! and the rule; builders rename the field to the one the caller set (a friendly name is
//! `friendly_name` on a factor and `factor_friendly_name` on an access token).

mod enums;
pub(crate) use enums::open_enum;
mod friendly_name;
mod identity;
pub(crate) mod newtype;
mod notification_ttl;
mod secret;
mod sid;
mod ttl;

pub use enums::{
    ChallengeStatus, FactorStatus, FactorType, NotificationPlatform, RespondedReason,
    WebhookStatus, WebhookVersion,
};
pub use friendly_name::FriendlyName;
pub use identity::Identity;
pub use notification_ttl::NotificationTtl;
pub use secret::SecretString;
pub use sid::{
    AccessTokenSid, AccountSid, ApiKeySid, ChallengeSid, EntitySid, FactorSid, NotificationSid,
    ServiceSid, WebhookSid,
};
pub use ttl::Ttl;
