//! Splitting IDs into batches and sending them with bounded concurrency.
//!
//! Retries (429, 503, transport failures, ...) are the generated client's business: each
//! batch is one `send()`, which comes back revoked or failed for good. The run stops
//! launching new batches when a failure says the others would fail the same way (the
//! credential was rejected or could not be obtained, or the service cannot be reached), or
//! when interrupted.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;

use token_administration::models::TokenAdministrationRevocation;
use token_administration::{Client, Error};
use tokio::task::{JoinError, JoinSet};
use uuid::Uuid;

/// Longest service message kept for a failed batch, in characters.
const MESSAGE_CHARS: usize = 500;

/// Some IDs sent in one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// 1-based position of the batch.
    pub number: usize,
    /// The IDs, in input order.
    pub ids: Vec<Uuid>,
}

/// Splits `ids` into batches of at most `size` (at least 1) IDs, in order.
pub fn split(ids: &[Uuid], size: usize) -> Vec<Batch> {
    ids.chunks(size.max(1))
        .enumerate()
        .map(|(i, chunk)| Batch {
            number: i + 1,
            ids: chunk.to_vec(),
        })
        .collect()
}

/// What every request of a run has in common.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The `hostId` query parameter.
    pub host_id: Uuid,
    /// The `isPublic` query parameter (always sent).
    pub is_public: bool,
    /// The `audience` of the body; `None` sends no audience.
    pub audience: Option<Vec<String>>,
}

impl Target {
    /// The request body for `ids`.
    pub fn body(&self, ids: &[Uuid]) -> TokenAdministrationRevocation {
        TokenAdministrationRevocation {
            audience: self.audience.clone(),
            authorization_ids: ids.to_vec(),
        }
    }
}

/// Why a batch failed, as far as the service and the client said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status of the last response, if one was received.
    pub status: Option<u16>,
    /// The client's description of the error (one line; never the credential).
    pub error: String,
    /// The service's own message (`message` of the Azure DevOps error body).
    pub message: Option<String>,
    /// The service's error type (`typeKey`).
    pub type_key: Option<String>,
    /// Attempts made, when the request was retried.
    pub attempts: Option<u32>,
    /// The service's `ActivityId` of the request: what Microsoft support asks for.
    pub activity_id: Option<String>,
    /// The request's `X-VSS-E2EID`.
    pub request_id: Option<String>,
    /// The run's `X-TFS-Session`.
    pub session_id: Option<String>,
}

impl Failure {
    /// Extracts what a report needs from a client error.
    pub fn from_error(error: &Error) -> Failure {
        let api = error.api_error();
        let ids = error.correlation();
        Failure {
            status: error.status().map(|s| s.as_u16()),
            error: one_line(&error.to_string()),
            message: api.and_then(|a| a.message.as_deref()).map(one_line),
            type_key: api.and_then(|a| a.type_key.as_deref()).map(one_line),
            attempts: error.attempts(),
            activity_id: ids.and_then(|c| c.activity_id.clone()),
            request_id: ids.and_then(|c| c.request_id.clone()),
            session_id: ids.and_then(|c| c.session_id.clone()),
        }
    }
}

/// What happened to a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The service answered 204: every ID of the batch is revoked.
    Revoked,
    /// The request failed for good (after the client's retries).
    Failed(Failure),
    /// The batch was not sent, or its answer never arrived (the run stopped).
    NotSent,
}

/// A batch and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResult {
    /// The batch.
    pub batch: Batch,
    /// What happened to it.
    pub outcome: Outcome,
}

/// Why a run stopped before sending every batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The service rejected the credential or the caller's permission (401, 403, a 203
    /// sign-in page or a redirect): every other batch would fail the same way.
    CredentialRejected {
        /// The status that said so.
        status: u16,
    },
    /// The credential could not be obtained (the Azure CLI failed, say): nothing was sent.
    NoCredential,
    /// The service could not be reached, even after retries.
    Unreachable,
    /// The user interrupted the run (Ctrl-C).
    Interrupted,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::CredentialRejected { status } => write!(
                f,
                "the service rejected the credential or its permissions (HTTP {status})"
            ),
            Stop::NoCredential => f.write_str("the credential could not be obtained"),
            Stop::Unreachable => f.write_str("the service could not be reached"),
            Stop::Interrupted => f.write_str("interrupted"),
        }
    }
}

/// Whether a failure means every other batch would fail the same way.
fn stop_for(error: &Error) -> Option<Stop> {
    match error.status() {
        Some(status) => {
            let code = status.as_u16();
            (code == 401 || code == 403 || code == 203 || status.is_redirection())
                .then_some(Stop::CredentialRejected { status: code })
        }
        None if matches!(error, Error::Credential { .. }) => Some(Stop::NoCredential),
        None => error.is_connect().then_some(Stop::Unreachable),
    }
}

/// The outcome of every batch of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    /// One result per batch, in batch order.
    pub results: Vec<BatchResult>,
    /// Why the run stopped early, if it did.
    pub stop: Option<Stop>,
}

/// Sends `batches` with at most `concurrency` requests in flight.
///
/// `on_done` is called as each batch completes. When `interrupt` completes, requests in
/// flight are abandoned and, like the batches not started, reported as
/// [`Outcome::NotSent`] (revoking twice is harmless, so a re-run may resend them).
pub async fn run(
    client: &Client,
    target: &Target,
    batches: Vec<Batch>,
    concurrency: usize,
    interrupt: impl Future<Output = ()>,
    mut on_done: impl FnMut(&BatchResult),
) -> RunResult {
    let mut batches = Unanswered::new(batches);
    let mut results = Vec::with_capacity(batches.pending.len());
    let mut stop = None;
    let mut interrupt = std::pin::pin!(interrupt);
    loop {
        if stop.is_none() {
            batches.launch(client, target, concurrency);
        }
        if batches.tasks.is_empty() {
            break;
        }
        tokio::select! {
            joined = batches.tasks.join_next_with_id() => {
                let Some(joined) = joined else {
                    break;
                };
                let (id, outcome) = outcome(joined, &mut stop);
                if let Some(batch) = batches.in_flight.remove(&id) {
                    let result = BatchResult { batch, outcome };
                    on_done(&result);
                    results.push(result);
                }
            }
            () = &mut interrupt => {
                stop = Some(Stop::Interrupted);
                batches.tasks.shutdown().await;
                break;
            }
        }
    }
    finish(results, batches, stop)
}

/// The batches of a run that have no outcome yet: those not started and those in flight.
struct Unanswered {
    /// The batches not started, in order.
    pending: VecDeque<Batch>,
    /// The batches sent, by the id of the task that sends each.
    in_flight: HashMap<tokio::task::Id, Batch>,
    /// The tasks sending them, each one `send()`.
    tasks: JoinSet<Result<(), Error>>,
}

impl Unanswered {
    /// Every batch of a run, none started.
    fn new(batches: Vec<Batch>) -> Unanswered {
        Unanswered {
            pending: batches.into(),
            in_flight: HashMap::new(),
            tasks: JoinSet::new(),
        }
    }

    /// Starts pending batches, in order, until `concurrency` (at least 1) are in flight or
    /// none is left.
    fn launch(&mut self, client: &Client, target: &Target, concurrency: usize) {
        while self.tasks.len() < concurrency.max(1) {
            let Some(batch) = self.pending.pop_front() else {
                break;
            };
            let client = client.clone();
            let body = target.body(&batch.ids);
            let (host_id, is_public) = (target.host_id, target.is_public);
            let handle = self.tasks.spawn(async move {
                client
                    .revoke_authorizations(host_id, &body)
                    .is_public(is_public)
                    .send()
                    .await
            });
            self.in_flight.insert(handle.id(), batch);
        }
    }
}

/// The outcome of the batch whose task ended as `joined`, with the task's id. The first
/// failure that says the others would fail the same way sets `stop`.
fn outcome(
    joined: Result<(tokio::task::Id, Result<(), Error>), JoinError>,
    stop: &mut Option<Stop>,
) -> (tokio::task::Id, Outcome) {
    match joined {
        Ok((id, Ok(()))) => (id, Outcome::Revoked),
        Ok((id, Err(error))) => {
            if stop.is_none() {
                *stop = stop_for(&error);
            }
            (id, Outcome::Failed(Failure::from_error(&error)))
        }
        Err(join_error) => (join_error.id(), Outcome::Failed(task_failed())),
    }
}

/// The failure of a batch whose task panicked or was cancelled: a bug, not the service.
fn task_failed() -> Failure {
    Failure {
        status: None,
        error: String::from("internal error: the request task failed"),
        message: None,
        type_key: None,
        attempts: None,
        activity_id: None,
        request_id: None,
        session_id: None,
    }
}

/// The run's result: the batches answered and, as [`Outcome::NotSent`], those still
/// `unanswered`, in batch order. A stop that left nothing unsent is dropped.
fn finish(
    mut results: Vec<BatchResult>,
    unanswered: Unanswered,
    mut stop: Option<Stop>,
) -> RunResult {
    results.extend(
        unanswered
            .in_flight
            .into_values()
            .chain(unanswered.pending)
            .map(|batch| BatchResult {
                batch,
                outcome: Outcome::NotSent,
            }),
    );
    results.sort_by_key(|r| r.batch.number);
    // A stop that left nothing unsent (the last batch failed) changed nothing.
    if stop != Some(Stop::Interrupted) && !results.iter().any(|r| r.outcome == Outcome::NotSent) {
        stop = None;
    }
    RunResult { results, stop }
}

/// Makes text from the service fit on one line of a terminal: control characters and
/// runs of whitespace become one space, and it is cut at 500 characters.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for (count, c) in text.trim().chars().enumerate() {
        if count >= MESSAGE_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_whitespace() || c.is_control() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_order_and_sizes() {
        let ids: Vec<Uuid> = (0..250u128).map(Uuid::from_u128).collect();
        let batches = split(&ids, 100);
        let sizes: Vec<usize> = batches.iter().map(|b| b.ids.len()).collect();
        assert_eq!(sizes, [100, 100, 50]);
        assert_eq!(batches[2].number, 3);
        let flat: Vec<Uuid> = batches.into_iter().flat_map(|b| b.ids).collect();
        assert_eq!(flat, ids);
        assert!(split(&[], 10).is_empty());
        assert_eq!(split(&ids[..3], 0).len(), 3);
    }

    #[test]
    fn one_line_flattens_and_cuts() {
        assert_eq!(one_line(" a\n\tb \x1b[31m c "), "a b [31m c");
        let long = "y".repeat(600);
        assert_eq!(one_line(&long).len(), MESSAGE_CHARS + 3);
    }
}
