//! Errors returned by the client.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use serde::Deserialize;

use crate::correlation::Correlation;
use crate::retry::RateLimit;

/// How many characters of a body an error message shows.
const DISPLAY_SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong when calling the service.
///
/// `Display` and `Debug` never show the credential: it is only ever sent in
/// the `Authorization` header, which no error keeps. They may show the
/// request URL (without credentials: the client refuses base URLs with a user
/// name or password) and the body the service answered.
///
/// Use the accessors ([`status`](Error::status),
/// [`api_error`](Error::api_error), [`rate_limit`](Error::rate_limit),
/// [`body_text`](Error::body_text), [`attempts`](Error::attempts),
/// [`is_retryable`](Error::is_retryable)) rather than matching when you only
/// need one fact; they look through [`Error::RetriesExhausted`] to the last
/// error.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent, because a value
    /// breaks a constraint of the API description.
    InvalidRequest(InvalidRequest),

    /// The client configuration is invalid (bad base URL, plain `http://`
    /// to a non-loopback host without opting in, HTTP client that could not
    /// be built).
    #[non_exhaustive]
    Config {
        /// What is wrong.
        message: String,
        /// The underlying error, when building the HTTP client failed.
        source: Option<reqwest::Error>,
    },

    /// The credential is unusable (missing from the environment, empty, or
    /// holding characters not allowed in an HTTP header), or no token could
    /// be had from it: the token provider or the Azure CLI failed (the
    /// message names which and carries its error), or returned an unusable
    /// token. The request was not sent. The message never contains the
    /// secret.
    #[non_exhaustive]
    Credential {
        /// What is wrong.
        message: String,
    },

    /// The request body could not be serialized as JSON.
    #[non_exhaustive]
    Encode {
        /// The serializer's error.
        source: serde_json::Error,
    },

    /// The request failed in transport: DNS, connection refused or reset,
    /// TLS, timeout, or the connection closed before the whole response
    /// arrived. No (complete) response was received.
    #[non_exhaustive]
    Transport {
        /// The HTTP client's error; its URL holds no credential.
        source: reqwest::Error,
        /// The ids the request was sent with.
        correlation: Box<Correlation>,
    },

    /// The service answered with a status that the operation does not
    /// declare as a success (any `4xx`/`5xx`, but also `203` sign-in pages,
    /// redirects, or an undeclared `2xx`).
    #[non_exhaustive]
    Http {
        /// The response status.
        status: StatusCode,
        /// The Azure DevOps error body, when the body was that JSON.
        api_error: Option<Box<ApiError>>,
        /// The body as text (invalid UTF-8 replaced), at most 64 KiB.
        body: String,
        /// Whether `body` was cut at 64 KiB.
        body_truncated: bool,
        /// The rate-limit headers of the response.
        rate_limit: Box<RateLimit>,
        /// The ids of the request and the response (`ActivityId`, ...).
        correlation: Box<Correlation>,
    },

    /// The service answered with a status the operation declares as a
    /// success, but that this client version does not know how to handle.
    #[non_exhaustive]
    UnexpectedStatus {
        /// The response status.
        status: StatusCode,
        /// The body as text (invalid UTF-8 replaced), at most 64 KiB.
        body: String,
        /// Whether `body` was cut at 64 KiB.
        body_truncated: bool,
        /// The rate-limit headers of the response.
        rate_limit: Box<RateLimit>,
        /// The ids of the request and the response (`ActivityId`, ...).
        correlation: Box<Correlation>,
    },

    /// A success response whose body could not be decoded into the expected
    /// type.
    #[non_exhaustive]
    Decode {
        /// The response status.
        status: StatusCode,
        /// The body bytes, at most the first 64 KiB.
        body: Bytes,
        /// Whether `body` was cut at 64 KiB.
        body_truncated: bool,
        /// The decoder's error.
        source: serde_json::Error,
        /// The rate-limit headers of the response.
        rate_limit: Box<RateLimit>,
        /// The ids of the request and the response (`ActivityId`, ...).
        correlation: Box<Correlation>,
    },

    /// A success response body larger than the client accepts.
    #[non_exhaustive]
    BodyTooLarge {
        /// The response status.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// The rate-limit headers of the response.
        rate_limit: Box<RateLimit>,
        /// The ids of the request and the response (`ActivityId`, ...).
        correlation: Box<Correlation>,
    },

    /// Reading the pages of an operation could not go on (see
    /// [`Pages`](crate::Pages)): the service named as next a page it had
    /// sent before, which would have read the same pages forever.
    #[non_exhaustive]
    Paging {
        /// The spec's `operationId` of the operation being paged.
        operation: &'static str,
        /// What happened.
        message: String,
    },

    /// The request was retried (see [`RetryPolicy`](crate::RetryPolicy))
    /// and still failed: the attempt bound or the total wait bound was
    /// reached.
    #[non_exhaustive]
    RetriesExhausted {
        /// How many attempts were made, the first one included.
        attempts: u32,
        /// The error of the last attempt ([`Error::Http`] with the last
        /// response's status, body and rate-limit headers, or
        /// [`Error::Transport`]).
        last: Box<Error>,
    },

    /// The request failed in a way the client would have retried (see
    /// [`RetryPolicy`](crate::RetryPolicy)), or sent again with a renewed
    /// token after a `401`, but its body was a stream
    /// ([`UploadBody`](crate::UploadBody)), which the failed attempt consumed:
    /// a streamed upload is sent once and never retried. Send the request
    /// again with a new stream if that is safe.
    #[non_exhaustive]
    StreamNotRetried {
        /// The error of the attempt.
        last: Box<Error>,
    },

    /// A success response sent a header the operation declares with a value
    /// that is not of its declared type (see
    /// [`ApiResponse::declared_headers`](crate::ApiResponse::declared_headers)).
    #[non_exhaustive]
    InvalidHeader {
        /// The header's name as the operation declares it.
        name: &'static str,
        /// What its value must be, e.g. `a 32-bit integer`.
        expected: &'static str,
    },

    /// Writing a downloaded body failed (see
    /// [`Download::write_to`](crate::Download::write_to)).
    #[non_exhaustive]
    Write {
        /// The writer's error.
        source: std::io::Error,
    },
}

impl Error {
    /// A validation failure before sending: `field` names the value (e.g.
    /// `body.authorizationIds`), `rule` the broken constraint (e.g. `must
    /// have at least 1 item(s), has 0`).
    pub(crate) fn invalid_request(field: impl Into<String>, rule: impl Into<String>) -> Error {
        Error::InvalidRequest(InvalidRequest {
            field: field.into(),
            rule: rule.into(),
        })
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn paging(operation: &'static str, message: impl Into<String>) -> Error {
        Error::Paging {
            operation,
            message: message.into(),
        }
    }

    pub(crate) fn credential(message: impl Into<String>) -> Error {
        Error::Credential {
            message: message.into(),
        }
    }

    /// [`Error::Transport`]: no complete response was received.
    pub(crate) fn transport(source: reqwest::Error) -> Error {
        Error::Transport {
            source,
            correlation: Box::default(),
        }
    }

    /// The error with the ids of its request, where it has a place for them.
    pub(crate) fn with_correlation(mut self, ids: Correlation) -> Error {
        match &mut self {
            Error::Transport { correlation, .. }
            | Error::Http { correlation, .. }
            | Error::UnexpectedStatus { correlation, .. }
            | Error::Decode { correlation, .. }
            | Error::BodyTooLarge { correlation, .. } => **correlation = ids,
            _ => {}
        }
        self
    }

    /// Builds [`Error::Http`] from a response, parsing the Azure DevOps
    /// error body when there is one.
    pub(crate) fn http(
        status: StatusCode,
        body: &[u8],
        body_truncated: bool,
        rate_limit: RateLimit,
        correlation: Correlation,
    ) -> Error {
        let api_error = if body_truncated {
            None
        } else {
            ApiError::parse(body).map(Box::new)
        };
        Error::Http {
            status,
            api_error,
            body: body_to_text(body),
            body_truncated,
            rate_limit: Box::new(rate_limit),
            correlation: Box::new(correlation),
        }
    }

    /// The HTTP status of the response that caused the error, if a response
    /// was received (for [`Error::RetriesExhausted`], of the last one).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.status()
            }
            _ => None,
        }
    }

    /// The Azure DevOps error body (`message`, `typeKey`, ...), when the
    /// service sent one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Http { api_error, .. } => api_error.as_deref(),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.api_error()
            }
            _ => None,
        }
    }

    /// The validation failure, for [`Error::InvalidRequest`].
    pub fn invalid_request_details(&self) -> Option<&InvalidRequest> {
        match self {
            Error::InvalidRequest(details) => Some(details),
            _ => None,
        }
    }

    /// Whether retrying the request later might succeed: a transport
    /// failure (connect, timeout, connection closed), or a `408`, `429`,
    /// `500`, `502`, `503` or `504` response. For
    /// [`Error::RetriesExhausted`] this tells about the last error. The
    /// client itself retries some of these only for idempotent operations;
    /// see [`RetryPolicy`](crate::RetryPolicy).
    pub fn is_retryable(&self) -> bool {
        crate::retry::is_retryable(self, true)
    }

    /// The rate-limit headers of the response that caused the error (for
    /// [`Error::RetriesExhausted`], of the last response).
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            Error::Http { rate_limit, .. }
            | Error::UnexpectedStatus { rate_limit, .. }
            | Error::Decode { rate_limit, .. }
            | Error::BodyTooLarge { rate_limit, .. } => Some(rate_limit),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.rate_limit()
            }
            _ => None,
        }
    }

    /// What kind of failure this is, in OpenTelemetry's `error.type` form:
    /// the status code of an HTTP error, else a short name (`timeout`,
    /// `connect`, `transport`, `invalid_request`, ...).
    #[cfg(feature = "tracing")]
    pub(crate) fn type_name(&self) -> String {
        if let Some(status) = self.status() {
            return status.as_u16().to_string();
        }
        let name = match self {
            _ if self.is_timeout() => "timeout",
            _ if self.is_connect() => "connect",
            _ if self.is_transport() => "transport",
            Error::InvalidRequest(_) => "invalid_request",
            Error::Config { .. } => "config",
            Error::Credential { .. } => "credential",
            Error::Encode { .. } => "encode",
            Error::Paging { .. } => "paging",
            Error::InvalidHeader { .. } => "invalid_header",
            Error::Write { .. } => "write",
            Error::StreamNotRetried { .. } => "stream_not_retried",
            _ => "_OTHER",
        };
        name.to_owned()
    }

    /// The ids of the request and of the service's response (`ActivityId`,
    /// `X-TFS-Session`, `X-VSS-E2EID`): what Microsoft support asks for. For
    /// [`Error::RetriesExhausted`], of the last attempt; `None` for an error
    /// before anything was sent.
    pub fn correlation(&self) -> Option<&Correlation> {
        match self {
            Error::Transport { correlation, .. }
            | Error::Http { correlation, .. }
            | Error::UnexpectedStatus { correlation, .. }
            | Error::Decode { correlation, .. }
            | Error::BodyTooLarge { correlation, .. } => Some(correlation),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.correlation()
            }
            _ => None,
        }
    }

    /// The raw text of the response body (the Azure DevOps JSON, a plain
    /// text message or an HTML page), if the response had a non-empty body.
    ///
    /// At most the first 64 KiB are kept; [`Error::is_body_truncated`] tells
    /// whether the body was longer. For [`Error::Decode`] this is `None`
    /// when the body is not UTF-8 (see [`Error::body_bytes`]).
    pub fn body_text(&self) -> Option<&str> {
        match self {
            Error::Http { body, .. } | Error::UnexpectedStatus { body, .. } => {
                Some(body.as_str()).filter(|b| !b.is_empty())
            }
            Error::Decode { body, .. } => std::str::from_utf8(body).ok().filter(|b| !b.is_empty()),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.body_text()
            }
            _ => None,
        }
    }

    /// The raw bytes of an undecodable success body ([`Error::Decode`]), at
    /// most the first 64 KiB.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match self {
            Error::Decode { body, .. } => Some(body),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.body_bytes()
            }
            _ => None,
        }
    }

    /// Whether the kept body was cut at 64 KiB.
    pub fn is_body_truncated(&self) -> bool {
        match self {
            Error::Http { body_truncated, .. }
            | Error::UnexpectedStatus { body_truncated, .. }
            | Error::Decode { body_truncated, .. } => *body_truncated,
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.is_body_truncated()
            }
            _ => false,
        }
    }

    /// How many attempts were made, for [`Error::RetriesExhausted`].
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::RetriesExhausted { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Whether the (last) attempt failed in transport: no complete
    /// response was received.
    pub fn is_transport(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.is_transport()
            }
            _ => false,
        }
    }

    /// Whether the (last) attempt timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.is_timeout()
            }
            _ => false,
        }
    }

    /// Whether the (last) attempt could not connect to the service.
    pub fn is_connect(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_connect(),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                last.is_connect()
            }
            _ => false,
        }
    }
}

/// Text of a body for error messages: lossy UTF-8, without a trailing
/// partial character left by truncation.
pub(crate) fn body_to_text(body: &[u8]) -> String {
    match std::str::from_utf8(body) {
        Ok(s) => s.to_owned(),
        Err(e) if e.error_len().is_none() => {
            // Ends in an incomplete character (cut by truncation): drop it.
            String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}

/// A short, single-line excerpt of a body for `Display`.
fn snippet(body: &str, truncated: bool) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return String::from("(empty body)");
    }
    let lower_start: String = trimmed
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower_start.starts_with("<!doctype html") || lower_start.starts_with("<html") {
        return format!(
            "(HTML page of {}{} bytes)",
            if truncated { "more than " } else { "" },
            body.len()
        );
    }
    let mut out = String::new();
    let mut last_space = false;
    for (count, c) in trimmed.chars().enumerate() {
        if count >= DISPLAY_SNIPPET_CHARS {
            out.push_str("...");
            return out;
        }
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if truncated {
        out.push_str("...");
    }
    out
}

fn fmt_response(
    f: &mut fmt::Formatter<'_>,
    status: StatusCode,
    api_error: Option<&ApiError>,
    body: &str,
    truncated: bool,
    correlation: &Correlation,
) -> fmt::Result {
    write!(f, "{status}: ")?;
    match api_error {
        Some(api) => write!(f, "{api}")?,
        None => f.write_str(&snippet(body, truncated))?,
    }
    if status.as_u16() == 203 || status.is_redirection() {
        f.write_str(
            " (the service answered with a page instead of the API response; \
             this usually means the credential was rejected)",
        )?;
    }
    fmt_activity(f, correlation)
}

/// ` (activity id A)`, when the service named the request's activity.
fn fmt_activity(f: &mut fmt::Formatter<'_>, correlation: &Correlation) -> fmt::Result {
    match &correlation.activity_id {
        Some(id) => write!(f, " (activity id {id})"),
        None => Ok(()),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(details) => write!(f, "{details}"),
            Error::Config { message, .. } => write!(f, "invalid client configuration: {message}"),
            Error::Credential { message } => write!(f, "invalid credential: {message}"),
            Error::Encode { .. } => f.write_str("could not serialize the request body as JSON"),
            Error::Transport { source, .. } => {
                let what = if source.is_timeout() {
                    "the request timed out"
                } else if source.is_connect() {
                    "could not connect to the service"
                } else if source.is_body() || source.is_decode() {
                    "the connection failed while reading the response body"
                } else if source.is_request() {
                    "the connection failed while sending the request or receiving the response"
                } else if source.is_redirect() {
                    "redirect failed"
                } else {
                    "the request failed"
                };
                write!(f, "transport error: {what}")
            }
            Error::Http {
                status,
                api_error,
                body,
                body_truncated,
                correlation,
                ..
            } => {
                f.write_str("HTTP ")?;
                fmt_response(
                    f,
                    *status,
                    api_error.as_deref(),
                    body,
                    *body_truncated,
                    correlation,
                )
            }
            Error::UnexpectedStatus {
                status,
                correlation,
                ..
            } => {
                write!(
                    f,
                    "unexpected HTTP status {status}: declared by the API but not handled by \
                     this client version"
                )?;
                fmt_activity(f, correlation)
            }
            Error::Decode {
                status,
                correlation,
                ..
            } => {
                write!(f, "could not decode the body of the HTTP {status} response")?;
                fmt_activity(f, correlation)
            }
            Error::BodyTooLarge {
                status,
                limit,
                correlation,
                ..
            } => {
                write!(
                    f,
                    "the body of the HTTP {status} response is larger than {limit} bytes"
                )?;
                fmt_activity(f, correlation)
            }
            Error::Paging { operation, message } => write!(f, "paging {operation}: {message}"),
            Error::StreamNotRetried { last } => write!(
                f,
                "{last} (not retried: the request body was a stream, which cannot be sent twice)"
            ),
            Error::InvalidHeader { name, expected } => write!(
                f,
                "the response header {name} is not {expected}, as the operation declares"
            ),
            Error::Write { .. } => f.write_str("could not write the downloaded body"),
            Error::RetriesExhausted { attempts, last } => {
                let plural = if *attempts == 1 { "" } else { "s" };
                write!(f, "gave up after {attempts} attempt{plural}: ")?;
                match last.as_ref() {
                    Error::Http {
                        status,
                        api_error,
                        body,
                        body_truncated,
                        correlation,
                        ..
                    } => {
                        f.write_str("last response ")?;
                        fmt_response(
                            f,
                            *status,
                            api_error.as_deref(),
                            body,
                            *body_truncated,
                            correlation,
                        )
                    }
                    other => write!(f, "last error: {other}"),
                }
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest(details) => Some(details),
            Error::Config {
                source: Some(source),
                ..
            } => Some(source),
            Error::Encode { source } | Error::Decode { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
                Some(last.as_ref())
            }
            Error::Write { source } => Some(source),
            _ => None,
        }
    }
}

/// A request refused before sending: a value breaks a constraint of the API
/// description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    field: String,
    rule: String,
}

impl InvalidRequest {
    /// The offending value, as a path from the operation's parameters (e.g.
    /// `body.authorizationIds`, `hostId`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The broken rule (e.g. `must have at least 1 item(s), has 0`).
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: {} {}", self.field, self.rule)
    }
}

impl std::error::Error for InvalidRequest {}

/// The JSON error body of Azure DevOps, e.g.
/// `{"$id":"1","innerException":null,"message":"TF400813: ...",
/// "typeName":"...","typeKey":"UnauthorizedRequestException","errorCode":0,"eventId":3000}`.
///
/// Every field is optional; unknown fields (such as `$id`) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiError {
    /// Human-readable message, often starting with a `TFnnnnnn:` code.
    #[serde(default)]
    pub message: Option<String>,
    /// Short exception type name, e.g. `UnauthorizedRequestException`.
    #[serde(default)]
    pub type_key: Option<String>,
    /// Full .NET exception type name.
    #[serde(default)]
    pub type_name: Option<String>,
    /// Numeric error code.
    #[serde(default)]
    pub error_code: Option<i64>,
    /// Event id of the server-side log entry.
    #[serde(default)]
    pub event_id: Option<i64>,
    /// The nested cause, of the same shape.
    #[serde(default)]
    pub inner_exception: Option<Box<ApiError>>,
}

impl ApiError {
    /// Parses a body as an Azure DevOps error; `None` unless it is a JSON
    /// object with at least a `message`, `typeKey` or `typeName`.
    pub(crate) fn parse(body: &[u8]) -> Option<ApiError> {
        let parsed: ApiError = serde_json::from_slice(body).ok()?;
        if parsed.message.is_some() || parsed.type_key.is_some() || parsed.type_name.is_some() {
            Some(parsed)
        } else {
            None
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.message, &self.type_key) {
            (Some(message), Some(key)) => write!(f, "{message} ({key})"),
            (Some(message), None) => f.write_str(message),
            (None, Some(key)) => f.write_str(key),
            (None, None) => f.write_str(self.type_name.as_deref().unwrap_or("unknown error")),
        }
    }
}
