//! The state every request of a client shares: [`ClientCore`] (the HTTP
//! connection pool, the credential, the retry policy and throttle, the base
//! URLs) and [`CoreBuilder`] with the checks of the base URLs. A generated
//! crate's `Client` and `ClientBuilder` are thin wrappers of these (see the
//! `__client!` macro), one `Client` for all of the crate's areas.
//! Sending lives beside: building a request and an attempt in `request.rs`,
//! reading the response in `response.rs`, the retry loop and the throttle in
//! `retry.rs`.

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use reqwest::Url;
use reqwest::header::{self, HeaderValue};

use crate::area::Area;
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

/// What a generated crate tells the runtime about itself when it builds a
/// client: its default base URL, its `User-Agent`, and its areas.
#[derive(Debug, Clone, Copy)]
pub struct ClientDefaults {
    /// Where requests go unless their area has another base URL: the crate's
    /// `DEFAULT_BASE_URL`.
    pub base_url: &'static str,
    /// The crate's `USER_AGENT` (`name/version`).
    pub user_agent: &'static str,
    /// The areas compiled into the crate (in a crate of several areas, those
    /// whose cargo feature is on).
    pub areas: &'static [Area],
}

/// The state a generated `Client` holds: cheap to clone (behind an [`Arc`]),
/// shared by every request and every area of the client.
#[derive(Clone)]
pub struct ClientCore {
    pub(crate) inner: Arc<Inner>,
}

/// What the clones of a client share; the other modules' `impl ClientCore`
/// blocks (sending, retrying) read it.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Where requests go, unless `area_urls` names their area.
    pub(crate) base_url: Url,
    /// The areas whose requests go elsewhere than `base_url` (their own
    /// default, or one set for them); empty for a crate of one area.
    pub(crate) area_urls: Vec<(&'static str, Url)>,
    pub(crate) user_agent: HeaderValue,
    /// `X-TFS-Session`, sent with every request.
    pub(crate) session: HeaderValue,
    /// The `X-VSS-E2EID` of each request.
    pub(crate) request_ids: crate::correlation::RequestIds,
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
    /// by every request of the client, whatever its area, so that concurrent
    /// requests pause together instead of each discovering the throttle on
    /// its own (Azure DevOps limits a user, not an area).
    pub(crate) throttled_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Client");
        out.field("base_url", &self.inner.base_url.as_str());
        if !self.inner.area_urls.is_empty() {
            let areas: Vec<(&str, &str)> = self
                .inner
                .area_urls
                .iter()
                .map(|(area, url)| (*area, url.as_str()))
                .collect();
            out.field("area_base_urls", &areas);
        }
        out.field("credential", &self.inner.credential)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("session_id", &self.inner.session)
            .field("custom_http_client", &self.inner.custom_http_client)
            .finish_non_exhaustive()
    }
}

impl ClientCore {
    /// Starts configuring a client that authenticates with `credential`.
    pub fn builder(credential: Credential, defaults: ClientDefaults) -> CoreBuilder {
        CoreBuilder {
            credential,
            defaults,
            base_url: None,
            area_urls: Vec::new(),
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
            timeout: None,
            connect_timeout: None,
            http_client: None,
            session_id: None,
        }
    }

    /// The base URL that operation paths are appended to (for an area with
    /// a base URL of its own, see [`base_url_of`](Self::base_url_of)).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The base URL the operations of `area` are appended to.
    pub fn base_url_of(&self, area: &Area) -> &Url {
        self.url_for(area)
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Where the requests of `area` go. A crate of one area has no entry: one
    /// comparison of a short name at most for the others.
    pub(crate) fn url_for(&self, area: &Area) -> &Url {
        self.inner
            .area_urls
            .iter()
            .find(|(name, _)| *name == area.name())
            .map_or(&self.inner.base_url, |(_, url)| url)
    }

    /// Sends a request, retrying according to the policy, and returns the
    /// response when its status is one of the operation's successes.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let prepared = self.prepare(request)?;
        #[cfg(feature = "tracing")]
        let span = prepared.span.clone();
        let fut = self.execute_with_retries(prepared);
        #[cfg(feature = "tracing")]
        let fut = tracing::Instrument::instrument(fut, span.clone());
        let result = fut.await;
        #[cfg(feature = "tracing")]
        if let Err(error) = &result {
            span.record("error.type", error.type_name());
            span.record("otel.status_code", "ERROR");
        }
        result
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

/// Configures a [`ClientCore`]; created by [`ClientCore::builder`].
///
/// `Debug` never shows the credential.
pub struct CoreBuilder {
    credential: Credential,
    defaults: ClientDefaults,
    base_url: Option<Url>,
    /// Base URLs set for one area each, in the order set.
    area_urls: Vec<(Area, Url)>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    session_id: Option<String>,
}

impl fmt::Debug for CoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ClientBuilder");
        out.field("credential", &self.credential)
            .field("base_url", &self.base_url.as_ref().map(Url::as_str));
        if !self.area_urls.is_empty() {
            let areas: Vec<(&str, &str)> = self
                .area_urls
                .iter()
                .map(|(area, url)| (area.name(), url.as_str()))
                .collect();
            out.field("area_base_urls", &areas);
        }
        out.field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("custom_http_client", &self.http_client.is_some())
            .field("session_id", &self.session_id)
            .finish()
    }
}

impl CoreBuilder {
    /// Sets the base URL of every area (see the generated `ClientBuilder`).
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

    /// Sets the base URL of one area, whatever [`base_url`](Self::base_url)
    /// says (in any order). Checked as `base_url` checks; an area the crate
    /// does not have is refused by [`build`](Self::build).
    ///
    /// # Errors
    ///
    /// As [`base_url`](Self::base_url).
    pub fn area_base_url(mut self, area: &Area, url: &str) -> Result<Self, Error> {
        let url = parse_base_url(url)?;
        self.area_urls.retain(|(a, _)| a.name() != area.name());
        self.area_urls.push((*area, url));
        Ok(self)
    }

    /// Allows a plain `http://` base URL to a non-loopback host.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the timeout for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses the caller's own `reqwest` client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The `X-TFS-Session` every request of the client carries, instead of a new random
    /// id; checked by [`build`](Self::build).
    pub fn session_id(mut self, id: &str) -> Self {
        self.session_id = Some(id.to_owned());
        self
    }

    /// Builds the client (see the generated `ClientBuilder::build`).
    ///
    /// # Errors
    ///
    /// - [`Error::Config`] if a base URL is plain `http` to a non-loopback
    ///   host and [`allow_insecure_http`](Self::allow_insecure_http) was not
    ///   set, a base URL was set for an area the crate does not have, or the
    ///   HTTP client cannot be built;
    /// - [`Error::Credential`] if a personal access token or bearer token
    ///   is empty or holds characters not allowed in an HTTP header.
    pub fn build(self) -> Result<ClientCore, Error> {
        let defaults = self.defaults;
        let set_for_all = self.base_url.is_some();
        let base_url = match self.base_url {
            Some(url) => url,
            None => parse_base_url(defaults.base_url)?,
        };
        let mut area_urls = Vec::new();
        for (area, _) in &self.area_urls {
            if !defaults.areas.iter().any(|a| a.name() == area.name()) {
                let known: Vec<&str> = defaults.areas.iter().map(Area::name).collect();
                return Err(Error::config(format!(
                    "a base URL was set for the area {:?}, which this client does not have \
                     (its areas: {}; a crate of several areas has those whose cargo feature \
                     is on)",
                    area.name(),
                    if known.is_empty() {
                        String::from("none")
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
        for area in defaults.areas {
            let url = match self.area_urls.iter().find(|(a, _)| a.name() == area.name()) {
                Some((_, url)) => url.clone(),
                // A base URL set for all areas is where every area goes.
                None if set_for_all => continue,
                None if area.default_base_url() == defaults.base_url => continue,
                None => parse_base_url(area.default_base_url())?,
            };
            if url != base_url {
                area_urls.push((area.name(), url));
            }
        }
        for url in std::iter::once(&base_url).chain(area_urls.iter().map(|(_, url)| url)) {
            if url.scheme() == "http" && !self.allow_insecure_http && !is_loopback(url) {
                return Err(Error::config(format!(
                    "refusing plain http to non-loopback host {}: the credential would be sent \
                     unencrypted; use https, or call allow_insecure_http(true) to opt in",
                    url.host_str().unwrap_or_default()
                )));
            }
        }
        let user_agent = HeaderValue::from_str(defaults.user_agent)
            .map_err(|_| Error::config("the crate's User-Agent is not a valid header value"))?;
        let session = match &self.session_id {
            Some(id) => crate::correlation::header_value("session_id", id)
                .map_err(|_| Error::config("the session id is not a valid header value"))?,
            None => crate::correlation::new_id(),
        };
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
                    // The retries are this client's own (`retry.rs`); reqwest's would only
                    // resend HTTP/2 refusals, which an HTTP/1 client never gets, yet it
                    // copies every request's headers and body in case.
                    .retry(reqwest::retry::never().max_retries_per_request(0))
                    .build()
                    .map_err(|source| Error::Config {
                        message: String::from("could not build the HTTP client"),
                        source: Some(source),
                    })?;
                (client, Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)))
            }
        };
        Ok(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                area_urls,
                user_agent,
                session,
                request_ids: crate::correlation::RequestIds::new(),
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
