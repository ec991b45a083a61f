//! `verify-push device …`: a virtual phone on the command line. It enrolls a push factor from
//! the enrollment JSON a backend hands its app (`verify-push token create --enrollment` prints
//! it), lists pending challenges, and approves or denies them, exactly as the Verify Push SDK
//! does (the work is done by `verify_push_sandbox::device::VirtualDevice`).
//!
//! The factors and their private keys live in a state file: `--state PATH`, else
//! `$XDG_DATA_HOME/verify-push/device.json`, else `~/.local/share/verify-push/device.json`.
//! It is written atomically (a temporary file renamed over it) with mode 0600.
//!
//! Base URL: `--base-url`, else the one saved at enrollment, else `https://verify.twilio.com`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use verify_push_sandbox::device::{DeviceError, DeviceFactor, Enrollment, VirtualDevice};

use crate::args::{DeviceArgs, DeviceCommand, GlobalArgs};
use crate::error::CliError;
use crate::output;

/// Twilio's API host, when neither `--base-url` nor the state names one.
const TWILIO_BASE_URL: &str = "https://verify.twilio.com";

/// What the state file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// The base URL the factors were enrolled against.
    base_url: Option<String>,
    factors: Vec<DeviceFactor>,
}

/// Runs a `device` subcommand.
pub async fn run(args: DeviceArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let path = match args.state {
        Some(path) => path,
        None => default_state_path()?,
    };
    let mut state = load(&path)?;
    let base_url = match global.base_url.clone().or_else(|| state.base_url.clone()) {
        Some(url) => url,
        None => TWILIO_BASE_URL.to_owned(),
    };
    check_base_url(&base_url)?;
    let device = VirtualDevice::with_factors(&base_url, state.factors.clone());
    match args.command {
        DeviceCommand::Enroll { file } => {
            let json = match file {
                Some(file) => std::fs::read_to_string(&file)
                    .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?,
                None => {
                    let mut json = String::new();
                    std::io::stdin()
                        .read_to_string(&mut json)
                        .map_err(|e| CliError::Usage(format!("cannot read stdin: {e}")))?;
                    json
                }
            };
            let enrollment = Enrollment::from_json(&json).map_err(device_error)?;
            // Creating and verifying the factor takes a moment against Twilio: say so on a
            // terminal.
            let progress = crate::progress::Progress::start(
                format!(
                    "enrolling a push factor for {}",
                    enrollment.identity.escape_debug()
                ),
                None,
                true,
            );
            let factor = device.enroll(&enrollment).await.map_err(device_error);
            drop(progress);
            let factor = factor?;
            state.base_url = Some(base_url);
            state.factors = device.factors();
            save(&path, &state)?;
            output::print(&format!(
                "factor:   {}\nidentity: {}\nstatus:   verified\nstate:    {}\n",
                factor.sid,
                factor.identity,
                path.display()
            ))
        }
        DeviceCommand::Challenges => {
            if state.factors.is_empty() {
                return Err(CliError::Usage(format!(
                    "no factor enrolled in {}: run `verify-push device enroll` first",
                    path.display()
                )));
            }
            let pending = device.pending_challenges().await.map_err(device_error)?;
            let mut text = String::new();
            if pending.is_empty() {
                text.push_str("No pending challenges.\n");
            }
            for challenge in pending {
                text.push_str(&format!(
                    "{}  (factor {}, expires {})\n  {}\n",
                    challenge.sid,
                    challenge.factor_sid,
                    challenge.expiration_date,
                    challenge.message
                ));
                for (label, value) in challenge.fields {
                    text.push_str(&format!("  {label}: {value}\n"));
                }
            }
            output::print(&text)
        }
        DeviceCommand::Approve { sid } => {
            device.approve(&sid).await.map_err(device_error)?;
            output::print(&format!("approved {sid}\n"))
        }
        DeviceCommand::Deny { sid } => {
            device.deny(&sid).await.map_err(device_error)?;
            output::print(&format!("denied {sid}\n"))
        }
    }
}

fn device_error(error: DeviceError) -> CliError {
    match error {
        DeviceError::InvalidEnrollment(_) | DeviceError::InvalidState(_) => {
            CliError::Usage(error.to_string())
        }
        _ => CliError::Runtime(error.to_string()),
    }
}

/// `https://`, or `http://` to a loopback host (the sandbox): the device sends its credentials
/// there.
fn check_base_url(url: &str) -> Result<(), CliError> {
    if url.starts_with("https://") {
        return Ok(());
    }
    let host = url
        .strip_prefix("http://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default())
        .map(|authority| match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        });
    let loopback = host.is_some_and(|host| {
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    if loopback {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "--base-url must be https://, or http:// to a loopback host such as a sandbox; got {url}"
        )))
    }
}

/// `$XDG_DATA_HOME/verify-push/device.json`, else `$HOME/.local/share/verify-push/device.json`.
fn default_state_path() -> Result<PathBuf, CliError> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local").join("share"))
        })
        .ok_or_else(|| {
            CliError::Usage("neither XDG_DATA_HOME nor HOME is set: pass --state PATH".into())
        })?;
    Ok(data.join("verify-push").join("device.json"))
}

fn load(path: &Path) -> Result<State, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            CliError::Usage(format!(
                "{} is not a device state file: {e}",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(CliError::Runtime(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Writes the state atomically: a temporary file in the same directory, readable by the owner
/// only (it holds private keys), renamed over the old one.
fn save(path: &Path, state: &State) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::Runtime(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let json = serde_json::to_string_pretty(state)
        .map_err(|e| CliError::Runtime(format!("cannot encode the device state: {e}")))?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp{}", std::process::id()));
    let temp = PathBuf::from(temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        use std::io::Write as _;
        let mut file = options.open(&temp)?;
        file.write_all(json.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(e)
    })
}
