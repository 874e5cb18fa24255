//! End-to-end tests of `token-revoke --user`: every personal access token of a user is
//! listed (all pages) and revoked through the usual batches and report; a dry run lists them
//! and revokes nothing; a user whose tokens cannot be listed stops the run first. The service
//! is the generated client's mock (its `mock` feature), which checks every request the
//! binary sends against the spec.

#[allow(dead_code, reason = "the helpers of every test file of the binary")]
mod support;

use serde_json::Value;
use token_administration::mock::{MockServer, ReceivedRequest};
use token_administration::models::{SessionToken, TokenAdminPagedSessionTokens};
use uuid::Uuid;

use support::{HOST, OPERATION, PAT, base64, command, ids, run};

const USER: &str = "aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";
const LIST: &str = "/_apis/tokenadministration/tokenpersonalaccesstokens/aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";

fn page(tokens: &[SessionToken], next: Option<&str>) -> TokenAdminPagedSessionTokens {
    TokenAdminPagedSessionTokens {
        continuation_token: next.map(str::to_owned),
        value: Some(tokens.to_vec()),
    }
}

/// A mock that lists `pats` (a page of two, then the rest) for [`USER`] and revokes for
/// [`HOST`].
async fn user_mock(pats: &[Uuid]) -> MockServer {
    let mock = MockServer::start().await;
    mock.revoke_authorizations()
        .host_id(HOST.parse().unwrap())
        .respond();
    let tokens: Vec<SessionToken> = pats
        .iter()
        .enumerate()
        .map(|(i, id)| SessionToken {
            authorization_id: Some(*id),
            display_name: Some(format!("build pipeline {i}")),
            valid_to: Some("2027-03-01T12:00:00Z".parse().unwrap()),
            is_valid: Some(true),
            ..SessionToken::default()
        })
        .collect();
    let (first, rest) = tokens.split_at(2.min(tokens.len()));
    // In order: the second page by its token, then the first (no token) for what is left.
    mock.list_personal_access_tokens()
        .subject_descriptor(USER)
        .continuation_token("next-page")
        .respond_with(&page(rest, None));
    mock.list_personal_access_tokens()
        .subject_descriptor(USER)
        .respond_with(&page(first, Some("next-page")));
    mock
}

/// The authorization IDs of a revocation.
fn body_ids(request: &ReceivedRequest) -> Vec<Uuid> {
    let body = request.json().expect("a JSON body");
    body["authorizationIds"]
        .as_array()
        .expect("authorizationIds array")
        .iter()
        .map(|v| Uuid::parse_str(v.as_str().expect("string id")).expect("uuid"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_dry_run_lists_every_token_of_the_user_and_revokes_nothing() {
    let pats = ids(3);
    let mock = user_mock(&pats).await;
    let base = mock.url().to_owned();
    let cmd = command(&[
        "--host-id",
        HOST,
        "--base-url",
        &base,
        "--user",
        USER,
        "--dry-run",
    ]);
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for (i, id) in pats.iter().enumerate() {
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(&id.to_string()))
            .unwrap_or_else(|| panic!("{id} not listed:\n{}", out.stdout));
        assert!(line.contains(&format!("build pipeline {i}")), "{line}");
        assert!(line.contains("2027-03-01T12:00:00"), "{line}");
    }
    assert!(
        out.stdout.contains("3 personal access tokens listed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("no revocation is sent"),
        "{}",
        out.stdout
    );
    let received = mock.received();
    assert_eq!(received.len(), 2, "two pages listed");
    assert!(
        received.iter().all(|r| r.path == LIST),
        "a dry run revokes nothing"
    );
    // The listing is authenticated with the environment's credential.
    let basic = format!("Basic {}", base64(format!(":{PAT}").as_bytes()));
    assert!(
        received
            .iter()
            .all(|r| r.header("authorization") == Some(basic.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_run_revokes_every_listed_token_with_the_usual_report() {
    let pats = ids(5);
    let mock = user_mock(&pats).await;
    let base = mock.url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--base-url",
        &base,
        "--user",
        USER,
        "--batch-size",
        "2",
        "--output",
        "json",
    ]);
    cmd.current_dir(dir.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["revoked"], 5);
    assert_eq!(report["batches"].as_array().unwrap().len(), 3);
    let listed: Vec<&str> = report["listed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["authorization_id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = pats.iter().map(Uuid::to_string).collect();
    assert_eq!(listed, expected);
    let mut revoked: Vec<Uuid> = mock
        .received()
        .iter()
        .filter(|r| r.path == OPERATION)
        .flat_map(body_ids)
        .collect();
    revoked.sort();
    let mut want = pats.clone();
    want.sort();
    assert_eq!(revoked, want);
    assert!(!dir.path().join("token-revoke.failed").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_that_cannot_be_listed_stops_before_any_revocation() {
    let mock = MockServer::start().await;
    let revoked = mock.revoke_authorizations().expect(0).respond();
    mock.list_personal_access_tokens()
        .subject_descriptor(USER)
        .respond_error(404, "The user could not be found.");
    let base = mock.url().to_owned();
    let out = run(
        command(&["--host-id", HOST, "--base-url", &base, "--user", USER]),
        None,
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains(USER), "{}", out.stderr);
    assert!(out.stderr.contains("404"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was revoked"), "{}", out.stderr);
    assert!(
        out.stderr.contains("The user could not be found."),
        "{}",
        out.stderr
    );
    assert_eq!(revoked.hits(), 0);
    assert!(mock.received().iter().all(|r| r.path == LIST));

    // Without a credential, even a dry run cannot list: a usage error, nothing sent.
    let mock = user_mock(&ids(1)).await;
    let base = mock.url().to_owned();
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--base-url",
        &base,
        "--user",
        USER,
        "--dry-run",
    ]);
    cmd.env_remove("AZURE_DEVOPS_PAT");
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("--user"), "{}", out.stderr);
    assert!(mock.received().is_empty());

    // --user replaces IDs and --from-file.
    let out = run(
        command(&["--host-id", HOST, "--user", USER, &ids(1)[0].to_string()]),
        None,
    )
    .await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
}
