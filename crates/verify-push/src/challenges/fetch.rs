//! FetchChallenge, shared by `Challenges::fetch` and the wait loop (which polls it), below both.

use verify_v2::apis::verify_v2_challenge_api as api;

use super::model::Challenge;
use super::operations::FETCH_CHALLENGE;
use crate::call;
use crate::client::Client;
use crate::error::Error;
use crate::scope::EntityPath;
use crate::types::ChallengeSid;

/// Fetches the challenge `sid` of `entity` (60391 / HTTP 404 when it does not exist).
pub(crate) async fn fetch(
    client: &Client,
    entity: &EntityPath,
    sid: &str,
) -> Result<Challenge, Error> {
    let (service_sid, identity) = entity.check()?;
    let sid = ChallengeSid::new(sid)?;
    let configuration = &client.inner().configuration;
    call::execute(
        client,
        &FETCH_CHALLENGE,
        || api::fetch_challenge_request(configuration, service_sid, identity, sid.as_str()),
        api::fetch_challenge_response,
        Challenge::from_generated,
    )
    .await
}
