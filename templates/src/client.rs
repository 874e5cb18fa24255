//! The HTTP client: configuration, request execution with retries, and
//! response handling.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use crate::credential::Credential;
use crate::error::{ERROR_BODY_LIMIT, Error, body_to_text};
use crate::params::{Param, ParamValue};
use crate::retry::{RateLimit, RetryPolicy};

/// Default timeout of one attempt (connect, send, and read the whole
/// response).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default timeout for establishing a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest success body the client reads (32 MiB).
const SUCCESS_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Characters percent-encoded in a path segment: all but the unreserved
/// characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
#[allow(dead_code, reason = "used only by operations with path parameters")]
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A client for the {{title}} API.
///
/// Cheap to clone (the state is shared behind an [`Arc`]); clones share the
/// connection pool, so create one client and reuse it. `Debug` never shows
/// the credential.
///
/// Every request carries `Accept: application/json`, the crate's
/// `User-Agent`, and the `Authorization` header of the [`Credential`]
/// (marked sensitive). Failed attempts are retried according to the
/// [`RetryPolicy`] (by default up to 4 attempts, at most 60 s of waiting).
/// Each operation of the spec is a method of the client; the
/// [crate documentation](crate) lists them.
///
/// # Example
///
/// ```no_run
/// use {{lib_name}}::{Client, Credential, Error, RetryPolicy};
/// # fn main() -> Result<(), Error> {
/// let client = Client::builder(Credential::from_env()?)
///     .base_url("http://127.0.0.1:8080")?
///     .retry(RetryPolicy::default())
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    authorization: HeaderValue,
    credential: Credential,
    retry: RetryPolicy,
    /// Per-attempt timeout: set on this client's own HTTP client, or on each
    /// request sent through the caller's; `None` when the caller's own HTTP
    /// client decides.
    timeout: Option<Duration>,
    custom_http_client: bool,
    /// Until when the service asked this client to hold back (from the
    /// `Retry-After` or `X-RateLimit-Delay` of a throttled response). Shared
    /// by every request of the client, so that concurrent requests pause
    /// together instead of each discovering the throttle on its own.
    throttled_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credential", &self.inner.credential)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("custom_http_client", &self.inner.custom_http_client)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client that authenticates with `credential`.
    pub fn builder(credential: Credential) -> ClientBuilder {
        ClientBuilder {
            credential,
            base_url: None,
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
            timeout: None,
            connect_timeout: None,
            http_client: None,
        }
    }

    /// A client with the default configuration: base URL
    /// [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL), default retry policy
    /// and timeouts.
    ///
    /// # Errors
    ///
    /// See [`ClientBuilder::build`].
    pub fn new(credential: Credential) -> Result<Client, Error> {
        Client::builder(credential).build()
    }

    /// The base URL that operation paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends a request, retrying according to the policy, and returns the
    /// response when its status is one of `request.success`.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let prepared = self.prepare(request)?;
        #[cfg(feature = "tracing")]
        let span = prepared.span.clone();
        let fut = self.execute_with_retries(prepared);
        #[cfg(feature = "tracing")]
        let fut = tracing::Instrument::instrument(fut, span);
        fut.await
    }

    async fn execute_with_retries(&self, mut prepared: Prepared) -> Result<RawResponse, Error> {
        let policy = self.inner.retry;
        let max_attempts = policy.attempts();
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            // Honour a throttle another request of this client was told about,
            // as far as this request's waiting budget allows.
            if let Some(wait) = self.throttle_wait()
                && waited.saturating_add(wait) <= policy.max_total_wait
            {
                tokio::time::sleep(wait).await;
                waited += wait;
            }
            #[cfg(feature = "tracing")]
            prepared.span.record("attempt", attempt);
            let error = match self.attempt(&mut prepared, attempt >= max_attempts).await {
                Ok(mut response) => {
                    response.attempts = attempt;
                    return Ok(response);
                }
                Err(error) => error,
            };
            if !error.is_retryable_for(prepared.request.idempotent) {
                return Err(error);
            }
            self.note_throttle(error.rate_limit());
            if attempt >= max_attempts {
                return Err(if max_attempts > 1 {
                    Error::RetriesExhausted {
                        attempts: attempt,
                        last: Box::new(error),
                    }
                } else {
                    error
                });
            }
            let wait = policy.wait_before(attempt, error.rate_limit());
            if waited.saturating_add(wait) > policy.max_total_wait {
                #[cfg(feature = "tracing")]
                tracing::warn!(
                    attempt,
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "not retrying: the wait would exceed the retry budget"
                );
                return Err(Error::RetriesExhausted {
                    attempts: attempt,
                    last: Box::new(error),
                });
            }
            #[cfg(feature = "tracing")]
            tracing::info!(
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            waited += wait;
        }
    }

    /// The request as it would be sent, without sending it.
    pub(crate) fn preview(&self, request: Request) -> Result<RequestPreview, Error> {
        let (url, headers) = self.parts(&request, request.body.is_some())?;
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() || name == header::AUTHORIZATION {
                    String::from("<redacted>")
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), shown)
            })
            .collect();
        Ok(RequestPreview {
            method: request.method.as_str().to_owned(),
            url: url.to_string(),
            headers,
            body: request
                .body
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
        })
    }

    /// How long the shared throttle still holds, if it does.
    fn throttle_wait(&self) -> Option<Duration> {
        let until = (*self.inner.throttled_until.lock().ok()?)?;
        let now = Instant::now();
        (until > now).then(|| until - now)
    }

    /// Records the delay a throttled response asked for, for every request
    /// of this client.
    fn note_throttle(&self, rate_limit: Option<&RateLimit>) {
        let Some(rl) = rate_limit else { return };
        let Some(delay) = rl.retry_after.max(rl.delay) else {
            return;
        };
        let until = Instant::now() + delay;
        if let Ok(mut slot) = self.inner.throttled_until.lock()
            && slot.is_none_or(|current| current < until)
        {
            *slot = Some(until);
        }
    }

    /// Builds the URL and headers once for all attempts.
    fn prepare(&self, mut request: Request) -> Result<Prepared, Error> {
        let first = self.parts(&request, request.body.is_some())?;
        // The span holds no header and no query: nothing secret.
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "request",
            operation_id = request.operation_id,
            method = %request.method,
            path = %request.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let body = request.body.take().map(Bytes::from);
        Ok(Prepared {
            #[cfg(feature = "tracing")]
            span,
            first: Some(first),
            body,
            request,
        })
    }

    /// The URL and headers of `request`; `json_body` tells whether a body
    /// goes with it (by the time a retry asks, the request's own has moved to
    /// `Prepared`).
    fn parts(&self, request: &Request, json_body: bool) -> Result<(Url, HeaderMap), Error> {
        let url = join_url(&self.inner.base_url, &request.path, &request.query);
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, APPLICATION_JSON);
        headers.insert(header::USER_AGENT, USER_AGENT);
        // An operation's header replaces a default of the same name (e.g.
        // `Accept`); repeated names are all sent. `Authorization` is always
        // the credential's.
        let mut seen: Vec<HeaderName> = Vec::new();
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid_request(*name, "is not a valid HTTP header name"))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid_request(
                    name.as_str(),
                    "must not contain control characters (not a valid HTTP header value)",
                )
            })?;
            if seen.contains(&name) {
                headers.append(name, value);
            } else {
                seen.push(name.clone());
                headers.insert(name, value);
            }
        }
        if json_body {
            headers.insert(header::CONTENT_TYPE, APPLICATION_JSON);
        }
        headers.insert(header::AUTHORIZATION, self.inner.authorization.clone());
        Ok((url, headers))
    }

    /// One attempt: send, read the response, classify the status. The `last`
    /// attempt takes the body instead of sharing it with attempts to come.
    async fn attempt(&self, prepared: &mut Prepared, last: bool) -> Result<RawResponse, Error> {
        // The first attempt takes the parts built up front; a retry builds them
        // again rather than every request paying for a copy it rarely needs.
        let (url, headers) = match prepared.first.take() {
            Some(parts) => parts,
            None => self.parts(&prepared.request, prepared.body.is_some())?,
        };
        // Made directly rather than through `RequestBuilder::headers`, which would
        // copy every header into a second map.
        let mut request = reqwest::Request::new(prepared.request.method.clone(), url);
        *request.headers_mut() = headers;
        let body = if last {
            prepared.body.take()
        } else {
            prepared.body.clone()
        };
        *request.body_mut() = body.map(reqwest::Body::from);
        // This client's own `reqwest::Client` applies the timeout already;
        // setting it per request allocates on every request.
        if self.inner.custom_http_client
            && let Some(timeout) = self.inner.timeout
        {
            *request.timeout_mut() = Some(timeout);
        }
        let mut response = self.inner.http.execute(request).await.map_err(transport)?;
        let status = response.status();
        #[cfg(feature = "tracing")]
        prepared.span.record("status", status.as_u16());
        let headers = std::mem::take(response.headers_mut());
        let rate_limit = RateLimit::from_headers(&headers);

        if !prepared.request.success.contains(&status.as_u16()) {
            // An error status: keep at most ERROR_BODY_LIMIT bytes. A failure
            // while reading the body still reports the status received.
            let (body, truncated, read_error) = read_capped(&mut response, ERROR_BODY_LIMIT).await;
            #[cfg(feature = "tracing")]
            tracing::debug!(
                status = status.as_u16(),
                body_truncated = truncated,
                "error response"
            );
            return Err(Error::http(
                status,
                &body,
                truncated || read_error.is_some(),
                rate_limit,
            ));
        }

        if response
            .content_length()
            .is_some_and(|len| len > SUCCESS_BODY_LIMIT as u64)
        {
            return Err(Error::BodyTooLarge {
                status,
                limit: SUCCESS_BODY_LIMIT,
                rate_limit: Box::new(rate_limit),
            });
        }
        // A 204, or any empty body, needs no read.
        let (body, truncated, read_error) = if response.content_length() == Some(0) {
            (Vec::new(), false, None)
        } else {
            read_capped(&mut response, SUCCESS_BODY_LIMIT).await
        };
        if let Some(error) = read_error {
            return Err(transport(error));
        }
        if truncated {
            return Err(Error::BodyTooLarge {
                status,
                limit: SUCCESS_BODY_LIMIT,
                rate_limit: Box::new(rate_limit),
            });
        }
        Ok(RawResponse {
            status,
            headers,
            body: Bytes::from(body),
            rate_limit,
            attempts: 1,
        })
    }
}

// Checked when compiling rather than on every request.
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const USER_AGENT: HeaderValue = HeaderValue::from_static(crate::USER_AGENT);

/// A request as it would be sent, for dry runs and logs: built by the
/// `preview` method of every request builder. The credential is never in it:
/// the `Authorization` header shows as `<redacted>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestPreview {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// The headers in the order they are sent, the credential redacted.
    pub headers: Vec<(String, String)>,
    /// The JSON body, if the request has one.
    pub body: Option<String>,
}

impl fmt::Display for RequestPreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            write!(f, "\n{body}")?;
        }
        Ok(())
    }
}

/// A request ready to be sent (possibly several times).
struct Prepared {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    /// URL and headers for the first attempt (checked when preparing).
    first: Option<(Url, HeaderMap)>,
    /// The body, shared by every attempt.
    body: Option<Bytes>,
    /// What the operation asked for (its body moved to `body`).
    request: Request,
}

fn transport(source: reqwest::Error) -> Error {
    Error::Transport { source }
}

/// Reads at most `limit` bytes of the body. Returns the bytes, whether the
/// body was longer, and the error that stopped reading, if any.
async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> (Vec<u8>, bool, Option<reqwest::Error>) {
    let mut buf = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit.saturating_sub(buf.len());
                if chunk.len() > room {
                    buf.extend_from_slice(chunk.get(..room).unwrap_or_default());
                    return (buf, true, None);
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return (buf, false, None),
            Err(error) => return (buf, false, Some(error)),
        }
    }
}

/// Appends an already-encoded `path` and `query` to the base URL. Written
/// into one string and parsed once: this runs for every request.
fn join_url(base: &Url, path: &str, query: &str) -> Url {
    let base_text = base.as_str().trim_end_matches('/');
    let mut text = String::with_capacity(base_text.len() + path.len() + query.len() + 2);
    text.push_str(base_text);
    if !path.starts_with('/') {
        text.push('/');
    }
    text.push_str(path);
    if !query.is_empty() {
        text.push('?');
        text.push_str(query);
    }
    // The base URL was validated and the rest is encoded: this cannot fail;
    // should it, the base URL alone is still a correct answer to report.
    Url::parse(&text).unwrap_or_else(|_| base.clone())
}

/// `application/x-www-form-urlencoded` encoding, as browsers and `url`'s
/// `append_pair` do it: space becomes `+`, `*-._` and alphanumerics stay.
/// Runs of bytes that stay are copied at once: this runs on every parameter
/// of every request.
fn form_urlencode(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Names, ids, numbers and versions usually need no encoding at all.
    if value.bytes().all(|b| FORM_KEEP[usize::from(b)]) {
        out.push_str(value);
        return;
    }
    let mut start = 0;
    for (i, &byte) in value.as_bytes().iter().enumerate() {
        if FORM_KEEP[usize::from(byte)] {
            continue;
        }
        // A run of kept bytes is ASCII, so it starts and ends on char boundaries.
        if start < i {
            out.push_str(&value[start..i]);
        }
        if byte == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        start = i + 1;
    }
    out.push_str(&value[start..]);
}

/// The bytes `form_urlencode` keeps as they are.
const FORM_KEEP: [bool; 256] = {
    let mut keep = [false; 256];
    let mut b = 0;
    while b < 256 {
        keep[b] =
            matches!(b as u8, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_');
        b += 1;
    }
    keep
};

/// Whether the URL's host is a loopback address (`127.0.0.0/8`, `::1`) or
/// `localhost`.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Parses and checks a base URL (insecure `http` is checked in `build`).
fn parse_base_url(url: &str) -> Result<Url, Error> {
    let parsed = Url::parse(url.trim())
        .map_err(|e| Error::config(format!("base URL is not a valid URL: {e}")))?;
    if parsed.scheme() != "https" && parsed.scheme() != "http" {
        return Err(Error::config(format!(
            "base URL must use https (or http to a loopback address), not {}",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::config("base URL has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::config(
            "base URL must not contain a user name or password; pass the secret as a Credential",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::config("base URL must not have a query or fragment"));
    }
    Ok(parsed)
}

/// Configures a [`Client`]; created by [`Client::builder`].
///
/// `Debug` never shows the credential.
pub struct ClientBuilder {
    credential: Credential,
    base_url: Option<Url>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credential", &self.credential)
            .field("base_url", &self.base_url.as_ref().map(Url::as_str))
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// Sets the base URL (default [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)).
    ///
    /// It may have a path, such as an organization
    /// (`https://dev.azure.com/my-org`); operation paths are appended to it.
    /// It must use `https`, or `http` to a loopback host (`localhost`,
    /// `127.0.0.0/8`, `::1`); plain `http` to any other host is refused by
    /// [`build`](Self::build) unless
    /// [`allow_insecure_http(true)`](Self::allow_insecure_http) was called
    /// (in any order).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the URL does not parse, is not `http`/`https`,
    /// has no host, contains a user name or password, or has a query or
    /// fragment.
    pub fn base_url(mut self, url: &str) -> Result<Self, Error> {
        self.base_url = Some(parse_base_url(url)?);
        Ok(self)
    }

    /// Allows a plain `http://` base URL to a non-loopback host. The
    /// credential then travels unencrypted: only for test setups.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]; use
    /// [`RetryPolicy::none`] to disable retries).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the timeout of each attempt, from sending the request to having
    /// read the whole response (default 30 s). Retries get a fresh timeout
    /// each. Also applies to a client given with
    /// [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the timeout for establishing a connection (default 10 s).
    /// Ignored when a client is given with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses the caller's own `reqwest` client (for proxies, custom TLS
    /// roots, ...). Its own timeouts, redirect policy and connection pool
    /// then apply; only a [`timeout`](Self::timeout) set explicitly on this
    /// builder is added per request. The default client follows no
    /// redirects (a redirect is returned as [`Error::Http`]); consider the
    /// same for yours, since Azure DevOps redirects unauthenticated calls to
    /// a sign-in page.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// - [`Error::Config`] if the base URL is plain `http` to a non-loopback
    ///   host and [`allow_insecure_http`](Self::allow_insecure_http) was not
    ///   set, or the HTTP client cannot be built;
    /// - [`Error::Credential`] if the credential is empty or holds
    ///   characters not allowed in an HTTP header.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = match self.base_url {
            Some(url) => url,
            None => parse_base_url(crate::DEFAULT_BASE_URL)?,
        };
        if base_url.scheme() == "http" && !self.allow_insecure_http && !is_loopback(&base_url) {
            return Err(Error::config(format!(
                "refusing plain http to non-loopback host {}: the credential would be sent \
                 unencrypted; use https, or call allow_insecure_http(true) to opt in",
                base_url.host_str().unwrap_or_default()
            )));
        }
        let authorization = self.credential.header_value()?;
        let custom_http_client = self.http_client.is_some();
        let (http, timeout) = match self.http_client {
            Some(client) => (client, self.timeout),
            None => {
                // The timeout of a `reqwest::Client` applies to each request it
                // sends, so to each attempt.
                let client = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|source| Error::Config {
                        message: String::from("could not build the HTTP client"),
                        source: Some(source),
                    })?;
                (client, Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)))
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                credential: self.credential,
                retry: self.retry,
                timeout,
                custom_http_client,
                throttled_until: Mutex::new(None),
            }),
        })
    }
}

/// A request as built by an operation (see `operations.rs`).
pub(crate) struct Request {
    /// Operation id, for tracing.
    #[cfg_attr(
        not(feature = "tracing"),
        allow(dead_code, reason = "read only by the tracing span")
    )]
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path, already percent-encoded, starting with `/`; appended to the
    /// base URL's path. Borrowed when the path has no parameter.
    pub path: Cow<'static, str>,
    /// Query, already form-urlencoded: `name=value` pairs joined by `&`.
    pub query: String,
    /// Extra headers.
    pub headers: Vec<(&'static str, Cow<'static, str>)>,
    /// JSON body; sent with `Content-Type: application/json`.
    pub body: Option<Vec<u8>>,
    /// Statuses the operation declares as success.
    pub success: &'static [u16],
    /// Whether sending the request twice has the same effect as once; only
    /// such requests are retried after failures that may follow the
    /// service's work (timeouts, dropped connections, 500/502/504).
    pub idempotent: bool,
}

/// How operations build a request: `Request::new`, then path, query and
/// headers in order, then the body.
#[allow(
    dead_code,
    reason = "each spec's operations use only the methods their parameters need"
)]
impl Request {
    pub(crate) fn new(
        operation_id: &'static str,
        method: Method,
        success: &'static [u16],
        idempotent: bool,
    ) -> Request {
        Request {
            operation_id,
            method,
            path: Cow::Borrowed(""),
            query: String::new(),
            headers: Vec::new(),
            body: None,
            success,
            idempotent,
        }
    }

    /// Appends literal text of the path template.
    pub(crate) fn path(&mut self, literal: &'static str) -> &mut Request {
        if self.path.is_empty() {
            self.path = Cow::Borrowed(literal);
        } else {
            self.path.to_mut().push_str(literal);
        }
        self
    }

    /// Appends a path parameter, percent-encoded as one segment.
    pub(crate) fn path_param(&mut self, value: &impl ParamValue) -> &mut Request {
        let path = self.path.to_mut();
        value.with_param(&mut |v| {
            path.extend(percent_encoding::utf8_percent_encode(v, PATH_SEGMENT))
        });
        self
    }

    /// Adds a query parameter: nothing when it is not set, the name once per
    /// item for an array. The generator writes `name` form-encoded already.
    pub(crate) fn query<P: Param>(&mut self, name: &'static str, value: &P) -> &mut Request {
        debug_assert!(name.bytes().all(|b| FORM_KEEP[usize::from(b)] || b == b'%'));
        let query = &mut self.query;
        value.each(&mut |v| {
            if query.is_empty() {
                // Room for a typical query at once rather than growing in steps.
                query.reserve(128);
            } else {
                query.push('&');
            }
            query.push_str(name);
            query.push('=');
            if P::URL_SAFE {
                query.push_str(v);
            } else {
                form_urlencode(query, v);
            }
        });
        self
    }

    /// Adds `name=value` to the query as it is: the generator encodes constant
    /// parameters (such as `api-version`) once, when it writes the operation.
    pub(crate) fn query_text(&mut self, encoded: &'static str) -> &mut Request {
        if self.query.is_empty() {
            self.query.reserve(128);
        } else {
            self.query.push('&');
        }
        self.query.push_str(encoded);
        self
    }

    /// Adds a header parameter; nothing when it is not set.
    pub(crate) fn header(&mut self, name: &'static str, value: &impl Param) -> &mut Request {
        let headers = &mut self.headers;
        value.each(&mut |v| headers.push((name, Cow::Owned(v.to_owned()))));
        self
    }

    /// Sets the JSON body.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        self.body = Some(json_body(body)?);
        Ok(())
    }
}

/// A response whose status is one the operation declares as success, with
/// its whole body.
pub(crate) struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    rate_limit: RateLimit,
    /// How many attempts it took (set by the retry loop).
    attempts: u32,
}

impl RawResponse {
    /// The response status.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// Decodes the body as JSON.
    #[allow(dead_code, reason = "used only by operations with a JSON response")]
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| {
            let truncated = self.body.len() > ERROR_BODY_LIMIT;
            let kept = if truncated {
                Bytes::copy_from_slice(self.body.get(..ERROR_BODY_LIMIT).unwrap_or_default())
            } else {
                self.body.clone()
            };
            Error::Decode {
                status: self.status,
                body: kept,
                body_truncated: truncated,
                source,
                rate_limit: Box::new(self.rate_limit.clone()),
            }
        })
    }

    /// Wraps the decoded value with the response's status and headers.
    pub(crate) fn into_api_response<T>(self, value: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            rate_limit: self.rate_limit,
            attempts: self.attempts,
            value,
        }
    }

    /// The error for a success status the operation has no handling for.
    pub(crate) fn unexpected(self) -> Error {
        let truncated = self.body.len() > ERROR_BODY_LIMIT;
        let kept = self.body.get(..ERROR_BODY_LIMIT).unwrap_or(&self.body);
        Error::UnexpectedStatus {
            status: self.status,
            body: body_to_text(kept),
            body_truncated: truncated,
            rate_limit: Box::new(self.rate_limit),
        }
    }
}

/// A successful response: the decoded value with the status and headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    attempts: u32,
    value: T,
}

impl<T> ApiResponse<T> {
    /// How many attempts the request took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers of the response (Azure DevOps may send them,
    /// and `Retry-After`, on a delayed success too).
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Takes the decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }
}

/// Serializes a request body as JSON.
pub(crate) fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|source| Error::Encode { source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::InvalidRequest;

    #[test]
    fn joins_base_path_and_query() {
        let base = Url::parse("http://host:8080/org/").unwrap();
        let url = join_url(&base, "/_apis/x", "api-version=5.0-preview.1&q=a+b%26c%3Dd");
        assert_eq!(
            url.as_str(),
            "http://host:8080/org/_apis/x?api-version=5.0-preview.1&q=a+b%26c%3Dd"
        );
        let base = Url::parse("https://dev.azure.com").unwrap();
        assert_eq!(
            join_url(&base, "/_apis/x", "").as_str(),
            "https://dev.azure.com/_apis/x"
        );
    }

    /// The same encoding as `url`'s `append_pair`, for every kind of byte: kept runs,
    /// space, reserved ASCII, multi-byte UTF-8 at the start, middle and end.
    #[test]
    fn form_urlencodes_like_the_url_crate() {
        for value in [
            "",
            "plain-._*09AZaz",
            "a b&c=d+e/f?g#h%i~j",
            "é",
            "xé",
            "éx",
            "a€b😀 c",
            "\u{0}\n\t",
        ] {
            let mut ours = String::new();
            form_urlencode(&mut ours, value);
            let mut theirs = Url::parse("http://h/").unwrap();
            theirs.query_pairs_mut().append_pair("k", value);
            assert_eq!(
                format!("k={ours}"),
                theirs.query().unwrap_or_default(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn builds_path_query_and_headers_in_order() {
        let mut r = Request::new("Op", Method::GET, &[200], true);
        r.path("/items/")
            .path_param(&String::from("a b/c?d%e~f.g-h_i"))
            .path("/x/")
            .path_param(&String::from("é"))
            .path("/")
            .path_param(&7i32)
            .query("ids", &vec![1i32, 2])
            .query("missing", &None::<String>)
            .query_text("api-version=1.0")
            .header("X-Id", &Some(uuid::Uuid::nil()));
        assert_eq!(r.path, "/items/a%20b%2Fc%3Fd%25e~f.g-h_i/x/%C3%A9/7");
        assert_eq!(r.query, "ids=1&ids=2&api-version=1.0");
        assert_eq!(
            r.headers,
            [("X-Id", Cow::from("00000000-0000-0000-0000-000000000000"))]
        );
        // A path without parameters is borrowed, not copied.
        let mut constant = Request::new("Op", Method::GET, &[200], true);
        constant.path("/_apis/x").query("q", &"a b&c=d");
        assert!(matches!(constant.path, Cow::Borrowed("/_apis/x")));
        assert_eq!(constant.query, "q=a+b%26c%3Dd");
        assert!(r.body.is_none());
        r.json(&[1, 2]).unwrap();
        assert_eq!(r.body.as_deref(), Some(&b"[1,2]"[..]));
    }

    #[test]
    fn loopback_detection() {
        for u in [
            "http://localhost:1",
            "http://LOCALHOST",
            "http://127.0.0.1",
            "http://127.1.2.3:9",
            "http://[::1]:8080",
        ] {
            assert!(is_loopback(&Url::parse(u).unwrap()), "{u}");
        }
        for u in [
            "http://example.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://128.0.0.1",
        ] {
            assert!(!is_loopback(&Url::parse(u).unwrap()), "{u}");
        }
    }

    fn raw(status: u16, body: &[u8]) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("3"));
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            rate_limit: RateLimit::from_headers(&headers),
            headers,
            body: Bytes::copy_from_slice(body),
            attempts: 1,
        }
    }

    #[test]
    fn undecodable_body_keeps_status_bytes_and_serde_error() {
        let err = raw(200, b"{not json").json::<Vec<u32>>().unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.status(), Some(StatusCode::OK));
        assert_eq!(err.body_bytes(), Some(&b"{not json"[..]));
        assert_eq!(err.body_text(), Some("{not json"));
        assert!(!err.is_body_truncated());
        assert_eq!(
            err.rate_limit().and_then(|r| r.retry_after),
            Some(Duration::from_secs(3))
        );
        let source = std::error::Error::source(&err).unwrap();
        assert!(source.is::<serde_json::Error>());

        let big = vec![b'x'; ERROR_BODY_LIMIT * 2];
        let err = raw(200, &big).json::<Vec<u32>>().unwrap_err();
        assert!(err.is_body_truncated());
        assert_eq!(err.body_bytes().map(<[u8]>::len), Some(ERROR_BODY_LIMIT));

        let ok: Vec<u32> = raw(200, b"[1,2]").json().unwrap();
        assert_eq!(ok, [1, 2]);
    }

    #[test]
    fn unexpected_status_is_an_error_with_the_response() {
        let err = raw(201, b"created").unexpected();
        assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
        assert_eq!(err.status(), Some(StatusCode::CREATED));
        assert_eq!(err.body_text(), Some("created"));
        assert!(
            err.to_string()
                .starts_with("unexpected HTTP status 201 Created")
        );
        assert!(!err.is_retryable());
    }

    #[test]
    fn api_response_accessors() {
        let response = raw(204, b"").into_api_response(5u8);
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_eq!(response.value(), &5);
        assert_eq!(
            response.rate_limit().retry_after,
            Some(Duration::from_secs(3))
        );
        assert!(response.headers().contains_key("retry-after"));
        assert_eq!(response.into_inner(), 5);
    }

    #[test]
    fn operation_headers_override_defaults_and_repeat() {
        let client = Client::builder(Credential::pat("p")).build().unwrap();
        let prepared = client
            .prepare(Request {
                operation_id: "op",
                method: Method::GET,
                path: Cow::Borrowed("/x"),
                query: String::new(),
                headers: vec![
                    (
                        "Accept",
                        "application/json;api-version=5.0-preview.1".into(),
                    ),
                    ("X-Tag", "a".into()),
                    ("x-tag", "b".into()),
                    ("Authorization", "nope".into()),
                ],
                body: None,
                success: &[200],
                idempotent: true,
            })
            .unwrap();
        let h = &prepared.first.as_ref().unwrap().1;
        assert_eq!(h.get_all(header::ACCEPT).iter().count(), 1);
        assert_eq!(
            h[header::ACCEPT],
            "application/json;api-version=5.0-preview.1"
        );
        assert_eq!(h.get_all("x-tag").iter().count(), 2);
        assert_eq!(h.get_all(header::AUTHORIZATION).iter().count(), 1);
        assert_eq!(h[header::AUTHORIZATION], "Basic OnA=");
        assert!(h.get(header::CONTENT_TYPE).is_none());

        let err = client
            .prepare(Request {
                operation_id: "op",
                method: Method::GET,
                path: Cow::Borrowed("/x"),
                query: String::new(),
                headers: vec![("X-Tag", "a\nb".into())],
                body: None,
                success: &[200],
                idempotent: true,
            })
            .err()
            .unwrap();
        assert_eq!(
            err.invalid_request_details().map(InvalidRequest::field),
            Some("x-tag")
        );
    }

    #[test]
    fn json_body_serializes() {
        assert_eq!(json_body(&[1, 2]).unwrap(), b"[1,2]");
    }

    #[test]
    fn base_url_validation() {
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("https://user:pw@x").is_err());
        assert!(parse_base_url("https://x/?a=b").is_err());
        assert!(parse_base_url("https://dev.azure.com/org").is_ok());
    }
}
