//! `verify-push challenge create|fetch|wait`: a login request from the backend's side.
//!
//! `wait` (and `create --wait`) exit 0 when the user approved and
//! [`NOT_APPROVED_EXIT`] when the challenge was denied or expired, so a script can branch on
//! the answer; errors keep their codes (1 Twilio or network, 2 bad input).

use std::collections::BTreeMap;
use std::time::Duration;

use verify_push::challenges::{Challenge, Challenges, Outcome};
use verify_push::{ChallengeSid, FactorSid};

use crate::args::GlobalArgs;
use crate::backend_args::{ChallengeCommand, ChallengeCreateArgs, NOT_APPROVED_EXIT};
use crate::config::{self, Env};
use crate::error::CliError;
use crate::progress::Progress;
use crate::{output, resource_output};

/// Runs a `challenge` subcommand; `Ok` holds the exit code (0, or [`NOT_APPROVED_EXIT`] for a
/// wait that ended without approval).
pub async fn run(
    command: ChallengeCommand,
    global: &GlobalArgs,
    env: &Env,
) -> Result<u8, CliError> {
    let base_url = global.base_url.as_deref();
    match command {
        ChallengeCommand::Create(args) => {
            let target = config::resolve(base_url, args.entity.service.clone(), env).await?;
            let entity = target
                .client
                .service(target.service.as_str())
                .entity(args.entity.identity().as_str());
            let factor = match &args.factor {
                Some(sid) => sid.clone(),
                None => only_verified_factor(&entity).await?,
            };
            let challenges = entity.challenges();
            let challenge = create(&challenges, &factor, &args).await?;
            if args.wait {
                wait(&challenges, challenge, args.timeout, args.output.json).await
            } else {
                print(&challenge, args.output.json)?;
                Ok(0)
            }
        }
        ChallengeCommand::Fetch {
            sid,
            entity,
            output,
        } => {
            let target = config::resolve(base_url, entity.service.clone(), env).await?;
            let challenge = target
                .client
                .service(target.service.as_str())
                .entity(entity.identity().as_str())
                .challenges()
                .fetch(&sid)
                .await
                .map_err(|e| explain_empty_sandbox(e, &target))?;
            print(&challenge, output.json)?;
            Ok(0)
        }
        ChallengeCommand::Wait {
            sid,
            entity,
            wait: wait_args,
            output,
        } => {
            let target = config::resolve(base_url, entity.service.clone(), env).await?;
            let challenges = target
                .client
                .service(target.service.as_str())
                .entity(entity.identity().as_str())
                .challenges();
            // The expiration date, for the time left on a terminal, costs one GET; piped, the
            // wait's own GETs are all there is.
            let waited = if Progress::wanted(output.json) {
                match challenges.fetch(&sid).await {
                    Ok(challenge) => {
                        wait(&challenges, challenge, wait_args.timeout, output.json).await
                    }
                    Err(e) => Err(e.into()),
                }
            } else {
                wait_for(&challenges, &sid, None, wait_args.timeout, output.json).await
            };
            waited.map_err(|e| match e {
                CliError::Verify(e) => explain_empty_sandbox(e, &target),
                other => other,
            })
        }
    }
}

async fn create(
    challenges: &Challenges,
    factor: &FactorSid,
    args: &ChallengeCreateArgs,
) -> Result<Challenge, CliError> {
    let mut request = challenges
        .create(factor)
        .message(args.message.clone())
        .set_fields(args.fields.clone());
    if !args.hidden.is_empty() {
        let hidden: BTreeMap<String, String> = args.hidden.iter().cloned().collect();
        request = request.set_hidden_details(hidden);
    }
    if let Some(secs) = args.expires_in {
        request = request.expires_in(Duration::from_secs(secs));
    }
    Ok(request.send().await?)
}

/// The user's one verified factor. None, or several, is a usage error (no challenge is
/// created): the caller must say which with `--factor`.
async fn only_verified_factor(
    entity: &verify_push::entities::Entity,
) -> Result<FactorSid, CliError> {
    let verified: Vec<FactorSid> = entity
        .factors()
        .list()
        .await?
        .into_iter()
        .filter(|f| f.is_verified())
        .map(|f| f.sid().clone())
        .collect();
    match verified.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(CliError::Usage(format!(
            "identity {} has no verified factor: enroll a phone first (`verify-push device \
             enroll` with a sandbox), or pass --factor YF…",
            entity.identity()
        ))),
        several => Err(CliError::Usage(format!(
            "identity {} has {} verified factors: choose one with --factor YF… \
             (`verify-push factor list` shows them)",
            entity.identity(),
            several.len()
        ))),
    }
}

/// Waits for `challenge` (as last fetched or created), showing the time left on a terminal.
async fn wait(
    challenges: &Challenges,
    challenge: Challenge,
    timeout: Option<u64>,
    json: bool,
) -> Result<u8, CliError> {
    wait_for(
        challenges,
        challenge.sid(),
        challenge.expiration_date(),
        timeout,
        json,
    )
    .await
}

async fn wait_for(
    challenges: &Challenges,
    sid: &ChallengeSid,
    expires: Option<chrono::DateTime<chrono::Utc>>,
    timeout: Option<u64>,
    json: bool,
) -> Result<u8, CliError> {
    let mut request = challenges.wait(sid);
    if let Some(secs) = timeout {
        request = request.timeout(Duration::from_secs(secs));
    }
    let progress = Progress::start(
        format!("waiting for {sid} to be approved or denied on the phone"),
        expires,
        !json,
    );
    let outcome = request.await;
    drop(progress);
    let outcome = outcome?;
    print(outcome.challenge(), json)?;
    Ok(match outcome {
        Outcome::Approved(_) => 0,
        _ => NOT_APPROVED_EXIT,
    })
}

/// A 404 from the in-process sandbox: say why instead of leaving a bare "not found".
fn explain_empty_sandbox(error: verify_push::Error, target: &config::Target) -> CliError {
    if target.is_local_sandbox() && error.status() == Some(404) {
        crate::output::note(
            "verify-push: the local sandbox starts empty for each command, so it has no \
             challenges; run `verify-push sandbox` and point --base-url and the TWILIO_* \
             variables at it to keep them between commands",
        );
    }
    error.into()
}

fn print(challenge: &Challenge, json: bool) -> Result<(), CliError> {
    let text = if json {
        resource_output::json(challenge)?
    } else {
        resource_output::challenge(challenge)
    };
    output::print(&text)
}
