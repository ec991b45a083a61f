//! FetchChallenge, shared by `Challenges::fetch` and the wait loop (which polls it), below both.

use std::future::Future;

use verify_v2::apis::verify_v2_challenge_api as api;

use super::model::Challenge;
use super::operations::FETCH_CHALLENGE;
use crate::call;
use crate::client::Client;
use crate::error::Error;
use crate::scope::EntityPath;
use crate::types::ChallengeSid;

/// The path of one challenge, checked: service SID, identity and challenge SID, borrowed from
/// the handle (nothing copied). The wait loop checks once and polls with it many times.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChallengePath<'a> {
    service_sid: &'a str,
    identity: &'a str,
    sid: &'a str,
}

impl<'a> ChallengePath<'a> {
    /// Checks the entity's path and the challenge SID, naming the first bad field.
    pub(crate) fn check(entity: &'a EntityPath, sid: &'a str) -> Result<Self, Error> {
        let (service_sid, identity) = entity.check()?;
        let sid = ChallengeSid::check_str(sid)?;
        Ok(Self {
            service_sid,
            identity,
            sid,
        })
    }
}

/// Fetches the challenge at `path` (60391 / HTTP 404 when it does not exist).
///
/// Not an `async fn`: it returns the call's own future, so a caller awaits that future
/// directly. A layer of `async fn` around it would be one more state machine, copied in when
/// the caller starts it and its answer (a `Challenge`, 400 bytes) copied out again; in the
/// wait loop those copies were a measurable share of what a poll costs over the generated
/// function (docs/performance.md).
pub(crate) fn fetch<'a>(
    client: &'a Client,
    path: ChallengePath<'a>,
) -> impl Future<Output = Result<Challenge, Error>> + Send + 'a {
    let configuration = &client.inner().configuration;
    call::execute(
        client,
        &FETCH_CHALLENGE,
        move || {
            api::fetch_challenge_request(configuration, path.service_sid, path.identity, path.sid)
        },
        api::fetch_challenge_response,
        Challenge::from_generated,
    )
}
