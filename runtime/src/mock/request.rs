//! A request as the mock received it.

use std::fmt;

use bytes::Bytes;

use super::spec::decode_component;

/// A request the mock received, for matching and for the test to look at.
#[derive(Clone)]
pub struct ReceivedRequest {
    /// The method, upper case.
    pub method: String,
    /// The path, percent-encoded, without the query.
    pub path: String,
    /// The query's pairs in order, decoded.
    pub query: Vec<(String, String)>,
    /// The headers in order, names in lower case (the `Authorization` header is kept, but
    /// `Debug` shows it redacted).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl ReceivedRequest {
    /// The request of `method`, `path_and_query` (as sent), `headers` and `body`.
    pub(crate) fn new(
        method: &str,
        path_and_query: &str,
        headers: Vec<(String, String)>,
        body: Bytes,
    ) -> ReceivedRequest {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (
                    decode_component(&name.replace('+', " ")),
                    decode_component(&value.replace('+', " ")),
                )
            })
            .collect();
        ReceivedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body,
        }
    }

    /// The first value of a header, by name in any letter case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The values of a query parameter, by its name in any letter case (as the service
    /// reads a query), in order.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as JSON, when it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The query's values grouped by name, names in the order they first come.
    pub(crate) fn query_by_name(&self) -> Vec<(&str, Vec<&str>)> {
        let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
        for (name, value) in &self.query {
            match out.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value),
                None => out.push((name, vec![value])),
            }
        }
        out
    }

    /// `METHOD /path?query`, for messages.
    pub(crate) fn line(&self) -> String {
        let query: Vec<String> = self.query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        if query.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            format!("{} {}?{}", self.method, self.path, query.join("&"))
        }
    }
}

/// The `Authorization` header redacted, the body as text when it is.
impl fmt::Debug for ReceivedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case("authorization") {
                    (n.as_str(), "<redacted>")
                } else {
                    (n.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}
