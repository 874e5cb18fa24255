//! A mock of the service for the tests of crates that use a generated client (the `mock`
//! feature): a server on 127.0.0.1 that answers with what each expectation says, checks
//! every request it receives against the spec, and fails the test that owns it when a
//! request breaks the spec, matches no expectation, or an expectation is not met as often
//! as it must be.
//!
//! A generated crate's `mock` module wraps it in types of the crate's own: a `MockServer`
//! with a method per operation (named like the client's), whose typed builder matches on
//! the operation's parameters and body and answers with its typed response, an error, a
//! throttle, an example of the spec, a delay or a dropped connection. This module is the
//! machinery underneath, and what those builders hand over to.

pub(crate) mod expectation;
pub(crate) mod request;
pub(crate) mod spec;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use expectation::{Expectation, MockHandle, Response};
pub use request::ReceivedRequest;
pub use spec::{
    BodyCheck, BodySpec, ExampleAnswer, HeaderSpec, OperationSpec, PathPart, QuerySpec, ValueKind,
    check_json, check_json_decodes,
};

use expectation::Expected;

/// A server on 127.0.0.1 that stands in for the service in tests; see the module docs.
///
/// Dropped (at the end of the test that owns it), it panics with a report when anything
/// went wrong, unless the test is panicking already: [`verify`](Self::verify) checks the
/// same at a point of the test's choosing.
pub struct MockServer {
    url: String,
    state: Arc<State>,
    task: JoinHandle<()>,
}

/// What the server and the test share.
struct State {
    operations: Vec<&'static OperationSpec>,
    expectations: Mutex<Vec<Expected>>,
    received: Mutex<Vec<ReceivedRequest>>,
    /// Requests the spec forbids, with why.
    violations: Mutex<Vec<String>>,
    /// Requests no expectation matched, with the closest one and why it did not.
    unmatched: Mutex<Vec<String>>,
}

/// The answer the service would not give: the connection is closed instead.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the mock drops the connection, as it was told to")
    }
}

impl std::error::Error for Dropped {}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MockServer {
    /// Starts a server for the operations of `areas` (a generated crate's tables) on a
    /// free port of 127.0.0.1. Needs a tokio runtime (`#[tokio::test]`).
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be had.
    pub async fn start(areas: &[&'static [&'static OperationSpec]]) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the mock needs a free port on 127.0.0.1");
        let url = format!(
            "http://{}",
            listener.local_addr().expect("the mock's address")
        );
        let state = Arc::new(State {
            operations: areas.iter().flat_map(|ops| ops.iter().copied()).collect(),
            expectations: Mutex::new(Vec::new()),
            received: Mutex::new(Vec::new()),
            violations: Mutex::new(Vec::new()),
            unmatched: Mutex::new(Vec::new()),
        });
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = Arc::clone(&state);
                        async move { state.answer(request).await }
                    });
                    // A connection ends with its client, or dropped on purpose.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        MockServer { url, state, task }
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// An expectation of requests to `operation`, to build and then mount with one of its
    /// `respond…` methods.
    pub fn expect(&self, operation: &'static OperationSpec) -> Expectation<'_> {
        Expectation::new(self, operation)
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        lock(&self.state.received).clone()
    }

    /// What is wrong so far, one line each: requests that break the spec, requests no
    /// expectation matched (with the closest and why it did not match), and expectations
    /// not met as often as they must be. Empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = lock(&self.state.violations)
            .iter()
            .map(|v| format!("a request the spec forbids: {v}"))
            .collect();
        problems.extend(
            lock(&self.state.unmatched)
                .iter()
                .map(|u| format!("a request no expectation matched: {u}")),
        );
        for (i, e) in lock(&self.state.expectations).iter().enumerate() {
            let hits = e.hits.load(Ordering::SeqCst);
            if let Some(n) = e.times
                && hits != n
            {
                problems.push(format!(
                    "the expectation #{} of `{}` was to match {n} request(s), and matched {hits}",
                    i + 1,
                    e.operation.id
                ));
            }
        }
        problems
    }

    /// The problems so far, as [`problems`](Self::problems) gives them, forgetting the
    /// requests among them: for a test that sends a request the spec forbids, or one no
    /// expectation matches, on purpose and checks the report. Expectations not met as often
    /// as they must be are still problems afterwards.
    pub fn take_problems(&self) -> Vec<String> {
        let problems = self.problems();
        lock(&self.state.violations).clear();
        lock(&self.state.unmatched).clear();
        problems
    }

    /// Panics with every problem so far (see [`problems`](Self::problems)), if any.
    ///
    /// # Panics
    ///
    /// When something went wrong.
    pub fn verify(&self) {
        let problems = self.problems();
        if !problems.is_empty() {
            panic!("the mock of the service: {}", problems.join("\n  "));
        }
    }

    /// The operation of the spec with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&'static OperationSpec> {
        self.state.operations.iter().copied().find(|o| o.id == id)
    }

    pub(crate) fn mount(&self, expected: Expected) {
        lock(&self.state.expectations).push(expected);
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .field("operations", &self.state.operations.len())
            .field("expectations", &lock(&self.state.expectations).len())
            .field("received", &lock(&self.state.received).len())
            .finish()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
        if !std::thread::panicking() {
            self.verify();
        }
    }
}

impl State {
    /// The answer to one request.
    async fn answer(
        &self,
        request: hyper::Request<Incoming>,
    ) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
        let (parts, body) = request.into_parts();
        let body = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let headers = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let request = ReceivedRequest::new(parts.method.as_str(), &path_and_query, headers, body);
        lock(&self.received).push(request.clone());
        let found = self.operations.iter().find_map(|op| {
            (op.method.eq_ignore_ascii_case(&request.method))
                .then(|| op.match_path(&request.path).map(|values| (*op, values)))
                .flatten()
        });
        let Some((operation, path_values)) = found else {
            let message = format!(
                "{} is no operation of the spec{}",
                request.line(),
                self.closest_operation(&request)
            );
            lock(&self.violations).push(message.clone());
            return Ok(error(400, &message));
        };
        let problems = operation.check(&request);
        if !problems.is_empty() {
            let message = format!(
                "{} (`{}`): {}",
                request.line(),
                operation.id,
                problems.join("; ")
            );
            lock(&self.violations).push(message.clone());
            return Ok(error(
                400,
                &format!("the request breaks the spec: {message}"),
            ));
        }
        // The first open expectation that matches; else the closest, to say why not.
        let mut closest: Option<(usize, Vec<String>)> = None;
        let answer = {
            let expectations = lock(&self.expectations);
            let mut answer = None;
            for (i, e) in expectations.iter().enumerate() {
                if !e.operation.is(operation) || !e.open() {
                    continue;
                }
                let reasons = e.mismatches(&request, &path_values);
                if reasons.is_empty() {
                    e.hits.fetch_add(1, Ordering::SeqCst);
                    answer = Some((e.response.clone(), e.delay));
                    break;
                }
                if closest
                    .as_ref()
                    .is_none_or(|(_, r)| reasons.len() < r.len())
                {
                    closest = Some((i, reasons));
                }
            }
            answer
        };
        let Some((response, delay)) = answer else {
            let why = match closest {
                Some((i, reasons)) => format!(
                    "; the closest expectation, #{} of `{}`, does not match because {}",
                    i + 1,
                    operation.id,
                    reasons.join(", and ")
                ),
                None => format!(": no open expectation of `{}`", operation.id),
            };
            let message = format!("{}{why}", request.line());
            lock(&self.unmatched).push(message.clone());
            return Ok(error(404, &format!("the mock has no answer: {message}")));
        };
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        if response.drop_connection {
            return Err(Dropped);
        }
        let mut answer = hyper::Response::builder().status(response.status);
        for (name, value) in &response.headers {
            answer = answer.header(name, value);
        }
        Ok(answer
            .body(Full::new(response.body))
            .unwrap_or_else(|_| error(500, "the mock's answer is not a valid response")))
    }

    /// `; the closest is \`Op\` (METHOD template)` for a request to no operation: the one
    /// whose path shares the most segments of text with the request's, wherever they are
    /// (a base URL with a path of its own shifts them all), then the same method, then the
    /// nearest number of segments; the first of equals.
    fn closest_operation(&self, request: &ReceivedRequest) -> String {
        let sent: Vec<&str> = request.path.split('/').filter(|s| !s.is_empty()).collect();
        let score = |op: &OperationSpec| {
            let template = op.template();
            let parts: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
            let shared = parts
                .iter()
                .filter(|p| !p.contains('{') && sent.contains(p))
                .count();
            let method = usize::from(op.method.eq_ignore_ascii_case(&request.method));
            (
                shared,
                method,
                std::cmp::Reverse(parts.len().abs_diff(sent.len())),
            )
        };
        let mut best: Option<(&OperationSpec, _)> = None;
        for op in &self.operations {
            let s = score(op);
            if best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((op, s));
            }
        }
        best.map(|(op, _)| {
            format!(
                "; the closest is `{}` ({} {})",
                op.id,
                op.method,
                op.template()
            )
        })
        .unwrap_or_default()
    }
}

/// An Azure DevOps error answer.
fn error(status: u16, message: &str) -> hyper::Response<Full<Bytes>> {
    let response = Response::error(status, message, "MockException");
    let mut answer = hyper::Response::builder().status(status);
    for (name, value) in &response.headers {
        answer = answer.header(name, value);
    }
    answer
        .body(Full::new(response.body))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}

/// The typed answer of an operation: how a generated mock answers with a value of the
/// operation's output type. Each operation of a generated crate implements it (with its
/// `mock` feature); the status is the one the type stands for (its success status, or
/// the variant's of a response enum).
pub trait MockAnswer: crate::Endpoint {
    /// The operation, as the mock checks requests to it.
    const SPEC: &'static OperationSpec;

    /// The response that the client reads as `value`.
    fn answer(value: &Self::Output) -> Response;
}
