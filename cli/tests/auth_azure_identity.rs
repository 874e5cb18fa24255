//! End-to-end tests of `token-revoke --auth azure-identity`: the `azure_identity` library's
//! managed identity, against a fake of the App Service identity endpoint on 127.0.0.1 (the
//! `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` the platform sets): its token is sent to the
//! service and never shown; a missing variable is a usage error before anything is sent.

#[allow(dead_code, reason = "the helpers of every test file of the binary")]
mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::{HOST, command, ids, mock_revoking, run};

const TOKEN: &str = "entra-5ecr3t-0123456789abcdef";

/// A fake App Service managed identity endpoint: a token for Azure DevOps, given the
/// platform's secret header.
async fn identity_endpoint() -> MockServer {
    let server = MockServer::start().await;
    let expires = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    Mock::given(method("GET"))
        .and(path("/msi/token"))
        .and(query_param(
            "resource",
            "499b84ac-1321-427f-aa17-267ca6975798",
        ))
        .and(header("x-identity-header", "platform-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN,
            "expires_on": expires.to_string(),
            "resource": "499b84ac-1321-427f-aa17-267ca6975798",
            "token_type": "Bearer",
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_identity_s_token_is_sent_and_never_shown() {
    let identity = identity_endpoint().await;
    let mock = mock_revoking(|r| r.expect(2).respond()).await;
    let all = ids(2);
    let id_args: Vec<String> = all.iter().map(ToString::to_string).collect();
    let mut args = vec![
        "--auth",
        "azure-identity",
        "--identity",
        "managed",
        "--host-id",
        HOST,
        "--batch-size",
        "1",
        "--base-url",
        mock.url(),
    ];
    args.extend(id_args.iter().map(String::as_str));
    let mut cmd = command(&args);
    cmd.env_remove("AZURE_DEVOPS_PAT")
        .env_remove("AZURE_CLIENT_ID")
        .env("IDENTITY_ENDPOINT", format!("{}/msi/token", identity.uri()))
        .env("IDENTITY_HEADER", "platform-secret");
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains(TOKEN), "the token was printed: {text}");
    }
    let received = mock.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert_eq!(
        identity.received_requests().await.unwrap().len(),
        1,
        "one token for every batch"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identity_missing_its_variables_is_a_usage_error_and_a_dry_run_needs_none() {
    let mock = mock_revoking(|r| r.respond()).await;
    let id = ids(1)[0].to_string();
    let args = [
        "--auth",
        "azure-identity",
        "--identity",
        "client-secret",
        "--host-id",
        HOST,
        "--base-url",
        mock.url(),
        &id,
    ];
    let mut cmd = command(&args);
    cmd.env_remove("AZURE_TENANT_ID")
        .env_remove("AZURE_CLIENT_ID")
        .env_remove("AZURE_CLIENT_SECRET");
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--identity client-secret needs the environment variable AZURE_TENANT_ID"),
        "{}",
        out.stderr
    );

    let mut cmd = command(&args);
    cmd.arg("--dry-run")
        .env_remove("AZURE_TENANT_ID")
        .env_remove("AZURE_CLIENT_ID")
        .env_remove("AZURE_CLIENT_SECRET");
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(mock.received().is_empty());
}
