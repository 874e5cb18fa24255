//! The client and its configuration: [`Client`], shared by every request
//! and cheap to clone, and [`ClientBuilder`] with the checks of the base URL.
//! Sending lives beside: building a request and an attempt in
//! `request.rs`, reading the response in `response.rs`, the retry loop and
//! the throttle in `retry.rs`.

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use reqwest::Url;
use reqwest::header::{self, HeaderValue};

use crate::credential::{Authorization, Credential};
use crate::error::Error;
use crate::request::{Request, RequestPreview};
use crate::response::RawResponse;
use crate::retry::RetryPolicy;

/// Default timeout of one attempt (connect, send, and read the whole
/// response).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default timeout for establishing a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a preview holds for the `Authorization` header of a token not yet
/// fetched; shown as `<redacted>` like any credential.
const TOKEN_PLACEHOLDER: HeaderValue = HeaderValue::from_static("Bearer");

/// A client for the {{title}} API.
///
/// Cheap to clone (the state is shared behind an [`Arc`]); clones share the
/// connection pool, so create one client and reuse it. `Debug` never shows
/// the credential.
///
/// Every request carries `Accept: application/json`, the crate's
/// `User-Agent`, `X-TFS-FedAuthRedirect: Suppress` (so that a rejected
/// credential gets a `401` rather than a sign-in page) and the
/// `Authorization` header of the [`Credential`] (marked sensitive). Failed
/// attempts are retried according to the [`RetryPolicy`] (by default up to
/// 4 attempts, at most 60 s of waiting).
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
    pub(crate) inner: Arc<Inner>,
}

/// What the clones of a client share; the other modules' `impl Client` blocks
/// (sending, retrying) read it.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) authorization: Authorization,
    credential: Credential,
    pub(crate) retry: RetryPolicy,
    /// Per-attempt timeout: set on this client's own HTTP client, or on each
    /// request sent through the caller's; `None` when the caller's own HTTP
    /// client decides.
    pub(crate) timeout: Option<Duration>,
    pub(crate) custom_http_client: bool,
    /// Until when the service asked this client to hold back (from the
    /// `Retry-After` or `X-RateLimit-Delay` of a throttled response). Shared
    /// by every request of the client, so that concurrent requests pause
    /// together instead of each discovering the throttle on its own.
    pub(crate) throttled_until: Mutex<Option<Instant>>,
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
    /// response when its status is one of the operation's successes.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let prepared = self.prepare(request)?;
        #[cfg(feature = "tracing")]
        let span = prepared.span.clone();
        let fut = self.execute_with_retries(prepared);
        #[cfg(feature = "tracing")]
        let fut = tracing::Instrument::instrument(fut, span);
        fut.await
    }

    /// The request as it would be sent, without sending it.
    pub(crate) fn preview(&self, request: Request) -> Result<RequestPreview, Error> {
        let (url, mut headers) = self.parts(&request, request.has_body())?;
        if let Authorization::Renewed(_) = self.inner.authorization {
            // A token is fetched only to send (a dry run runs no provider and
            // no Azure CLI); the preview shows the header redacted anyway.
            headers.insert(header::AUTHORIZATION, TOKEN_PLACEHOLDER);
        }
        Ok(RequestPreview::new(request, &url, &headers))
    }
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
    /// - [`Error::Credential`] if a personal access token or bearer token
    ///   is empty or holds characters not allowed in an HTTP header (a
    ///   token provider or the Azure CLI is first asked for a token by the
    ///   first request).
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
        let authorization = self.credential.authorization()?;
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

/// Whether the URL's host is a loopback address (`127.0.0.0/8`, `::1`) or
/// `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
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
pub(crate) fn parse_base_url(url: &str) -> Result<Url, Error> {
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
