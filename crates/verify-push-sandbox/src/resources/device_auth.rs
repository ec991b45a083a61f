//! How a device authenticates, as the Verify Push SDK does it: HTTP Basic with the username
//! `token` and, as password, either
//!
//! - the enrollment **access token** to create a factor (twilio-verify-android
//!   `verify/src/main/java/com/twilio/verify/api/FactorAPIClient.kt`, `create`:
//!   `BasicAuthorization(AUTHENTICATION_USER, createFactorPayload.accessToken)`), or
//! - a **JWT signed by the factor's key** for everything else (same file, `verify`/`update`/
//!   `delete`, and `api/ChallengeAPIClient.kt`): header `cty: twilio-pba;v=1`, `kid` = the factor's
//!   `config.credential_sid`; claims `sub` = account SID, `nbf` = now, `exp` = now + 10 minutes
//!   (`verify/src/main/java/com/twilio/verify/networking/AuthenticationProvider.kt`).
//!
//! Any failure is Twilio's 401 (20003), which the SDK answers by syncing its clock from the
//! `Date` header and retrying once (`api/BaseAPIClient.kt`).

use chrono::{DateTime, Utc};

use super::http::Reject;
use super::jws;
use super::store::Store;
use crate::auth::{self, Caller};
use crate::state::SharedState;

/// Clock skew allowed on `nbf` and `exp`, in seconds (a sandbox choice).
const SKEW_SECONDS: i64 = 60;
/// `cty` of the SDK's request JWT (`AuthenticationProvider.kt`, `contentType`).
const REQUEST_JWT_CTY: &str = "twilio-pba;v=1";

fn unauthorized() -> Reject {
    Reject::new(auth::challenge())
}

/// Factor creation: the account, or a device with an access token this sandbox issued for this
/// service and identity and that has not expired (its `ttl` after `date_created`, on the sandbox's clock).
pub(crate) fn check_access_token(
    state: &SharedState,
    caller: &Caller,
    service_sid: &str,
    identity: &str,
) -> Result<(), Reject> {
    let Caller::Device(password) = caller else {
        return Ok(());
    };
    let token = state.token_by_value(password).ok_or_else(unauthorized)?;
    let issued = DateTime::parse_from_rfc3339(&token.date_created)
        .map_err(|_| unauthorized())?
        .with_timezone(&Utc);
    let expired = state.now() >= issued + chrono::Duration::seconds(i64::from(token.ttl));
    if token.service_sid != service_sid || token.entity_identity != identity || expired {
        return Err(unauthorized());
    }
    Ok(())
}

/// Any other device call: `None` for the account, or the SID of the factor whose key signed the
/// request JWT. The factor must belong to `identity`. Times are checked on the system clock, not
/// the sandbox's (which tests may advance): the device signs with the real time.
pub(crate) fn authenticate_factor(
    state: &SharedState,
    store: &Store,
    caller: &Caller,
    identity: &str,
) -> Result<Option<String>, Reject> {
    let Caller::Device(password) = caller else {
        return Ok(None);
    };
    let jwt = jws::parse(password).ok_or_else(unauthorized)?;
    if jwt.header_str("cty") != Some(REQUEST_JWT_CTY) {
        return Err(unauthorized());
    }
    let kid = jwt.header_str("kid").ok_or_else(unauthorized)?;
    let factor = store
        .factors
        .iter()
        .find(|f| f.credential_sid == kid && f.identity == identity)
        .ok_or_else(unauthorized)?;
    if !jwt.verify(&factor.public_key) {
        return Err(unauthorized());
    }
    let now = Utc::now().timestamp();
    let claim = |name: &str| jwt.payload.get(name).and_then(serde_json::Value::as_i64);
    let sub_ok = jwt.payload.get("sub").and_then(serde_json::Value::as_str)
        == Some(state.credentials.account_sid.as_str());
    let exp_ok = claim("exp").is_some_and(|exp| exp + SKEW_SECONDS > now);
    let nbf_ok = claim("nbf").is_none_or(|nbf| nbf - SKEW_SECONDS <= now);
    if sub_ok && exp_ok && nbf_ok {
        Ok(Some(factor.sid.clone()))
    } else {
        Err(unauthorized())
    }
}
