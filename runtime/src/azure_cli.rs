//! Tokens from the Azure CLI, for
//! [`Credential::azure_cli`](crate::Credential::azure_cli): `az account
//! get-access-token` for Azure DevOps, run with a time bound, and its JSON
//! output read. No error message holds the output: it is the token.

use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::TimeZone as _;
use serde_json::Value;

use crate::token::AccessToken;

/// The program run: on Windows the CLI is a batch file, which is found on
/// `PATH` only by its full name.
#[cfg(windows)]
pub(crate) const PROGRAM: &str = "az.cmd";
/// The program run, looked up on `PATH`.
#[cfg(not(windows))]
pub(crate) const PROGRAM: &str = "az";

/// The application ID of Azure DevOps in Microsoft Entra ID: the resource
/// whose tokens the service accepts.
pub(crate) const AZURE_DEVOPS_RESOURCE: &str = "499b84ac-1321-427f-aa17-267ca6975798";

/// The arguments given to [`PROGRAM`].
pub(crate) const ARGS: [&str; 6] = [
    "account",
    "get-access-token",
    "--resource",
    AZURE_DEVOPS_RESOURCE,
    "--output",
    "json",
];

/// How long the CLI may take; it is stopped after that. It answers in a
/// second or two, a little more when it must renew its own token.
const TIMEOUT: Duration = Duration::from_secs(30);

/// How many characters of the CLI's standard error an error message keeps.
const STDERR_CHARS: usize = 1000;

/// Runs the Azure CLI and reads the token it prints.
///
/// # Errors
///
/// A message for [`Error::Credential`](crate::Error::Credential): the CLI is
/// not on `PATH`, failed (its exit status and standard error, which tells
/// e.g. to run `az login`), took longer than 30 s, or printed something
/// other than a token.
pub(crate) async fn access_token() -> Result<AccessToken, String> {
    let mut command = tokio::process::Command::new(PROGRAM);
    command
        .args(ARGS)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Dropping the wait (timeout, or the request was abandoned) stops it.
        .kill_on_drop(true);
    let child = command.spawn().map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            String::from(
                "the Azure CLI (az) was not found on PATH; install it \
                 (https://aka.ms/install-azure-cli) and run `az login`, or use another credential",
            )
        } else {
            format!("could not run the Azure CLI (az): {error}")
        }
    })?;
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            format!(
                "the Azure CLI (az account get-access-token) did not answer within {} s and was \
                 stopped",
                TIMEOUT.as_secs()
            )
        })?
        .map_err(|error| format!("could not read the output of the Azure CLI (az): {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "the Azure CLI (az account get-access-token) failed ({}): {}",
            output.status,
            stderr_excerpt(&output.stderr)
        ));
    }
    parse(&output.stdout)
}

/// The CLI's standard error for a message: trimmed, cut at
/// [`STDERR_CHARS`].
fn stderr_excerpt(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    if text.is_empty() {
        return String::from("it printed no message");
    }
    let mut excerpt: String = text.chars().take(STDERR_CHARS).collect();
    if excerpt.len() < text.len() {
        excerpt.push_str("...");
    }
    excerpt
}

/// Reads the JSON the CLI prints: `accessToken`, and the expiry from
/// `expires_on` (Unix seconds, a number or a string; Azure CLI 2.54 and
/// later) or else `expiresOn` (local time `YYYY-MM-DD HH:MM:SS.ffffff`, as
/// older versions print it).
pub(crate) fn parse(stdout: &[u8]) -> Result<AccessToken, String> {
    const WHAT: &str = "the output of the Azure CLI (az account get-access-token)";
    let json: Value = serde_json::from_slice(stdout).map_err(|_| format!("{WHAT} is not JSON"))?;
    let secret = json
        .get("accessToken")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{WHAT} has no accessToken"))?;
    let expires_at = match (json.get("expires_on"), json.get("expiresOn")) {
        (Some(unix), _) => unix_seconds(unix),
        (None, Some(Value::String(local))) => local_time(local),
        (None, _) => None,
    }
    .ok_or_else(|| format!("{WHAT} has no readable expires_on or expiresOn"))?;
    Ok(AccessToken::new(secret, expires_at))
}

/// `expires_on`: whole Unix seconds, as a number or a string.
fn unix_seconds(value: &Value) -> Option<SystemTime> {
    let secs = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// `expiresOn`: a local date and time with optional fractional seconds. Of
/// the two instants a time in a daylight-saving change can mean, the
/// earlier.
fn local_time(text: &str) -> Option<SystemTime> {
    let naive = chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S%.f").ok()?;
    let local = chrono::Local.from_local_datetime(&naive).earliest()?;
    let secs = u64::try_from(local.timestamp()).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}
