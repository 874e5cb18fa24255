//! `Credential::azure_cli` against a fake `az` (a shell script) found on
//! `PATH`, the way the real one is: its arguments, both forms of its output,
//! and its absence, failure or nonsense. Unix only (the fake is a `sh`
//! script).
//!
//! `PATH` is process-global: every test of this binary sets it (to a
//! directory of its own, holding the fake or nothing) and runs while holding
//! [`PATH_LOCK`], and no other test binary shares the process.
#![cfg(unix)]

use std::future::Future;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use token_administration::{Client, Credential, Error, RetryPolicy};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::method};

const TOKEN: &str = "SECRET-AZ-TOKEN-0123456789";

/// Held by every test while `PATH` is its own.
static PATH_LOCK: Mutex<()> = Mutex::new(());

/// Runs `test` with `PATH` set to `dir` alone, one test at a time.
fn with_path<F: Future>(dir: &Path, test: impl FnOnce() -> F) -> F::Output {
    let _lock = PATH_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    // SAFETY: every test of this binary holds PATH_LOCK while it sets or
    // depends on the environment, and starts its runtime only after this; the
    // other threads left running (wiremock's servers) never read the
    // environment.
    unsafe { std::env::set_var("PATH", dir) };
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(test())
}

/// Writes an executable `az` into `dir`: a `sh` script that records its
/// arguments (one per line, in `args`) and each run (a line in `runs`), then
/// runs `body`. It uses shell builtins only: `PATH` holds nothing else.
fn fake_az(dir: &Path, body: &str) {
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"${{0%/*}}/args\"\necho run >> \"${{0%/*}}/runs\"\n{body}\n"
    );
    let path = dir.join("az");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// How many times the fake ran.
fn runs(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("runs"))
        .map(|text| text.lines().count())
        .unwrap_or(0)
}

/// `printf` of `json` on standard output, for a script body.
fn prints(json: &str) -> String {
    format!("printf '%s' '{json}'")
}

fn unix_seconds_in(from_now: Duration) -> u64 {
    (SystemTime::now() + from_now)
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(Credential::azure_cli())
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn revoke(client: &Client) -> Result<(), Error> {
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
}

fn body() -> token_administration::models::TokenAdministrationRevocation {
    token_administration::models::TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(7)],
    }
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// The error of a request that `az` could not serve: a credential error, no
/// token in it, and nothing sent.
async fn credential_error() -> String {
    let server = server().await;
    let err = revoke(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(received(&server).await.is_empty(), "nothing was sent");
    err.to_string()
}

#[test]
fn az_on_path_gives_its_token_for_azure_devops_once_for_many_calls() {
    let dir = tempfile::tempdir().unwrap();
    let expires = unix_seconds_in(Duration::from_secs(3600));
    fake_az(
        dir.path(),
        &prints(&format!(
            r#"{{"accessToken":"{TOKEN}","expiresOn":"2001-01-01 00:00:00.000000","expires_on":{expires},"tokenType":"Bearer"}}"#
        )),
    );
    with_path(dir.path(), || async {
        let server = server().await;
        let client = client(&server);
        assert_eq!(runs(dir.path()), 0, "not run when the client is built");
        client
            .revoke_authorizations(uuid::Uuid::nil(), &body())
            .preview()
            .unwrap();
        assert_eq!(runs(dir.path()), 0, "not run for a preview");
        revoke(&client).await.unwrap();
        revoke(&client).await.unwrap();
        revoke(&client).await.unwrap();
        assert_eq!(runs(dir.path()), 1);
        let requests = received(&server).await;
        assert_eq!(requests.len(), 3);
        for request in &requests {
            assert_eq!(
                request.headers["authorization"].to_str().unwrap(),
                format!("Bearer {TOKEN}")
            );
        }
        assert!(!format!("{client:?}").contains("SECRET"));
    });
    let args = std::fs::read_to_string(dir.path().join("args")).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "account",
            "get-access-token",
            "--resource",
            "499b84ac-1321-427f-aa17-267ca6975798",
            "--output",
            "json"
        ]
    );
}

#[test]
fn expires_on_as_a_string() {
    let dir = tempfile::tempdir().unwrap();
    let expires = unix_seconds_in(Duration::from_secs(3600));
    fake_az(
        dir.path(),
        &prints(&format!(
            r#"{{"accessToken":"{TOKEN}","expires_on":"{expires}"}}"#
        )),
    );
    with_path(dir.path(), || async {
        let server = server().await;
        let client = client(&server);
        revoke(&client).await.unwrap();
        revoke(&client).await.unwrap();
        assert_eq!(runs(dir.path()), 1);
    });
}

/// Older versions print only `expiresOn`, in local time.
#[test]
fn expires_on_in_local_time_from_an_older_az() {
    let dir = tempfile::tempdir().unwrap();
    let in_an_hour = chrono::Local::now() + chrono::TimeDelta::hours(1);
    fake_az(
        dir.path(),
        &prints(&format!(
            r#"{{"accessToken":"{TOKEN}","expiresOn":"{}","subscription":"x","tenant":"y","tokenType":"Bearer"}}"#,
            in_an_hour.format("%Y-%m-%d %H:%M:%S%.6f")
        )),
    );
    with_path(dir.path(), || async {
        let server = server().await;
        let client = client(&server);
        revoke(&client).await.unwrap();
        revoke(&client).await.unwrap();
        assert_eq!(runs(dir.path()), 1, "the token is good for an hour");
        assert_eq!(
            received(&server).await[1].headers["authorization"]
                .to_str()
                .unwrap(),
            format!("Bearer {TOKEN}")
        );
    });
}

#[test]
fn az_missing_from_path() {
    let dir = tempfile::tempdir().unwrap();
    let message = with_path(dir.path(), credential_error);
    assert!(
        message.contains("the Azure CLI (az) was not found on PATH; install it"),
        "{message}"
    );
}

#[test]
fn az_failing_tells_its_message() {
    let dir = tempfile::tempdir().unwrap();
    fake_az(
        dir.path(),
        "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1",
    );
    let message = with_path(dir.path(), credential_error);
    assert!(message.contains("exit status: 1"), "{message}");
    assert!(
        message.ends_with("ERROR: Please run 'az login' to setup account."),
        "{message}"
    );
    assert!(message.contains("the Azure CLI"), "{message}");
}

#[test]
fn az_printing_something_else() {
    let dir = tempfile::tempdir().unwrap();
    fake_az(dir.path(), &prints(&format!("{TOKEN} is not JSON")));
    let message = with_path(dir.path(), credential_error);
    assert!(
        message.contains("az account get-access-token) is not JSON"),
        "{message}"
    );
    fake_az(
        dir.path(),
        &prints(&format!(r#"{{"accessToken":"{TOKEN}"}}"#)),
    );
    let message = with_path(dir.path(), credential_error);
    assert!(
        message.contains("has no readable expires_on or expiresOn"),
        "{message}"
    );
}
