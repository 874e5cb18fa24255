//! The local server the example tests of a generated crate run against
//! (`tests/examples*.rs`, with this crate's `example-server` feature): it takes
//! exactly one request on 127.0.0.1, checks its method, path and query against the
//! example, and answers with the example's status and body (`Connection: close`,
//! `Content-Length`). Written on tokio alone, so that testing a crate needs no HTTP
//! server crate.

use std::fmt::Write as _;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

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
