//! End-to-end tests of `token-revoke --user`: every personal access token of a user is
//! listed (all pages) and revoked through the usual batches and report; a dry run lists them
//! and revokes nothing; a user whose tokens cannot be listed stops the run first.

#[allow(dead_code, reason = "the helpers of every test file of the binary")]
mod support;

use serde_json::Value;
use uuid::Uuid;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::{
    HOST, OPERATION, PAT, base64, body_ids, command, ids, requests, run, server_answering,
};

const USER: &str = "aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";
const LIST: &str = "/_apis/tokenadministration/tokenpersonalaccesstokens/aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";

/// A server that lists `pats` (a page of two, then the rest) for [`USER`] and revokes
/// with 204.
async fn user_server(pats: &[Uuid]) -> MockServer {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let token = |(i, id): (usize, &Uuid)| {
        serde_json::json!({
            "authorizationId": id,
            "displayName": format!("build pipeline {i}"),
            "validTo": "2027-03-01T12:00:00Z",
            "isValid": true,
        })
    };
    let all: Vec<Value> = pats.iter().enumerate().map(token).collect();
    let (first, rest) = all.split_at(2.min(all.len()));
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(query_param_is_missing("continuationToken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({ "continuationToken": "next-page", "value": first }),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(query_param("continuationToken", "next-page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "continuationToken": null, "value": rest })),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_dry_run_lists_every_token_of_the_user_and_revokes_nothing() {
    let pats = ids(3);
    let server = user_server(&pats).await;
    let base = server.uri();
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
    let received = requests(&server).await;
    assert_eq!(received.len(), 2, "two pages listed");
    assert!(
        received.iter().all(|r| r.url.path() == LIST),
        "a dry run revokes nothing"
    );
    // The listing is authenticated with the environment's credential.
    let basic = format!("Basic {}", base64(format!(":{PAT}").as_bytes()));
    assert!(
        received
            .iter()
            .all(|r| r.headers.get("authorization").unwrap() == basic.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_run_revokes_every_listed_token_with_the_usual_report() {
    let pats = ids(5);
    let server = user_server(&pats).await;
    let base = server.uri();
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
    let mut revoked: Vec<Uuid> = requests(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == OPERATION)
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
    let server = server_answering(ResponseTemplate::new(204)).await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "message": "The user could not be found.",
            "typeKey": "IdentityNotFoundException",
        })))
        .mount(&server)
        .await;
    let base = server.uri();
    let out = run(
        command(&["--host-id", HOST, "--base-url", &base, "--user", USER]),
        None,
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains(USER), "{}", out.stderr);
    assert!(out.stderr.contains("404"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was revoked"), "{}", out.stderr);
    assert!(requests(&server).await.iter().all(|r| r.url.path() == LIST));

    // Without a credential, even a dry run cannot list: a usage error, nothing sent.
    let server = user_server(&ids(1)).await;
    let base = server.uri();
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
    assert!(requests(&server).await.is_empty());

    // --user replaces IDs and --from-file.
    let out = run(
        command(&["--host-id", HOST, "--user", USER, &ids(1)[0].to_string()]),
        None,
    )
    .await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
}
