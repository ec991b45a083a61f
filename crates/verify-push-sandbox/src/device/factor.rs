//! A factor as the device keeps it: the identifiers the SDK stores
//! (twilio-verify-android `domain/factor/FactorMapper.kt`, `toJSON`) and the private key.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::DeviceError;
use super::key::DeviceKey;

/// How long a request JWT is valid (`networking/AuthenticationProvider.kt`, `jwtValidFor = 10`
/// minutes).
const REQUEST_JWT_LIFETIME_SECONDS: i64 = 10 * 60;

/// A push factor this device enrolled, with its private key. Serializes (key included) for the
/// CLI's state file; `Debug` redacts the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeviceFactor {
    /// `YF…`
    pub sid: String,
    /// The account SID from the factor resource (the JWT's `sub`).
    pub account_sid: String,
    /// `VA…`
    pub service_sid: String,
    /// The entity identity.
    pub identity: String,
    /// `config.credential_sid`, the `kid` of the device's request JWTs.
    pub credential_sid: String,
    /// The factor's friendly name.
    pub friendly_name: String,
    /// The P-256 private scalar, base64.
    pub(crate) private_key: String,
}

impl DeviceFactor {
    pub(crate) fn key(&self) -> Result<DeviceKey, DeviceError> {
        DeviceKey::from_base64(&self.private_key)
    }

    /// The Basic password of a device request: a JWT with `cty: twilio-pba;v=1`,
    /// `kid` = credential SID, `sub` = account SID, `nbf` = now, `exp` = now + 10 min
    /// (`networking/AuthenticationProvider.kt`).
    pub(crate) fn request_jwt(&self) -> Result<String, DeviceError> {
        let now = chrono::Utc::now().timestamp();
        let mut header = Map::new();
        header.insert("cty".into(), "twilio-pba;v=1".into());
        header.insert("kid".into(), self.credential_sid.clone().into());
        let mut payload = Map::new();
        payload.insert("sub".into(), self.account_sid.clone().into());
        payload.insert(
            "exp".into(),
            Value::from(now + REQUEST_JWT_LIFETIME_SECONDS),
        );
        payload.insert("nbf".into(), Value::from(now));
        Ok(self.key()?.sign_jwt(header, &payload))
    }
}

impl fmt::Debug for DeviceFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceFactor")
            .field("sid", &self.sid)
            .field("account_sid", &self.account_sid)
            .field("service_sid", &self.service_sid)
            .field("identity", &self.identity)
            .field("credential_sid", &self.credential_sid)
            .field("friendly_name", &self.friendly_name)
            .field("private_key", &"[REDACTED]")
            .finish()
    }
}
