//! The enrollment data a backend hands its app: `{token, serviceSid, identity, factorType}`,
//! the JSON of Twilio's sample backend and of `verify-push token create --enrollment`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DeviceError;

/// What a device needs to enroll: an access token for an identity of a Verify service.
///
/// `Debug` redacts the token.
///
/// # Examples
///
/// ```
/// use verify_push_sandbox::device::Enrollment;
///
/// let enrollment = Enrollment::from_json(
///     r#"{"token":"eyJ…","serviceSid":"VA00000000000000000000000000000001","identity":"user-0001","factorType":"push"}"#,
/// )?;
/// assert_eq!(enrollment.identity, "user-0001");
/// assert!(!format!("{enrollment:?}").contains("eyJ"));
/// # Ok::<(), verify_push_sandbox::device::DeviceError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Enrollment {
    /// The access token (Basic password of the factor creation).
    pub token: String,
    /// The Verify service SID (`VA…`). Also read as `service_sid`.
    #[serde(alias = "service_sid")]
    pub service_sid: String,
    /// The entity identity the token was issued for. Also read as `entity_identity` or
    /// `entityIdentity`, so the access-token resource as twilio-python or twilio-node returns
    /// it can be handed over as is.
    #[serde(alias = "entity_identity", alias = "entityIdentity")]
    pub identity: String,
    /// Must be `push`. Also read as `factor_type`.
    #[serde(alias = "factor_type")]
    pub factor_type: String,
}

impl Enrollment {
    /// Builds one from its parts.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::device::Enrollment;
    /// let enrollment = Enrollment::new("token", "VA00000000000000000000000000000001", "user-0001");
    /// assert_eq!(enrollment.factor_type, "push");
    /// ```
    pub fn new(
        token: impl Into<String>,
        service_sid: impl Into<String>,
        identity: impl Into<String>,
    ) -> Self {
        Self {
            token: token.into(),
            service_sid: service_sid.into(),
            identity: identity.into(),
            factor_type: "push".to_owned(),
        }
    }

    /// Parses the JSON `{token, serviceSid, identity, factorType}`, or the access-token
    /// resource itself in snake_case (`service_sid`, `entity_identity`, `factor_type`) or
    /// camelCase (`serviceSid`, `entityIdentity`, `factorType`); other fields are ignored.
    ///
    /// # Errors
    ///
    /// [`DeviceError::InvalidEnrollment`] naming what is missing or wrong.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::device::Enrollment;
    /// assert!(Enrollment::from_json(r#"{"token":"t"}"#).is_err());
    /// let snake = Enrollment::from_json(
    ///     r#"{"sid":"YK1","token":"t","service_sid":"VA1","entity_identity":"u","factor_type":"push"}"#,
    /// )?;
    /// assert_eq!(snake.identity, "u");
    /// # Ok::<(), verify_push_sandbox::device::DeviceError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, DeviceError> {
        let enrollment: Enrollment = serde_json::from_str(json).map_err(|error| {
            DeviceError::InvalidEnrollment(format!(
                "expected JSON {{\"token\", \"serviceSid\", \"identity\", \"factorType\"}}: {error}"
            ))
        })?;
        enrollment.check()?;
        Ok(enrollment)
    }

    pub(crate) fn check(&self) -> Result<(), DeviceError> {
        if self.factor_type != "push" {
            return Err(DeviceError::InvalidEnrollment(format!(
                "factorType must be \"push\", got {:?}",
                self.factor_type
            )));
        }
        for (name, value) in [
            ("token", &self.token),
            ("serviceSid", &self.service_sid),
            ("identity", &self.identity),
        ] {
            if value.is_empty() {
                return Err(DeviceError::InvalidEnrollment(format!(
                    "{name} must not be empty"
                )));
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enrollment")
            .field("token", &"[REDACTED]")
            .field("service_sid", &self.service_sid)
            .field("identity", &self.identity)
            .field("factor_type", &self.factor_type)
            .finish()
    }
}
