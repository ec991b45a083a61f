//! How long Twilio keeps trying to deliver a re-sent push.

use std::time::Duration;

use crate::InvalidInput;

/// The time to live of a push notification: whole seconds from 0 to 300, default 300.
///
/// Source: spec CreateNotification, "Ttl: How long, in seconds, the notification is valid. Can
/// be an integer between 0 and 300. Default is 300 seconds (5 minutes). If 0, the notification
/// will be attempted to be delivered once and not stored"
/// (<https://www.twilio.com/docs/verify/api/notifications-resource>). A different range from the
/// access token's [`Ttl`](crate::Ttl) (60 to 300), hence a different type.
///
/// ```
/// use std::time::Duration;
/// use verify_push::NotificationTtl;
///
/// assert_eq!(NotificationTtl::default().as_secs(), 300);
/// assert_eq!(NotificationTtl::from_secs(0)?.as_secs(), 0);
/// assert!(NotificationTtl::from_secs(301).is_err());
/// assert!(NotificationTtl::try_from(Duration::from_millis(1500)).is_err());
/// # Ok::<(), verify_push::InvalidInput>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotificationTtl(u16);

impl NotificationTtl {
    /// The longest TTL, and Twilio's default: 300 s.
    pub const MAX: NotificationTtl = NotificationTtl(300);

    /// A TTL of `secs` seconds, checked against 0..=300.
    pub fn from_secs(secs: u64) -> Result<Self, InvalidInput> {
        if secs <= u64::from(Self::MAX.0) {
            Ok(NotificationTtl(secs as u16))
        } else {
            Err(InvalidInput::new(
                "ttl",
                format!("must be whole seconds from 0 to 300, got {secs} s"),
            ))
        }
    }

    /// The TTL in seconds.
    pub fn as_secs(self) -> u64 {
        u64::from(self.0)
    }
}

impl Default for NotificationTtl {
    fn default() -> Self {
        Self::MAX
    }
}

impl TryFrom<Duration> for NotificationTtl {
    type Error = InvalidInput;

    fn try_from(duration: Duration) -> Result<Self, Self::Error> {
        Self::from_secs(super::ttl::whole_seconds(duration, "0 to 300")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_ttl_above_300_is_rejected_naming_the_field_and_rule() {
        let err = NotificationTtl::from_secs(301).unwrap_err();
        assert_eq!(err.field(), "ttl");
        assert!(err.rule().contains("0 to 300"), "{err}");
        assert_eq!(NotificationTtl::from_secs(300).unwrap().as_secs(), 300);
    }

    #[test]
    fn a_fraction_of_a_second_is_refused_with_this_types_range() {
        let err = NotificationTtl::try_from(Duration::from_millis(1500)).unwrap_err();
        assert_eq!(err.field(), "ttl");
        assert!(err.rule().contains("whole seconds from 0 to 300"), "{err}");
        assert_eq!(
            NotificationTtl::try_from(Duration::ZERO).unwrap().as_secs(),
            0
        );
    }
}
