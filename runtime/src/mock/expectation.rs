//! Expectations: which requests to one operation they match (by the wire text of typed
//! values, and the body as JSON), how they are answered, and how often they must be met.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;

use super::MockServer;
use super::request::ReceivedRequest;
use super::spec::OperationSpec;
use crate::params::Param;

/// A request to one operation that the mock expects: built by the generated crate's
/// typed builder of the operation, then mounted by one of its `respond…` methods.
#[must_use = "an expectation does nothing until it is given a response"]
pub struct Expectation<'a> {
    server: &'a MockServer,
    spec: Expected,
}

/// What an expectation holds, once mounted.
pub(crate) struct Expected {
    pub(crate) operation: &'static OperationSpec,
    matchers: Vec<Matcher>,
    /// How many requests it must match, when that is checked.
    pub(crate) times: Option<u64>,
    /// How many requests it matches at most; after that, later expectations match.
    pub(crate) up_to: Option<u64>,
    pub(crate) delay: Option<Duration>,
    pub(crate) response: Response,
    pub(crate) hits: Arc<AtomicU64>,
}

enum Matcher {
    PathParam(&'static str, String),
    Query(&'static str, Vec<String>),
    Header(&'static str, Vec<String>),
    Json(serde_json::Value),
    Bytes(Bytes),
    Predicate(String, Box<dyn Fn(&ReceivedRequest) -> bool + Send + Sync>),
}

impl<'a> Expectation<'a> {
    pub(crate) fn new(server: &'a MockServer, operation: &'static OperationSpec) -> Self {
        Expectation {
            server,
            spec: Expected {
                operation,
                matchers: Vec::new(),
                times: None,
                up_to: None,
                delay: None,
                response: Response::status(200),
                hits: Arc::new(AtomicU64::new(0)),
            },
        }
    }

    /// Matches only requests whose path parameter `name` is `value` (its wire text).
    pub fn path_param(mut self, name: &'static str, value: &impl Param) -> Self {
        let mut text = String::new();
        value.each(&mut |v| text.push_str(v));
        self.spec.matchers.push(Matcher::PathParam(name, text));
        self
    }

    /// Matches only requests whose query parameter `name` has exactly the values of
    /// `value` (none for an unset option).
    pub fn query(mut self, name: &'static str, value: &impl Param) -> Self {
        let mut values = Vec::new();
        value.each(&mut |v| values.push(v.to_owned()));
        self.spec.matchers.push(Matcher::Query(name, values));
        self
    }

    /// Matches only requests whose header `name` has exactly the values of `value`.
    pub fn header(mut self, name: &'static str, value: &impl Param) -> Self {
        let mut values = Vec::new();
        value.each(&mut |v| values.push(v.to_owned()));
        self.spec.matchers.push(Matcher::Header(name, values));
        self
    }

    /// Matches only requests whose body, as JSON, equals `body` as the client writes it.
    pub fn json_body<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        let value = serde_json::to_value(body).unwrap_or(serde_json::Value::Null);
        self.spec.matchers.push(Matcher::Json(value));
        self
    }

    /// Matches only requests whose body is `body`, byte for byte.
    pub fn bytes_body(mut self, body: impl Into<Bytes>) -> Self {
        self.spec.matchers.push(Matcher::Bytes(body.into()));
        self
    }

    /// Matches only requests for which `predicate` holds; `what` says what it asks, for
    /// the report of a request that does not match.
    pub fn matching(
        mut self,
        what: impl Into<String>,
        predicate: impl Fn(&ReceivedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.spec
            .matchers
            .push(Matcher::Predicate(what.into(), Box::new(predicate)));
        self
    }

    /// Must match exactly `n` requests: checked when the server is verified (or dropped).
    pub fn expect(mut self, n: u64) -> Self {
        self.spec.times = Some(n);
        self
    }

    /// Matches `n` requests at most; later ones go to the expectations mounted after it
    /// (a `429` first, then a success).
    pub fn up_to(mut self, n: u64) -> Self {
        self.spec.up_to = Some(n);
        self
    }

    /// Waits `delay` before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.spec.delay = Some(delay);
        self
    }

    /// The operation the expectation is of.
    pub fn operation(&self) -> &'static OperationSpec {
        self.spec.operation
    }

    /// Mounts the expectation, answering with `response`.
    pub fn respond(mut self, response: Response) -> MockHandle {
        self.spec.response = response;
        let handle = MockHandle {
            operation: self.spec.operation.id,
            hits: Arc::clone(&self.spec.hits),
        };
        self.server.mount(self.spec);
        handle
    }
}

impl Expected {
    /// Why `request` (a request to this expectation's operation, with its path's
    /// parameter values) does not match: one reason per matcher it fails.
    pub(crate) fn mismatches(
        &self,
        request: &ReceivedRequest,
        path_values: &[(&'static str, String)],
    ) -> Vec<String> {
        let mut reasons = Vec::new();
        for m in &self.matchers {
            match m {
                Matcher::PathParam(name, expected) => {
                    let got = path_values.iter().find(|(n, _)| n == name).map(|(_, v)| v);
                    if got != Some(expected) {
                        reasons.push(format!(
                            "the path parameter `{name}` is `{}`, expected `{expected}`",
                            got.map_or("", String::as_str)
                        ));
                    }
                }
                Matcher::Query(name, expected) => {
                    let got = request.query_values(name);
                    if got != *expected {
                        reasons.push(format!(
                            "the query parameter `{name}` is {}, expected {}",
                            shown(&got),
                            shown(&expected.iter().map(String::as_str).collect::<Vec<_>>())
                        ));
                    }
                }
                Matcher::Header(name, expected) => {
                    let got: Vec<&str> = request
                        .headers
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.as_str())
                        .collect();
                    if got != *expected {
                        reasons.push(format!(
                            "the header `{name}` is {}, expected {}",
                            shown(&got),
                            shown(&expected.iter().map(String::as_str).collect::<Vec<_>>())
                        ));
                    }
                }
                Matcher::Json(expected) => match request.json() {
                    Some(got) if got == *expected => {}
                    Some(got) => reasons.push(format!(
                        "the body differs {}",
                        first_difference("", expected, &got)
                    )),
                    None => reasons.push("the body is not JSON".to_owned()),
                },
                Matcher::Bytes(expected) => {
                    if request.body != *expected {
                        reasons.push(format!(
                            "the body is {} bytes that differ from the {} expected",
                            request.body.len(),
                            expected.len()
                        ));
                    }
                }
                Matcher::Predicate(what, predicate) => {
                    if !predicate(request) {
                        reasons.push(format!("it is not {what}"));
                    }
                }
            }
        }
        reasons
    }

    /// Whether it may match one more request.
    pub(crate) fn open(&self) -> bool {
        self.up_to
            .is_none_or(|n| self.hits.load(Ordering::SeqCst) < n)
    }
}

/// `absent`, `` `a` ``, or `` [`a`, `b`] ``.
fn shown(values: &[&str]) -> String {
    match values {
        [] => "absent".to_owned(),
        [one] => format!("`{one}`"),
        many => format!(
            "[{}]",
            many.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Where two JSON values first differ, as jq would point there: `at .a.b[2]: expected 1,
/// got 2`, `at .[0]`, `at .` for the whole value.
pub(crate) fn first_difference(
    at: &str,
    expected: &serde_json::Value,
    got: &serde_json::Value,
) -> String {
    use serde_json::Value;
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            for (key, value) in e {
                match g.get(key) {
                    Some(other) if other == value => {}
                    Some(other) => return first_difference(&format!("{at}.{key}"), value, other),
                    None => return format!("at {at}.{key}: expected {value}, absent"),
                }
            }
            match g.iter().find(|(k, _)| !e.contains_key(*k)) {
                Some((key, value)) => format!("at {at}.{key}: not expected, got {value}"),
                None => format!("at {}", if at.is_empty() { "." } else { at }),
            }
        }
        (Value::Array(e), Value::Array(g)) if e.len() == g.len() => {
            for (i, (a, b)) in e.iter().zip(g).enumerate() {
                if a != b {
                    let at = if at.is_empty() { "." } else { at };
                    return first_difference(&format!("{at}[{i}]"), a, b);
                }
            }
            format!("at {}", if at.is_empty() { "." } else { at })
        }
        _ => format!(
            "at {}: expected {expected}, got {got}",
            if at.is_empty() { "." } else { at }
        ),
    }
}

/// How a mounted expectation answers.
#[derive(Clone)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
    /// Close the connection without an answer.
    pub(crate) drop_connection: bool,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("drop_connection", &self.drop_connection)
            .finish()
    }
}

impl Response {
    /// `status`, without a body.
    pub fn status(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            drop_connection: false,
        }
    }

    /// `status` with `value` as JSON.
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Response {
        Response::json_as(status, "application/json", value)
    }

    /// `status` with `value` as JSON, sent as `content_type` (a JSON media type such as
    /// `application/json-patch+json`).
    pub fn json_as<T: serde::Serialize + ?Sized>(
        status: u16,
        content_type: &str,
        value: &T,
    ) -> Response {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Response::status(status).with_body(content_type, body)
    }

    /// `status` with the collection `value` (a list or a map of `count` entries) as
    /// Azure DevOps sends one: `{"count": count, "value": value}` (a client reads that as
    /// the collection itself).
    pub fn collection<T: serde::Serialize + ?Sized>(
        status: u16,
        count: usize,
        value: &T,
    ) -> Response {
        Response::json(
            status,
            &serde_json::json!({ "count": count, "value": value }),
        )
    }

    /// `status` with `body` as `content_type`.
    pub fn with_body(mut self, content_type: &str, body: impl Into<Bytes>) -> Response {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        self.headers
            .push(("content-type".to_owned(), content_type.to_owned()));
        self.body = body.into();
        self
    }

    /// With the header `name: value` too.
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `status` with an Azure DevOps error body (`{"$id": "1", "message": …, "typeKey":
    /// …}`), as the service answers a failure.
    pub fn error(status: u16, message: &str, type_key: &str) -> Response {
        let body = serde_json::json!({
            "$id": "1",
            "innerException": null,
            "message": message,
            "typeName": format!("Microsoft.VisualStudio.Services.WebApi.{type_key}, Microsoft.VisualStudio.Services.WebApi"),
            "typeKey": type_key,
            "errorCode": 0,
            "eventId": 3000
        });
        Response::json(status, &body)
    }

    /// `429` with `Retry-After` (whole seconds, rounded up) and the error the service
    /// sends when it throttles.
    pub fn throttled(retry_after: Duration) -> Response {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        Response::error(
            429,
            "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Mock'.",
            "RequestBlockedException",
        )
        .header("retry-after", &seconds.to_string())
    }

    /// No answer: the connection is closed, as a server that fails or a network that
    /// drops it.
    pub fn dropped() -> Response {
        Response {
            drop_connection: true,
            ..Response::status(0)
        }
    }
}

/// A mounted expectation: how many requests it matched.
#[derive(Debug, Clone)]
pub struct MockHandle {
    operation: &'static str,
    hits: Arc<AtomicU64>,
}

impl MockHandle {
    /// How many requests matched it so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::SeqCst)
    }

    /// The `operationId` it expects requests to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}
