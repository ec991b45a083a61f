//! The access token's time to live.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::InvalidInput;

/// How long an enrollment access token stays valid: whole seconds from 60 to 300.
///
/// Source: "Ttl: How long, in seconds, the access token is valid. Can be an integer between 60 and
/// 300. Default is 60." (<https://www.twilio.com/docs/verify/api/access-token>). The spec has no
/// minimum or maximum, so no generated client checks it, and Twilio documents no error code for
/// an out-of-range value: this crate checks before sending.
///
/// ```
/// use std::time::Duration;
/// use verify_push::Ttl;
///
/// let ttl = Ttl::try_from(Duration::from_secs(300))?;
/// assert_eq!(ttl.as_secs(), 300);
/// assert!(Ttl::from_secs(301).is_err());
/// assert!(Ttl::try_from(Duration::from_millis(60_500)).is_err()); // not whole seconds
/// assert_eq!(Ttl::default().as_secs(), 60);
/// # Ok::<(), verify_push::InvalidInput>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ttl(u16);

impl Ttl {
    /// The shortest TTL Twilio accepts, 60 s.
    pub const MIN: Ttl = Ttl(60);
    /// The longest TTL Twilio accepts, 300 s.
    pub const MAX: Ttl = Ttl(300);
    /// Twilio's default when none is sent, 60 s.
    pub const DEFAULT: Ttl = Ttl(60);

    /// A TTL of `secs` seconds, checked against 60..=300.
    pub fn from_secs(secs: u64) -> Result<Self, InvalidInput> {
        if (u64::from(Self::MIN.0)..=u64::from(Self::MAX.0)).contains(&secs) {
            Ok(Ttl(secs as u16))
        } else {
            Err(InvalidInput::new(
                "ttl",
                format!("must be whole seconds from 60 to 300, got {secs} s"),
            ))
        }
    }

    /// The TTL in seconds.
    pub fn as_secs(self) -> u64 {
        u64::from(self.0)
    }

    /// The TTL as a `Duration`.
    pub fn as_duration(self) -> Duration {
        Duration::from_secs(self.as_secs())
    }
}

impl Default for Ttl {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<Duration> for Ttl {
    type Error = InvalidInput;

    fn try_from(duration: Duration) -> Result<Self, Self::Error> {
        Self::from_secs(whole_seconds(duration, "60 to 300")?)
    }
}

/// A `ttl` given as a `Duration`, in whole seconds; `range` is the rule's range for the
/// message. Twilio takes an integer; rounding 60.5 s silently would give a token (or a
/// notification) that lives shorter or longer than the caller asked for.
pub(crate) fn whole_seconds(duration: Duration, range: &str) -> Result<u64, InvalidInput> {
    if duration.subsec_nanos() != 0 {
        return Err(InvalidInput::new(
            "ttl",
            format!(
                "must be whole seconds from {range}, got {:.3} s",
                duration.as_secs_f64()
            ),
        ));
    }
    Ok(duration.as_secs())
}

impl FromStr for Ttl {
    type Err = InvalidInput;

    /// Parses whole seconds, e.g. `"300"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let secs: u64 = s.trim().parse().map_err(|_| {
            InvalidInput::new(
                "ttl",
                format!("must be whole seconds from 60 to 300, got {s:?}"),
            )
        })?;
        Self::from_secs(secs)
    }
}

impl From<Ttl> for Duration {
    fn from(ttl: Ttl) -> Duration {
        ttl.as_duration()
    }
}

impl fmt::Display for Ttl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        assert_eq!(Ttl::from_secs(60).unwrap().as_secs(), 60);
        assert_eq!(Ttl::from_secs(300).unwrap().as_secs(), 300);
    }

    #[test]
    fn ttl_below_60_is_rejected_naming_the_field_and_rule() {
        let err = Ttl::from_secs(59).unwrap_err();
        assert_eq!(err.field(), "ttl");
        assert_eq!(err.rule(), "must be whole seconds from 60 to 300, got 59 s");
    }

    #[test]
    fn ttl_above_300_is_rejected() {
        assert!(Ttl::from_secs(301).is_err());
        assert!(Ttl::from_secs(u64::MAX).is_err());
        assert!(Ttl::try_from(Duration::from_secs(u64::MAX)).is_err());
    }

    #[test]
    fn fractional_seconds_are_rejected() {
        let err = Ttl::try_from(Duration::from_millis(120_250)).unwrap_err();
        assert!(err.rule().contains("120.250 s"), "{err}");
    }

    #[test]
    fn parses_whole_seconds() {
        assert_eq!("120".parse::<Ttl>().unwrap().as_secs(), 120);
        assert!("2m".parse::<Ttl>().is_err());
        assert!("-60".parse::<Ttl>().is_err());
        assert!("".parse::<Ttl>().is_err());
    }

    #[test]
    fn default_is_twilios_60_seconds() {
        assert_eq!(Ttl::default(), Ttl::from_secs(60).unwrap());
    }
}
