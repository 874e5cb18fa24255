//! The local server the example tests of a generated crate run against
//! (`tests/examples*.rs`, with this crate's `example-server` feature): it takes
//! exactly one request on 127.0.0.1, checks its method, path and query against the
//! example, and answers with the example's status and body (`Connection: close`,
//! `Content-Length`). Written on tokio alone, so that testing a crate needs no HTTP
//! server crate.
//!
//! An example whose request cannot be sent is checked without the server:
//! [`round_trip`] decodes its response body as the operation would, encodes the value
//! again and compares the two JSON values ([`round_trip_error`] says how).

use std::fmt::Write as _;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::response::RawResponse;
use crate::retry::RateLimit;

/// What the example says the request is, and what the service answers.
pub struct Exchange<'a> {
    /// The HTTP method, upper case.
    pub method: &'a str,
    /// The path with the example's parameter values, not percent-encoded.
    pub path: &'a str,
    /// The query parameters the example gives (name, value): each must be sent, others may
    /// be too (constants such as `api-version`).
    pub query: &'a [(&'a str, &'a str)],
    /// The status of the example's response.
    pub status: u16,
    /// The `Content-Type` of the response body (empty for a response without one).
    pub content_type: &'a str,
    /// The example's response body (empty for a response without one).
    pub body: &'a str,
}

/// A server that answers one request, started by [`Server::start`].
pub struct Server {
    url: String,
    task: JoinHandle<Result<(), String>>,
}

impl Server {
    /// Listens on a free port of 127.0.0.1 and answers the first request.
    pub async fn start(exchange: Exchange<'_>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let expected = Expected {
            method: exchange.method.to_owned(),
            path: exchange.path.to_owned(),
            query: exchange
                .query
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        };
        let mut head = format!(
            "HTTP/1.1 {} Example\r\nConnection: close\r\n",
            exchange.status
        );
        if !exchange.content_type.is_empty() {
            let _ = write!(head, "Content-Type: {}\r\n", exchange.content_type);
        }
        // A 204 has no body, and says nothing of its length.
        if exchange.status != 204 {
            let _ = write!(head, "Content-Length: {}\r\n", exchange.body.len());
        }
        head.push_str("\r\n");
        let answer = [head.as_bytes(), exchange.body.as_bytes()].concat();
        let task = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let request = read_request(&mut stream).await?;
            let mismatch = expected.mismatch(&request);
            let answer = match &mismatch {
                // The client then fails with this text, which names what differs.
                Some(m) => format!(
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{m}",
                    m.len()
                )
                .into_bytes(),
                None => answer,
            };
            stream.write_all(&answer).await.map_err(|e| e.to_string())?;
            let _ = stream.shutdown().await;
            mismatch.map_or(Ok(()), Err)
        });
        Server { url, task }
    }

    /// The base URL of the server.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The outcome of the call, which must have succeeded with the request the example
    /// describes; a failure panics with the whole chain of its causes, so that a body that
    /// does not decode names the property (`at .value[2].name: missing property`).
    pub async fn check<T, E: std::error::Error>(self, result: Result<T, E>) -> T {
        let value = match result {
            Ok(value) => value,
            Err(e) => {
                self.task.abort();
                panic!("the example's call failed: {}", chain(&e));
            }
        };
        match self.task.await {
            Ok(Ok(())) => value,
            Ok(Err(mismatch)) => panic!("the request differs from the example: {mismatch}"),
            Err(e) => panic!("the server failed: {e}"),
        }
    }
}

/// The example's JSON text as a value of `T`, a type of the crate; panics naming `what`
/// and, through the crate's decoder, the property that does not fit.
pub fn decode<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> T {
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{what} of the example does not decode: {e}"))
}

/// A string of the example as a value of `T` (a uuid, a date, an enum); panics as
/// [`decode`] does.
pub fn decode_str<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> T {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .unwrap_or_else(|e| panic!("{what} of the example does not decode: {e}"))
}

/// The example's response body with status `status`, checked as [`round_trip_error`]
/// says; panics with what is wrong (the property that does not decode, differs or is
/// lost). For the examples of a generated crate whose request cannot be replayed:
/// `T` is the type of the operation's success response of that status.
pub fn round_trip<T: DeserializeOwned + Serialize>(status: u16, json: &str) {
    if let Err(problem) = round_trip_error::<T>(status, json) {
        panic!("{problem}");
    }
}

/// Whether the example's response body `json`, with status `status`, survives being
/// decoded into `T` and encoded again:
///
/// - it is decoded as the client decodes a response ([`RawResponse::json`]: a
///   `{"count", "value"}` collection wrapper is read as its `value` where `T` is the
///   list or dictionary itself), and an error names the property that does not fit;
/// - the value is encoded again, and every property of the example that `T` has must
///   be there with an equal value. What the runtime reads leniently is equal to what
///   it reads it as: a date-time without an offset (UTC) or in the .NET form
///   (`/Date(ms)/`) to the same instant, any date-time to the same instant in another
///   offset or precision, a text in another letter case (an enum value as listed, a
///   uuid in lower case), an enum's .NET number to its text, a number to the same
///   number in another form (`1` and `1.0`; an `f32` to its precision); a `null`
///   property or map entry may be left out (an unset `Option`, a map's `null` entry).
///   A property `T` does not have is ignored, as the client ignores it (probed: the
///   property given a value of another kind still decodes, and is not written); a
///   property written that the example does not have is a difference too.
///
/// The error is one line: what the example's response is, and the first property
/// that does not decode, differs or is lost, with both values.
pub fn round_trip_error<T: DeserializeOwned + Serialize>(
    status: u16,
    json: &str,
) -> Result<(), String> {
    let type_name = std::any::type_name::<T>();
    let what = format!("the example's {status} response");
    let example: Value =
        serde_json::from_str(json).map_err(|e| format!("{what} is not JSON: {e}"))?;
    let response = RawResponse {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        headers: HeaderMap::new(),
        body: Bytes::copy_from_slice(json.as_bytes()),
        unread: None,
        rate_limit: RateLimit::default(),
        attempts: 1,
        sent: None,
    };
    let value: T = response.json().map_err(|e| {
        let cause = std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string());
        format!("{what} does not decode into {type_name}: {cause}")
    })?;
    // What the value was read from: the body, or the `value` of its wrapper.
    let read = match serde_json::from_value::<T>(example.clone()) {
        Ok(_) => example,
        Err(_) => collection_value(example)
            .ok_or_else(|| format!("{what} was read, but not from its text"))?,
    };
    let encoded = serde_json::to_value(&value)
        .map_err(|e| format!("{what} decoded into {type_name} does not encode again: {e}"))?;
    match first_difference::<T>(&read, &encoded) {
        None => Ok(()),
        Some(difference) => Err(format!(
            "{what} decoded into {type_name} and encoded again differs from the example: {difference}"
        )),
    }
}

/// The `value` of a `{"count": n, "value": [..] or {..}}` collection wrapper.
fn collection_value(body: Value) -> Option<Value> {
    let Value::Object(mut wrapper) = body else {
        return None;
    };
    let counted = wrapper.get("count").is_some_and(Value::is_number);
    let value = wrapper.remove("value")?;
    (counted && wrapper.len() == 1 && (value.is_array() || value.is_object())).then_some(value)
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// What differs between the example and the value encoded again, property by property (in
/// the order of their names) and item by item.
enum Finding {
    /// At this path, as text.
    Differs(String),
    /// A property of the example that is not written again: lost if `T` has it.
    Absent(Vec<Step>),
}

/// The first property of `example` that `encoded` (the value `T` read from it, encoded
/// again) does not keep, as `at .path: what`.
fn first_difference<T: DeserializeOwned + Serialize>(
    example: &Value,
    encoded: &Value,
) -> Option<String> {
    let mut findings = Vec::new();
    compare(example, encoded, &mut Vec::new(), &mut findings);
    let absent: Vec<&[Step]> = findings
        .iter()
        .filter_map(|f| match f {
            Finding::Absent(path) => Some(path.as_slice()),
            Finding::Differs(_) => None,
        })
        .collect();
    // Usually every property left out is one `T` does not have: one probe says so.
    let none_read = absent.is_empty() || !reads_any::<T>(example, &absent);
    findings.into_iter().find_map(|f| match f {
        Finding::Differs(text) => Some(text),
        Finding::Absent(_) if none_read => None,
        Finding::Absent(path) => reads_any::<T>(example, &[&path]).then(|| {
            format!(
                "at {}: the type reads this property ({}) but does not write it again",
                display(&path),
                short(lookup(example, &path).unwrap_or(&Value::Null))
            )
        }),
    })
}

/// Whether `T` reads any of the properties at `paths` of `example`: each is given a
/// value of another kind than its own, which a typed property refuses, and a property
/// of any JSON writes again.
fn reads_any<T: DeserializeOwned + Serialize>(example: &Value, paths: &[&[Step]]) -> bool {
    let mut probe = example.clone();
    for path in paths {
        if let Some(slot) = lookup_mut(&mut probe, path) {
            *slot = if slot.is_boolean() {
                Value::String("\u{0}probe".to_owned())
            } else {
                Value::Bool(true)
            };
        }
    }
    let Ok(value) = serde_json::from_value::<T>(probe) else {
        return true;
    };
    let Ok(encoded) = serde_json::to_value(&value) else {
        return true;
    };
    paths.iter().any(|path| lookup(&encoded, path).is_some())
}

/// Walks `example` and `encoded` side by side, noting what differs.
fn compare(example: &Value, encoded: &Value, path: &mut Vec<Step>, out: &mut Vec<Finding>) {
    match (example, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                path.push(Step::Key(key.clone()));
                match b.get(key) {
                    Some(again) => compare(value, again, path, out),
                    // An unset `Option`, a map's `null` entry: left out.
                    None if value.is_null() => {}
                    None => out.push(Finding::Absent(path.clone())),
                }
                path.pop();
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    path.push(Step::Key(key.clone()));
                    out.push(Finding::Differs(format!(
                        "at {}: not in the example, but written as {}",
                        display(path),
                        short(value)
                    )));
                    path.pop();
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (item, again)) in a.iter().zip(b).enumerate() {
                path.push(Step::Index(i));
                compare(item, again, path, out);
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) => out.push(Finding::Differs(format!(
            "at {}: {} items in the example, {} written again",
            display(path),
            a.len(),
            b.len()
        ))),
        (a, b) if same_scalar(a, b) => {}
        (a, b) => out.push(Finding::Differs(format!(
            "at {}: the example has {}, written again as {}",
            display(path),
            short(a),
            short(b)
        ))),
    }
}

/// Whether two values other than objects and arrays are equal but for the runtime's
/// lenient readings.
fn same_scalar(example: &Value, encoded: &Value) -> bool {
    match (example, encoded) {
        _ if example == encoded => true,
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b) || same_instant(a, b),
        (Value::Number(a), Value::Number(b)) => same_number(a, b),
        // An enum's .NET number, kept as its text.
        (Value::Number(a), Value::String(b)) => a.to_string() == *b,
        _ => false,
    }
}

/// Whether two numbers are the same: as integers, as `f64`, or to an `f32`'s precision
/// (an `f32` is written again in the digits of its `f64` value).
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return a == b;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) => a == b || (a as f32) == (b as f32),
        _ => false,
    }
}

/// Whether `example` is a date-time (RFC 3339, without an offset as UTC, or the .NET
/// form) at the instant `encoded` (RFC 3339) is.
fn same_instant(example: &str, encoded: &str) -> bool {
    let Ok(encoded) = chrono::DateTime::parse_from_rfc3339(encoded) else {
        return false;
    };
    let read = chrono::DateTime::parse_from_rfc3339(example)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(&format!("{example}Z")))
        .map(|t| t.to_utc())
        .ok()
        .or_else(|| chrono::DateTime::from_timestamp_millis(dotnet_millis(example)?));
    read.is_some_and(|t| t == encoded)
}

/// The milliseconds of a .NET JSON date, `/Date(1565715592526)/` (an offset after them,
/// `+0200`, says only where it was written).
fn dotnet_millis(text: &str) -> Option<i64> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(inner.len(), |(i, _)| i);
    let (millis, zone) = inner.split_at(end);
    let zone_ok = zone.is_empty()
        || (zone.len() == 5
            && zone.starts_with(['+', '-'])
            && zone[1..].bytes().all(|b| b.is_ascii_digit()));
    zone_ok.then(|| millis.parse().ok()).flatten()
}

fn lookup<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(key) => v.get(key),
        Step::Index(i) => v.get(i),
    })
}

fn lookup_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(key) => v.get_mut(key),
        Step::Index(i) => v.get_mut(i),
    })
}

/// A path as the runtime's decoding errors write it: `.value[2].name`, `["a b"]` for a
/// key that is not a name; `the body` for none.
fn display(path: &[Step]) -> String {
    if path.is_empty() {
        return "the body".to_owned();
    }
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(key)
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$')) =>
            {
                let _ = write!(text, ".{key}");
            }
            Step::Key(key) => {
                let _ = write!(text, "[{key:?}]");
            }
            Step::Index(i) => {
                let _ = write!(text, "[{i}]");
            }
        }
    }
    text
}

/// A value in a message: its JSON, cut after 60 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// An error and its causes, one after the other.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let _ = write!(text, ": {s}");
        source = s.source();
    }
    text
}

/// The request line of the one request the server takes.
struct Expected {
    method: String,
    path: String,
    query: Vec<(String, String)>,
}

/// The request as received: method, decoded path and decoded query pairs.
struct Received {
    method: String,
    path: String,
    query: Vec<(String, String)>,
}

impl Expected {
    /// What differs between the request and the example, if anything.
    fn mismatch(&self, got: &Received) -> Option<String> {
        if got.method != self.method || got.path != self.path {
            return Some(format!(
                "expected {} {}, got {} {}",
                self.method, self.path, got.method, got.path
            ));
        }
        let mut missing = Vec::new();
        let mut rest = got.query.clone();
        for pair in &self.query {
            match rest.iter().position(|p| p == pair) {
                Some(i) => {
                    rest.swap_remove(i);
                }
                None => missing.push(format!("{}={}", pair.0, pair.1)),
            }
        }
        if missing.is_empty() {
            return None;
        }
        let got: Vec<String> = got.query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        Some(format!(
            "expected the query to hold {}, got {}",
            missing.join("&"),
            got.join("&")
        ))
    }
}

/// Reads the head of one request and its body (by `Content-Length`), which is not checked.
async fn read_request(stream: &mut TcpStream) -> Result<Received, String> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the connection closed before the request was complete".into());
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    let mut line = head.lines().next().unwrap_or_default().split(' ');
    let method = line.next().unwrap_or_default().to_owned();
    let target = line.next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(name), form_decode(value))
        })
        .collect();
    Ok(Received {
        method,
        path: percent_decode(path),
        query,
    })
}

/// A query name or value: `+` is a space, then percent-decoded.
fn form_decode(text: &str) -> String {
    percent_decode(&text.replace('+', " "))
}

/// `%XX` escapes decoded (as UTF-8, lossily); anything else kept.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
