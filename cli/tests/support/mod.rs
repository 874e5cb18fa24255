//! What the end-to-end tests of the `token-revoke` binary share: running it (and checking
//! that neither the credential nor its encoded form ever appears on standard output or
//! standard error), IDs, and the service on 127.0.0.1: the generated client's mock, which
//! checks every request the binary sends against the spec, or for the few tests whose
//! answers depend on what each request holds, a wiremock server.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use token_administration::mock::{MockHandle, ReceivedRequest, RevokeAuthorizationsMock};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use uuid::Uuid;
use wiremock::{MockServer, Request};

pub const PAT: &str = "pat-5ecr3t-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
pub const HOST: &str = "8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f";
pub const OPERATION: &str = "/_apis/tokenadministration/tokenrevocations";

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The binary with `args`, the known PAT as credential and no bearer token.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_token-revoke"));
    cmd.args(args)
        .env("AZURE_DEVOPS_PAT", PAT)
        .env_remove("AZURE_DEVOPS_BEARER_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

/// Runs `cmd` (feeding `stdin` if given) and checks that no secret was printed.
pub async fn run(mut cmd: Command, stdin: Option<&str>) -> Run {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("start token-revoke");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(text.as_bytes()).await.expect("write stdin");
        drop(pipe);
    }
    let output = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("token-revoke did not finish in 30 s")
        .expect("wait for token-revoke");
    let result = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_no_secret(&result);
    result
}

pub fn assert_no_secret(run: &Run) {
    let encoded = base64(format!(":{PAT}").as_bytes());
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        for secret in [PAT, encoded.as_str(), &PAT[4..20]] {
            assert!(
                !text.contains(secret),
                "{name} contains the credential ({secret}):\n{text}"
            );
        }
    }
}

/// Standard base64 with padding (what HTTP Basic uses).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `n` distinct, recognisable IDs.
pub fn ids(n: usize) -> Vec<Uuid> {
    (0..n as u128)
        .map(|i| Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 + i))
        .collect()
}

pub fn lines(ids: &[Uuid]) -> String {
    ids.iter().map(|id| format!("{id}\n")).collect()
}

/// The service, as the client's mock: revocations for [`HOST`] answered as `answer` says.
pub async fn mock_revoking(
    answer: impl FnOnce(RevokeAuthorizationsMock<'_>) -> MockHandle,
) -> token_administration::mock::MockServer {
    let mock = token_administration::mock::MockServer::start().await;
    answer(
        mock.revoke_authorizations()
            .host_id(HOST.parse().expect("a uuid")),
    );
    mock
}

/// The authorization IDs in a revocation the mock received.
pub fn sent_ids(request: &ReceivedRequest) -> Vec<Uuid> {
    ids_of(&request.body)
}

/// The authorization IDs in a request body.
pub fn body_ids(request: &Request) -> Vec<Uuid> {
    ids_of(&request.body)
}

fn ids_of(body: &[u8]) -> Vec<Uuid> {
    let body: Value = serde_json::from_slice(body).expect("JSON body");
    body["authorizationIds"]
        .as_array()
        .expect("authorizationIds array")
        .iter()
        .map(|v| Uuid::parse_str(v.as_str().expect("string id")).expect("uuid"))
        .collect()
}

pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

pub fn read_ids(file: &Path) -> Vec<Uuid> {
    std::fs::read_to_string(file)
        .expect("read failed file")
        .lines()
        .map(|l| Uuid::parse_str(l).expect("failed file holds UUIDs only"))
        .collect()
}
