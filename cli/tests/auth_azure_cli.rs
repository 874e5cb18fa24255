//! End-to-end tests of `token-revoke --auth azure-cli`, with a fake `az` (a `sh` script,
//! so Unix only) alone on the `PATH` of the binary: the token it prints is sent and never
//! shown, a dry run does not run it, and its failure stops the run before anything is sent.
#![cfg(unix)]

#[allow(dead_code, reason = "the helpers of every test file of the binary")]
mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use uuid::Uuid;

use support::{HOST, command, ids, lines, mock_revoking, read_ids, run};

/// Writes an executable fake `az` into `dir`: a `sh` script (shell builtins only) that
/// counts its runs in `dir/runs`, then runs `body`.
fn fake_az(dir: &Path, body: &str) {
    let path = dir.join("az");
    std::fs::write(
        &path,
        format!("#!/bin/sh\necho run >> \"${{0%/*}}/runs\"\n{body}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn az_runs(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("runs")).map_or(0, |text| text.lines().count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_azure_cli_sends_the_token_of_az_once_fetched() {
    const TOKEN: &str = "az-5ecr3t-token-0123456789";
    let mock = mock_revoking(|r| r.respond()).await;
    let bin = tempfile::tempdir().unwrap();
    let expires = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    fake_az(
        bin.path(),
        &format!(r#"printf '%s' '{{"accessToken":"{TOKEN}","expires_on":{expires}}}'"#),
    );
    let all = ids(3);
    let mut args = vec![
        "--auth",
        "azure-cli",
        "--host-id",
        HOST,
        "--batch-size",
        "1",
        "--base-url",
    ];
    let uri = mock.url().to_owned();
    args.push(&uri);
    let id_args: Vec<String> = all.iter().map(Uuid::to_string).collect();
    args.extend(id_args.iter().map(String::as_str));
    let work = tempfile::tempdir().unwrap();

    // A dry run does not run az.
    let mut cmd = command(&args);
    cmd.arg("--dry-run")
        .env("PATH", bin.path())
        .env_remove("AZURE_DEVOPS_PAT")
        .current_dir(work.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("from the Azure CLI"), "{}", out.stdout);
    assert_eq!(az_runs(bin.path()), 0);

    let mut cmd = command(&args);
    cmd.env("PATH", bin.path())
        .env_remove("AZURE_DEVOPS_PAT")
        .current_dir(work.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains(TOKEN), "the token was printed: {text}");
    }
    let received = mock.received();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert_eq!(az_runs(bin.path()), 1, "one token for every batch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_azure_cli_failing_stops_the_run_and_sends_nothing() {
    let mock = mock_revoking(|r| r.respond()).await;
    let bin = tempfile::tempdir().unwrap();
    fake_az(
        bin.path(),
        "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1",
    );
    let work = tempfile::tempdir().unwrap();
    let all = ids(3);
    std::fs::write(work.path().join("ids.txt"), lines(&all)).unwrap();
    let mut cmd = command(&[
        "--auth",
        "azure-cli",
        "--host-id",
        HOST,
        "--from-file",
        "ids.txt",
        "--batch-size",
        "1",
        "--concurrency",
        "1",
        "--output",
        "json",
        "--base-url",
        mock.url(),
    ]);
    cmd.env("PATH", bin.path()).current_dir(work.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("az login"), "{}", out.stderr);
    assert!(mock.received().is_empty());
    assert_eq!(az_runs(bin.path()), 1);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["failed"], 1);
    assert_eq!(report["not_sent"], 2);
    assert!(
        report["stopped"]
            .as_str()
            .unwrap()
            .contains("could not be obtained"),
        "{report}"
    );
    assert_eq!(read_ids(&work.path().join("ids.txt.failed")), all);
}
