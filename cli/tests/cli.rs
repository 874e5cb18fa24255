//! End-to-end tests of the `token-revoke` binary against the service on 127.0.0.1: the
//! generated client's mock, which checks each request against the spec, or a wiremock
//! server where the answer depends on the batch (partial failures) or the path is not the
//! spec's (a base URL with an organization).
//!
//! Every run goes through [`run`], which also checks that neither the credential nor its
//! encoded form ever appears on standard output or standard error. `--auth azure-cli` is in
//! `auth_azure_cli.rs`; the helpers both use are in `support/`.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::process::Command;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_split_and_every_id_is_sent_exactly_once() {
    let mock = mock_revoking(|r| r.respond()).await;
    let dir = tempfile::tempdir().unwrap();
    let all = ids(250);
    std::fs::write(dir.path().join("ids.txt"), lines(&all)).unwrap();

    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--from-file",
        "ids.txt",
        "--batch-size",
        "100",
        "--base-url",
        mock.url(),
    ]);
    cmd.current_dir(dir.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("revoked: 250 IDs in 3 requests"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("failed:  0 IDs"), "{}", out.stdout);

    let received = mock.received();
    let mut sizes: Vec<usize> = received.iter().map(|r| sent_ids(r).len()).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [50, 100, 100]);
    let sent: Vec<Uuid> = received.iter().flat_map(sent_ids).collect();
    let unique: HashSet<Uuid> = sent.iter().copied().collect();
    assert_eq!(sent.len(), 250, "no ID sent twice");
    assert_eq!(unique, all.iter().copied().collect::<HashSet<_>>());
    let auth = format!("Basic {}", base64(format!(":{PAT}").as_bytes()));
    for request in &received {
        let query: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            query,
            [
                ("hostId", HOST),
                ("isPublic", "false"),
                ("api-version", "5.0-preview.1")
            ]
        );
        assert_eq!(request.header("authorization"), Some(auth.as_str()));
    }
    assert!(!dir.path().join("ids.txt.failed").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_are_removed_and_counted() {
    let mock = mock_revoking(|r| r.respond()).await;
    let all = ids(3);
    let (a, b, c) = (all[0].to_string(), all[1].to_string(), all[2].to_string());
    let upper_a = a.to_uppercase();
    let stdin = format!("{b}\n{a}\n{c}\n");
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--from-file",
        "-",
        "--output",
        "json",
        "--base-url",
        mock.url(),
        &upper_a,
        &c,
    ]);
    cmd.current_dir(dir.path());
    let out = run(cmd, Some(&stdin)).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains("read 5 IDs, 2 duplicates removed"),
        "{}",
        out.stderr
    );
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(report["ids_read"], 5);
    assert_eq!(report["duplicates"], 2);
    assert_eq!(report["revoked"], 3);
    assert_eq!(report["skipped"], 2);
    assert_eq!(report["failed"], 0);
    let received = mock.received();
    assert_eq!(received.len(), 1);
    // First-seen order: standard input first, then the arguments.
    assert_eq!(sent_ids(&received[0]), [all[1], all[0], all[2]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_line_stops_everything_before_any_request() {
    let mock = mock_revoking(|r| r.respond()).await;
    let dir = tempfile::tempdir().unwrap();
    let good = ids(3);
    let text = format!(
        "# IDs exported on Monday\n\n{}\nnot-a-uuid\n   \n{}  # the intern's PAT\n{}-extra\n",
        good[0], good[1], good[2]
    );
    std::fs::write(dir.path().join("ids.txt"), text).unwrap();
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--from-file",
        "ids.txt",
        "--base-url",
        mock.url(),
    ]);
    cmd.current_dir(dir.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ids.txt:4: not a UUID: \"not-a-uuid\"\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("ids.txt:7: not a UUID: \"{}-extra\"\n", good[2])),
        "every bad line is reported: {}",
        out.stderr
    );
    assert!(out.stderr.contains("nothing was sent"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(mock.received().is_empty(), "no request may be sent");
    assert!(!dir.path().join("ids.txt.failed").exists());

    // Standard input is named <stdin>; a pasted credential is never echoed back.
    let out = run(
        command(&[
            "--host-id",
            HOST,
            "--from-file",
            "-",
            "--base-url",
            mock.url(),
        ]),
        Some(&format!("{}\n{PAT}\n", good[0])),
    )
    .await;
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("<stdin>:2: not a UUID: <redacted: this line holds the credential>"),
        "{}",
        out.stderr
    );
    assert!(mock.received().is_empty());
}

/// Answers 400 with an Azure DevOps error body to the batch holding `rejected`, 429 then
/// 204 to the batch holding `throttled`, and 204 to every other batch.
struct PerBatch {
    rejected: Uuid,
    throttled: Uuid,
    throttled_once: AtomicBool,
}

impl Respond for PerBatch {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let ids = body_ids(request);
        if ids.contains(&self.rejected) {
            return ResponseTemplate::new(400)
                .insert_header("ActivityId", "0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f")
                .set_body_raw(
                r#"{"$id":"1","innerException":null,"message":"TF400898: The authorization could not be revoked.\nIt belongs to another organization.","typeName":"Microsoft.VisualStudio.Services.TokenAdmin.InvalidAuthorizationException","typeKey":"InvalidAuthorizationException","errorCode":0,"eventId":3000}"#,
                "application/json",
            );
        }
        if ids.contains(&self.throttled) && !self.throttled_once.swap(true, Ordering::SeqCst) {
            return ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .insert_header("X-RateLimit-Delay", "0.05")
                .set_body_raw(
                    r#"{"message":"TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Concurrency'."}"#,
                    "application/json",
                );
        }
        ResponseTemplate::new(204)
    }
}

async fn partial_failure_server(all: &[Uuid]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION))
        .respond_with(PerBatch {
            rejected: all[2],
            throttled: all[6],
            throttled_once: AtomicBool::new(false),
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_failure_gives_summary_exit_code_and_failed_file() {
    let all = ids(10);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ids.txt"), lines(&all)).unwrap();
    let args = |server: &MockServer| {
        let mut cmd = command(&[
            "--host-id",
            HOST,
            "--from-file",
            "ids.txt",
            "--batch-size",
            "2",
            "--concurrency",
            "2",
            "--base-url",
            &server.uri(),
        ]);
        cmd.current_dir(dir.path());
        cmd
    };

    // Text summary.
    let server = partial_failure_server(&all).await;
    let out = run(args(&server), None).await;
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("revoked: 8 IDs in 4 requests"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("failed:  2 IDs"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "2 IDs in batch 2: HTTP 400 Bad Request: TF400898: The authorization could not be \
             revoked. It belongs to another organization. (InvalidAuthorizationException)"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("skipped: 0 IDs"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("IDs not revoked written to ids.txt.failed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("batch 2 (2 IDs) failed: HTTP 400"),
        "{}",
        out.stderr
    );
    assert_eq!(
        read_ids(&dir.path().join("ids.txt.failed")),
        [all[2], all[3]]
    );
    let received = requests(&server).await;
    assert_eq!(received.len(), 6, "5 batches, one retried after 429");
    let throttled = received
        .iter()
        .filter(|r| body_ids(r).contains(&all[6]))
        .count();
    assert_eq!(throttled, 2);

    // JSON report, failed file at an explicit path.
    let server = partial_failure_server(&all).await;
    let mut cmd = args(&server);
    cmd.args(["--output", "json", "--failed-file", "retry.txt"]);
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON report");
    assert_eq!(report["revoked"], 8);
    assert_eq!(report["failed"], 2);
    assert_eq!(report["skipped"], 0);
    assert_eq!(report["not_sent"], 0);
    assert_eq!(report["failed_file"], "retry.txt");
    assert_eq!(report["stopped"], Value::Null);
    let batches = report["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 5);
    let failed: Vec<&Value> = batches
        .iter()
        .filter(|b| b["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["batch"], 2);
    assert_eq!(failed[0]["ids"], 2);
    assert_eq!(failed[0]["status"], 400);
    assert_eq!(failed[0]["type_key"], "InvalidAuthorizationException");
    assert!(
        failed[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("TF400898: The authorization could not be revoked."),
        "{report}"
    );
    // What Microsoft support asks for: the service's activity id, and the ids sent.
    assert_eq!(
        failed[0]["activity_id"],
        "0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f"
    );
    let sent = requests(&server).await;
    let failed_request = sent.iter().find(|r| body_ids(r).contains(&all[2])).unwrap();
    let header = |name: &str| failed_request.headers[name].to_str().unwrap().to_owned();
    assert_eq!(failed[0]["request_id"], header("x-vss-e2eid"));
    assert_eq!(failed[0]["session_id"], header("x-tfs-session"));
    assert_eq!(batches[3]["outcome"], "revoked");
    assert_eq!(batches[3]["status"], 204);
    assert_eq!(read_ids(&dir.path().join("retry.txt")), [all[2], all[3]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_sends_nothing_and_previews_what_a_real_run_sends() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/my-org{OPERATION}")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let all = ids(5);
    let base = format!("{}/my-org", server.uri());
    let mut args: Vec<String> = [
        "--host-id",
        HOST,
        "--public",
        "--audience",
        "my-org",
        "--batch-size",
        "2",
        "--base-url",
        &base,
    ]
    .map(String::from)
    .to_vec();
    args.extend(all.iter().map(Uuid::to_string));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let url = format!("{base}{OPERATION}?hostId={HOST}&isPublic=true&api-version=5.0-preview.1");

    // Text preview, without any credential in the environment.
    let mut cmd = command(&argv);
    cmd.arg("--dry-run").env_remove("AZURE_DEVOPS_PAT");
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout.matches(&format!("POST {url}\n")).count(),
        3,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "{{\"audience\":[\"my-org\"],\"authorizationIds\":[\"{}\",\"{}\"]}}",
            all[0], all[1]
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("no revocation is sent"),
        "{}",
        out.stdout
    );

    // JSON preview with the credential set: still nothing sent, credential not shown.
    let mut cmd = command(&argv);
    cmd.args(["--dry-run", "--output", "json"]);
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let preview: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["skipped"], 5);
    assert!(
        requests(&server).await.is_empty(),
        "a dry run sends nothing"
    );

    // The preview is exactly what a real run sends.
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(&argv);
    cmd.current_dir(dir.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut received: Vec<(String, Value)> = requests(&server)
        .await
        .iter()
        .map(|r| {
            let target = format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default());
            (target, serde_json::from_slice(&r.body).unwrap())
        })
        .collect();
    received.sort_by_key(|(_, body)| body.to_string());
    let mut previewed: Vec<(String, Value)> = preview["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap();
            let target = url
                .strip_prefix(&server.uri())
                .expect("previewed URL is on the server");
            (target.to_owned(), r["body"].clone())
        })
        .collect();
    previewed.sort_by_key(|(_, body)| body.to_string());
    assert_eq!(received, previewed);
    assert_eq!(format!("{}{}", server.uri(), received[0].0), url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_input_and_default_failed_file_in_the_current_directory() {
    let mock = mock_revoking(|r| r.respond_error(400, "TF1: rejected")).await;
    let dir = tempfile::tempdir().unwrap();
    let all = ids(3);
    let stdin = format!("# from a pipe\n{}\n\n{}\n{}\n", all[0], all[1], all[2]);
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--from-file",
        "-",
        "--batch-size",
        "2",
        "--base-url",
        mock.url(),
    ]);
    cmd.current_dir(dir.path());
    let out = run(cmd, Some(&stdin)).await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.contains("failed:  3 IDs"), "{}", out.stdout);
    assert_eq!(
        mock.received().len(),
        2,
        "400 is not retried, nor a reason to stop"
    );
    assert_eq!(read_ids(&dir.path().join("token-revoke.failed")), all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_credential_stops_the_remaining_batches() {
    let mock = mock_revoking(|r| {
        r.respond_error(
            401,
            "TF400813: Resource not available for anonymous access.",
        )
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let all = ids(5);
    std::fs::write(dir.path().join("ids.txt"), lines(&all)).unwrap();
    let mut cmd = command(&[
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
    cmd.current_dir(dir.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(mock.received().len(), 1);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["failed"], 1);
    assert_eq!(report["not_sent"], 4);
    assert_eq!(report["skipped"], 4);
    assert!(
        report["stopped"].as_str().unwrap().contains("HTTP 401"),
        "{report}"
    );
    assert_eq!(read_ids(&dir.path().join("ids.txt.failed")), all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credential_is_a_usage_error_and_sends_nothing() {
    let mock = mock_revoking(|r| r.respond()).await;
    let id = ids(1)[0].to_string();
    let mut cmd = command(&["--host-id", HOST, "--base-url", mock.url(), &id]);
    cmd.env_remove("AZURE_DEVOPS_PAT");
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("AZURE_DEVOPS_PAT"), "{}", out.stderr);
    assert!(mock.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_file_from_an_earlier_run_is_left_alone_on_success() {
    let mock = mock_revoking(|r| r.respond()).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ids.txt"), lines(&ids(2))).unwrap();
    std::fs::write(dir.path().join("ids.txt.failed"), "earlier\n").unwrap();
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--from-file",
        "ids.txt",
        "--base-url",
        mock.url(),
    ]);
    cmd.current_dir(dir.path());
    let out = run(cmd, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("note: ids.txt.failed is from an earlier run"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ids.txt.failed")).unwrap(),
        "earlier\n"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupt_writes_every_unconfirmed_id_to_the_failed_file() {
    let mock = mock_revoking(|r| r.delay(Duration::from_secs(20)).respond()).await;
    let dir = tempfile::tempdir().unwrap();
    let all = ids(3);
    std::fs::write(dir.path().join("ids.txt"), lines(&all)).unwrap();
    let mut cmd = command(&[
        "--host-id",
        HOST,
        "--from-file",
        "ids.txt",
        "--batch-size",
        "1",
        "--concurrency",
        "1",
        "--base-url",
        mock.url(),
    ]);
    cmd.current_dir(dir.path());
    let child = cmd.spawn().unwrap();
    let pid = child.id().unwrap();
    // Wait until the first request is in flight, then press Ctrl-C.
    for _ in 0..100 {
        if !mock.received().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(mock.received().len(), 1);
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let output = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("exits soon after Ctrl-C")
        .unwrap();
    let out = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_no_secret(&out);
    assert_eq!(out.code, Some(130), "{}", out.stderr);
    assert!(
        out.stdout.contains("stopped early: interrupted"),
        "{}",
        out.stdout
    );
    assert_eq!(read_ids(&dir.path().join("ids.txt.failed")), all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_documents_examples_and_exit_codes() {
    let out = run(command(&["--help"]), None).await;
    assert_eq!(out.code, Some(0));
    for needle in [
        "Examples:",
        "Exit status:",
        "--dry-run",
        "--from-file -",
        "AZURE_DEVOPS_PAT",
        "--auth azure-cli",
        "az login",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
    let out = run(command(&["--host-id", "not-a-uuid", "x"]), None).await;
    assert_eq!(out.code, Some(2));
    let out = run(command(&["--host-id", HOST]), None).await;
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("no authorization IDs"),
        "{}",
        out.stderr
    );
}
