//! The end-of-run report (text or JSON), the dry-run preview and the failed file.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use token_administration::Client;
use uuid::Uuid;

use crate::runner::{Batch, BatchResult, Outcome, RunResult, Target};
use crate::user::Listed;

/// Failed file used when there is no single input file to put it next to.
pub const FALLBACK_FAILED_FILE: &str = "token-revoke.failed";

/// How many batch numbers a text summary lists per kind of failure.
const LISTED_BATCHES: usize = 10;

/// Everything a run did, as printed by `--output json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Whether this was `--dry-run` (nothing sent).
    pub dry_run: bool,
    /// The `hostId` sent.
    pub host_id: String,
    /// The `isPublic` sent.
    pub is_public: bool,
    /// The audiences sent (empty: none).
    pub audience: Vec<String>,
    /// IDs read from all inputs, duplicates included.
    pub ids_read: usize,
    /// Duplicates removed.
    pub duplicates: usize,
    /// IDs the service confirmed as revoked.
    pub revoked: usize,
    /// IDs of batches the service (or the network) failed.
    pub failed: usize,
    /// IDs not sent or not confirmed (dry run, run stopped early, interrupted).
    pub not_sent: usize,
    /// `duplicates + not_sent`: `revoked + failed + skipped == ids_read`.
    pub skipped: usize,
    /// Why the run stopped before sending everything, if it did.
    pub stopped: Option<String>,
    /// One entry per batch, in order.
    pub batches: Vec<BatchReport>,
    /// The file holding the IDs not revoked, when one was written.
    pub failed_file: Option<String>,
    /// The requests a dry run would send.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<RequestPreview>,
    /// With `--user`: the personal access tokens listed, whose IDs the run revokes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<Listed>,
}

/// One batch in a [`Report`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    /// 1-based batch number.
    pub batch: usize,
    /// IDs in the batch.
    pub ids: usize,
    /// `revoked`, `failed`, `not_sent` or `dry_run`.
    pub outcome: &'static str,
    /// HTTP status of the (last) response: 204 when revoked, `null` if none arrived.
    pub status: Option<u16>,
    /// The client's description of the failure.
    pub error: Option<String>,
    /// The service's message.
    pub message: Option<String>,
    /// The service's error type (`typeKey`).
    pub type_key: Option<String>,
    /// Attempts made, when the request was retried.
    pub attempts: Option<u32>,
    /// The service's `ActivityId` of the (last) request: what Microsoft support asks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// The request's `X-VSS-E2EID`, to find it in the service's logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The run's `X-TFS-Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

/// A request a dry run would send, as the client itself builds it
/// ([`token_administration::RequestPreview`]).
#[derive(Debug, Clone, Serialize)]
pub struct RequestPreview {
    /// The HTTP method.
    pub method: String,
    /// The full URL with its query.
    pub url: String,
    /// The headers, except `Authorization` (never shown).
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: serde_json::Value,
}

impl Report {
    /// A report with the run's common facts and no batches yet.
    pub fn new(target: &Target, ids_read: usize, duplicates: usize, dry_run: bool) -> Report {
        Report {
            dry_run,
            host_id: target.host_id.to_string(),
            is_public: target.is_public,
            audience: target.audience.clone().unwrap_or_default(),
            ids_read,
            duplicates,
            revoked: 0,
            failed: 0,
            not_sent: 0,
            skipped: duplicates,
            stopped: None,
            batches: Vec::new(),
            failed_file: None,
            requests: Vec::new(),
            listed: Vec::new(),
        }
    }

    /// Adds the outcome of every batch of a run.
    pub fn add_run(&mut self, run: &RunResult) {
        self.stopped = run.stop.map(|s| s.to_string());
        for BatchResult { batch, outcome } in &run.results {
            let n = batch.ids.len();
            let mut entry = BatchReport {
                batch: batch.number,
                ids: n,
                outcome: "revoked",
                status: None,
                error: None,
                message: None,
                type_key: None,
                attempts: None,
                activity_id: None,
                request_id: None,
                session_id: None,
            };
            match outcome {
                Outcome::Revoked => {
                    self.revoked += n;
                    entry.status = Some(204);
                }
                Outcome::Failed(failure) => {
                    self.failed += n;
                    entry.outcome = "failed";
                    entry.status = failure.status;
                    entry.error = Some(failure.error.clone());
                    entry.message.clone_from(&failure.message);
                    entry.type_key.clone_from(&failure.type_key);
                    entry.attempts = failure.attempts;
                    entry.activity_id.clone_from(&failure.activity_id);
                    entry.request_id.clone_from(&failure.request_id);
                    entry.session_id.clone_from(&failure.session_id);
                }
                Outcome::NotSent => {
                    self.not_sent += n;
                    entry.outcome = "not_sent";
                }
            }
            self.batches.push(entry);
        }
        self.skipped = self.duplicates + self.not_sent;
    }

    /// Adds the requests a dry run would send.
    pub fn add_dry_run(&mut self, client: &Client, target: &Target, batches: &[Batch]) {
        for batch in batches {
            let body = target.body(&batch.ids);
            let preview = client
                .revoke_authorizations(target.host_id, &body)
                .is_public(target.is_public)
                .preview();
            let error = match preview {
                Ok(p) => {
                    self.requests.push(RequestPreview {
                        method: p.method,
                        url: p.url,
                        headers: p
                            .headers
                            .into_iter()
                            .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization"))
                            .collect(),
                        body: p
                            .body
                            .and_then(|b| serde_json::from_str(&b).ok())
                            .unwrap_or_default(),
                    });
                    None
                }
                Err(e) => Some(e.to_string()),
            };
            self.batches.push(BatchReport {
                batch: batch.number,
                ids: batch.ids.len(),
                outcome: "dry_run",
                status: None,
                error,
                message: None,
                type_key: None,
                attempts: None,
                activity_id: None,
                request_id: None,
                session_id: None,
            });
            self.not_sent += batch.ids.len();
        }
        self.skipped = self.duplicates + self.not_sent;
    }

    /// The report as pretty-printed JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The human-readable summary of a run.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let ids = |n: usize| {
            if n == 1 {
                "1 ID".to_owned()
            } else {
                format!("{n} IDs")
            }
        };
        let revoked_batches = self
            .batches
            .iter()
            .filter(|b| b.outcome == "revoked")
            .count();
        let _ = writeln!(
            out,
            "revoked: {} in {revoked_batches} request{}",
            ids(self.revoked),
            if revoked_batches == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "failed:  {}", ids(self.failed));
        // Group failed batches by error, in order of first appearance.
        let mut groups: Vec<(&str, Vec<&BatchReport>)> = Vec::new();
        for batch in self.batches.iter().filter(|b| b.outcome == "failed") {
            let error = batch.error.as_deref().unwrap_or("unknown error");
            match groups.iter_mut().find(|(e, _)| *e == error) {
                Some((_, list)) => list.push(batch),
                None => groups.push((error, vec![batch])),
            }
        }
        for (error, list) in groups {
            let n: usize = list.iter().map(|b| b.ids).sum();
            let mut numbers: Vec<String> = list
                .iter()
                .take(LISTED_BATCHES)
                .map(|b| b.batch.to_string())
                .collect();
            if list.len() > LISTED_BATCHES {
                numbers.push(format!("... ({} batches)", list.len()));
            }
            let word = if list.len() == 1 { "batch" } else { "batches" };
            let _ = writeln!(
                out,
                "  {} in {word} {}: {error}",
                ids(n),
                numbers.join(", ")
            );
        }
        let mut why = Vec::new();
        if self.duplicates > 0 {
            let s = if self.duplicates == 1 { "" } else { "s" };
            why.push(format!("{} duplicate{s}", self.duplicates));
        }
        if self.not_sent > 0 {
            why.push(format!("{} not sent", self.not_sent));
        }
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(" ({})", why.join(", "))
        };
        let _ = writeln!(out, "skipped: {}{why}", ids(self.skipped));
        if let Some(stopped) = &self.stopped {
            let _ = writeln!(out, "stopped early: {stopped}");
        }
        if let Some(path) = &self.failed_file {
            let _ = writeln!(
                out,
                "IDs not revoked written to {path}; retry them with --from-file {path}"
            );
        }
        out
    }

    /// The dry-run preview as text: each request, then a one-line summary.
    pub fn dry_run_text(&self, authorization: &str) -> String {
        let mut out = String::new();
        if !self.listed.is_empty() {
            let _ = writeln!(
                out,
                "# {} personal access token{} listed, to revoke:\n",
                self.listed.len(),
                if self.listed.len() == 1 { "" } else { "s" }
            );
            let _ = writeln!(
                out,
                "authorization ID                      valid until                display name (user)"
            );
            for token in &self.listed {
                let _ = writeln!(
                    out,
                    "{}  {:<25}  {} ({})",
                    token.authorization_id,
                    token.valid_to.as_deref().unwrap_or("-"),
                    token.display_name.as_deref().unwrap_or("-"),
                    token.user
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "# dry run: no revocation is sent. {} request{} would be sent:",
            self.requests.len(),
            if self.requests.len() == 1 { "" } else { "s" }
        );
        for request in &self.requests {
            let _ = writeln!(out, "\n{} {}", request.method, request.url);
            for (name, value) in &request.headers {
                let _ = writeln!(out, "{name}: {value}");
            }
            let _ = writeln!(out, "authorization: {authorization}");
            let _ = writeln!(out, "\n{}", request.body);
        }
        let _ = writeln!(
            out,
            "\n# would revoke {} unique ID{} ({} read, {} duplicate{} removed)",
            self.not_sent,
            if self.not_sent == 1 { "" } else { "s" },
            self.ids_read,
            self.duplicates,
            if self.duplicates == 1 { "" } else { "s" }
        );
        out
    }
}

/// Where the IDs not revoked go by default: `FILE.failed` next to a single input file,
/// otherwise [`FALLBACK_FAILED_FILE`] in the current directory.
pub fn default_failed_file(from_files: &[OsString]) -> PathBuf {
    match from_files {
        [only] if only != "-" => {
            let mut name = only.clone();
            name.push(".failed");
            PathBuf::from(name)
        }
        _ => PathBuf::from(FALLBACK_FAILED_FILE),
    }
}

/// The IDs of every batch that was not revoked, in batch order.
pub fn unrevoked_ids(run: &RunResult) -> Vec<Uuid> {
    run.results
        .iter()
        .filter(|r| r.outcome != Outcome::Revoked)
        .flat_map(|r| r.batch.ids.iter().copied())
        .collect()
}

/// Writes `ids`, one per line, to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over `path`.
pub fn write_failed_file(path: &Path, ids: &[Uuid]) -> io::Result<()> {
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp_name = OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut text = String::with_capacity(ids.len() * 37);
        for id in ids {
            let _ = writeln!(text, "{id}");
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Failure, Stop};
    use token_administration::Credential;

    fn target() -> Target {
        Target {
            host_id: Uuid::from_u128(7),
            is_public: false,
            audience: None,
        }
    }

    #[test]
    fn failed_file_defaults() {
        assert_eq!(
            default_failed_file(&[OsString::from("dir/ids.txt")]),
            PathBuf::from("dir/ids.txt.failed")
        );
        for inputs in [
            vec![],
            vec![OsString::from("-")],
            vec![OsString::from("a"), OsString::from("b")],
        ] {
            assert_eq!(
                default_failed_file(&inputs),
                PathBuf::from(FALLBACK_FAILED_FILE)
            );
        }
    }

    #[test]
    fn failed_file_is_replaced_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ids.failed");
        fs::write(&path, "old\n").unwrap();
        let ids = [Uuid::from_u128(1), Uuid::from_u128(2)];
        write_failed_file(&path, &ids).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n{}\n", ids[0], ids[1])
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
        assert!(write_failed_file(&dir.path().join("missing/x"), &ids).is_err());
    }

    #[test]
    fn dry_run_previews_come_from_the_client_and_keep_the_base_path() {
        let client = Client::builder(Credential::bearer("x"))
            .base_url("https://example.com/my-org/")
            .unwrap()
            .build()
            .unwrap();
        let mut report = Report::new(&target(), 1, 0, true);
        let batch = Batch {
            number: 1,
            ids: vec![Uuid::from_u128(9)],
        };
        report.add_dry_run(&client, &target(), &[batch]);
        assert_eq!(
            report.requests[0].url,
            "https://example.com/my-org/_apis/tokenadministration/tokenrevocations\
             ?hostId=00000000-0000-0000-0000-000000000007&isPublic=false&api-version=5.0-preview.1"
        );
        let text = report.dry_run_text("<not shown>");
        assert!(text.contains("authorization: <not shown>"), "{text}");
        assert!(!text.contains("Bearer"), "{text}");
    }

    #[test]
    fn counts_add_up() {
        let batch = |number, n: u128| Batch {
            number,
            ids: (0..n)
                .map(|i| Uuid::from_u128(number as u128 * 1000 + i))
                .collect(),
        };
        let failure = Failure {
            status: Some(400),
            error: String::from("HTTP 400 Bad Request: TF1: no (Key)"),
            message: Some(String::from("TF1: no")),
            type_key: Some(String::from("Key")),
            attempts: None,
            activity_id: Some(String::from("0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f")),
            request_id: Some(String::from("r-2")),
            session_id: Some(String::from("s-1")),
        };
        let run = RunResult {
            results: vec![
                BatchResult {
                    batch: batch(1, 3),
                    outcome: Outcome::Revoked,
                },
                BatchResult {
                    batch: batch(2, 2),
                    outcome: Outcome::Failed(failure),
                },
                BatchResult {
                    batch: batch(3, 1),
                    outcome: Outcome::NotSent,
                },
            ],
            stop: Some(Stop::CredentialRejected { status: 401 }),
        };
        let mut report = Report::new(&target(), 8, 2, false);
        report.add_run(&run);
        assert_eq!(
            (
                report.revoked,
                report.failed,
                report.not_sent,
                report.skipped
            ),
            (3, 2, 1, 3)
        );
        assert_eq!(unrevoked_ids(&run).len(), 3);
        let text = report.to_text();
        assert!(text.contains("revoked: 3 IDs in 1 request\n"), "{text}");
        assert!(
            text.contains("  2 IDs in batch 2: HTTP 400 Bad Request: TF1: no (Key)"),
            "{text}"
        );
        assert!(
            text.contains("skipped: 3 IDs (2 duplicates, 1 not sent)"),
            "{text}"
        );
        assert!(
            text.contains("stopped early: the service rejected"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["batches"][1]["status"], 400);
        assert_eq!(
            json["batches"][1]["activity_id"],
            "0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f"
        );
        assert_eq!(json["batches"][1]["request_id"], "r-2");
        assert_eq!(json["batches"][1]["session_id"], "s-1");
        assert!(json["batches"][0].get("activity_id").is_none());
        assert_eq!(json["batches"][2]["outcome"], "not_sent");
        assert!(json.get("requests").is_none());
    }
}
