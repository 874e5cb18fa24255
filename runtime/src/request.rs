//! A request: the [`Request`] an operation fills in and its encoding (path
//! segments, form-urlencoded query, headers, JSON body), the URL and headers
//! of each attempt, the [`RequestPreview`] of a dry run, and the sending of
//! one attempt.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::Url;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::client::ClientCore;
use crate::correlation::{self, Correlation, Sent, SentIds};
use crate::credential::Authorization;
use crate::error::Error;
use crate::operation::Operation;
use crate::params::{Param, ParamValue};
use crate::response::RawResponse;
use crate::upload::{StreamSlot, UploadBody};

/// Characters percent-encoded in a path segment: all but the unreserved
/// characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request as an operation builds it (see a generated crate's
/// `operations.rs`): the operation's [`Endpoint::build`](crate::Endpoint)
/// fills it in, path, query and headers in order, then the body.
pub struct Request {
    /// What the operation is: method, success statuses, idempotency.
    pub(crate) operation: Operation,
    /// Path, already percent-encoded, starting with `/`; appended to the
    /// base URL's path. Borrowed when the path has no parameter.
    pub(crate) path: Cow<'static, str>,
    /// Query, already form-urlencoded: `name=value` pairs joined by `&`.
    pub(crate) query: String,
    /// Extra headers.
    pub(crate) headers: Vec<(&'static str, Cow<'static, str>)>,
    /// The body: JSON, sent with `Content-Type: application/json` unless the
    /// operation sends another (for text, bytes, `application/json-patch+json`).
    pub(crate) body: Option<Bytes>,
    /// A streamed body instead, taken out of its slot only when sent.
    pub(crate) stream: Option<StreamSlot>,
    /// Whether the success body is left unread, for a [`Download`](crate::Download).
    pub(crate) streamed_response: bool,
    /// The call's own timeout, instead of the client's (see [`CallOptions`](crate::options::CallOptions)).
    pub(crate) timeout: Option<Duration>,
    /// Headers the caller added to the call, checked.
    pub(crate) extra_headers: Vec<(HeaderName, HeaderValue)>,
    /// `X-VSS-E2EID`: the caller's, or a new id when the request is prepared.
    pub(crate) request_id: Option<HeaderValue>,
}

impl Request {
    pub(crate) fn new(operation: Operation) -> Request {
        Request {
            operation,
            path: Cow::Borrowed(""),
            query: String::new(),
            headers: Vec::new(),
            body: None,
            stream: None,
            streamed_response: false,
            timeout: None,
            extra_headers: Vec::new(),
            request_id: None,
        }
    }

    /// Appends literal text of the path template.
    pub fn path(&mut self, literal: &'static str) -> &mut Request {
        if self.path.is_empty() {
            self.path = Cow::Borrowed(literal);
        } else {
            self.path.to_mut().push_str(literal);
        }
        self
    }

    /// Appends a path parameter, percent-encoded as one segment.
    pub fn path_param(&mut self, value: &impl ParamValue) -> &mut Request {
        let path = self.path.to_mut();
        value.with_param(&mut |v| {
            path.extend(percent_encoding::utf8_percent_encode(v, PATH_SEGMENT))
        });
        self
    }

    /// Adds a query parameter: nothing when it is not set, the name once per
    /// item for an array. The generator writes `name` form-encoded already.
    pub fn query<P: Param>(&mut self, name: &'static str, value: &P) -> &mut Request {
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
    pub fn query_text(&mut self, encoded: &'static str) -> &mut Request {
        if self.query.is_empty() {
            self.query.reserve(128);
        } else {
            self.query.push('&');
        }
        self.query.push_str(encoded);
        self
    }

    /// Adds a header parameter; nothing when it is not set.
    pub fn header(&mut self, name: &'static str, value: &impl Param) -> &mut Request {
        let headers = &mut self.headers;
        value.each(&mut |v| headers.push((name, Cow::Owned(v.to_owned()))));
        self
    }

    /// Adds a header the operation always sends with the same value.
    pub fn header_text(&mut self, name: &'static str, value: &'static str) -> &mut Request {
        self.headers.push((name, Cow::Borrowed(value)));
        self
    }

    /// Sets the JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        self.body = Some(Bytes::from(json_body(body)?));
        Ok(())
    }

    /// Sets a body of text; the operation sends its `Content-Type`.
    pub fn text(&mut self, body: &str) -> Result<(), Error> {
        self.body = Some(Bytes::copy_from_slice(body.as_bytes()));
        Ok(())
    }

    /// Sets a body of bytes, in memory or streamed; the operation sends its
    /// `Content-Type`.
    pub fn upload(&mut self, body: &UploadBody<'_>) -> Result<(), Error> {
        match body.parts() {
            Ok(bytes) => self.body = Some(bytes),
            Err(stream) => self.stream = Some(stream),
        }
        Ok(())
    }

    /// Whether a body goes with the request.
    pub(crate) fn has_body(&self) -> bool {
        self.body.is_some() || self.stream.is_some()
    }

    /// Sets the value of a header the operation set (`Content-Type`,
    /// `Accept`), or adds it.
    pub(crate) fn replace_header(&mut self, name: &'static str, value: &'static str) {
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(header) => header.1 = Cow::Borrowed(value),
            None => self.headers.push((name, Cow::Borrowed(value))),
        }
    }
}

/// Serializes a request body as JSON.
pub(crate) fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|source| Error::Encode { source })
}

/// Appends an already-encoded `path` and `query` to the base URL: the URL
/// that parsing the base, path and query written out as one string gives.
pub(crate) fn join_url(base: &Url, path: &str, query: &str) -> Url {
    // The base URL is parsed once, when the client is built: each request sets its path and
    // query on a copy rather than parsing a whole URL again (scheme, host, its IDNA
    // processing: a tenth of a call's instructions).
    let base_path = base.path().trim_end_matches('/');
    let mut full = String::with_capacity(base_path.len() + path.len() + 1);
    full.push_str(base_path);
    if !path.starts_with('/') {
        full.push('/');
    }
    full.push_str(path);
    let mut url = base.clone();
    url.set_path(&full);
    url.set_query((!query.is_empty()).then_some(query));
    url
}

/// `application/x-www-form-urlencoded` encoding, as browsers and `url`'s
/// `append_pair` do it: space becomes `+`, `*-._` and alphanumerics stay.
/// Runs of bytes that stay are copied at once: this runs on every parameter
/// of every request.
pub(crate) fn form_urlencode(out: &mut String, value: &str) {
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

// Checked when compiling rather than on every request.
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
/// Asks Azure DevOps to answer a rejected credential with `401` rather than
/// a `203` and an HTML sign-in page.
const FEDAUTH_REDIRECT: HeaderName = HeaderName::from_static("x-tfs-fedauthredirect");
const SUPPRESS: HeaderValue = HeaderValue::from_static("Suppress");

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
    /// The body, if the request has one (bytes that are not UTF-8 replaced;
    /// a streamed body, which a preview does not read, as `<stream>`).
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

impl RequestPreview {
    /// What `request` sends to `url` with `headers`, the credential redacted.
    pub(crate) fn new(request: Request, url: &Url, headers: &HeaderMap) -> RequestPreview {
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
        RequestPreview {
            method: request.operation.method.as_str().to_owned(),
            url: url.to_string(),
            headers,
            body: match (&request.body, &request.stream) {
                (Some(body), _) => Some(String::from_utf8_lossy(body).into_owned()),
                (None, Some(_)) => Some(String::from("<stream>")),
                (None, None) => None,
            },
        }
    }
}

/// A request ready to be sent (possibly several times).
pub(crate) struct Prepared {
    #[cfg(feature = "tracing")]
    pub(crate) span: tracing::Span,
    /// URL and headers for the first attempt (checked when preparing).
    pub(crate) first: Option<(Url, HeaderMap)>,
    /// The body, shared by every attempt.
    body: Option<Bytes>,
    /// A streamed body: the first attempt takes it, and nothing is retried
    /// after (see [`Prepared::replayable`]).
    stream: Option<reqwest::Body>,
    /// Whether a streamed body went with an attempt.
    stream_sent: bool,
    /// Which fetch of the credential's token cache the last attempt's token
    /// came from (tokens that expire only), to forget it after a `401`.
    pub(crate) token_fetch: u64,
    /// What the operation asked for (its body moved to `body`).
    pub(crate) request: Request,
}

impl ClientCore {
    /// Builds the URL and headers once for all attempts, the request's id among them (the
    /// same on every attempt).
    pub(crate) fn prepare(&self, mut request: Request) -> Result<Prepared, Error> {
        if request.request_id.is_none() {
            request.request_id = Some(self.inner.request_ids.next());
        }
        let first = self.parts(&request, request.has_body())?;
        let stream = match request.stream.take() {
            Some(slot) => Some(
                slot.lock()
                    .ok()
                    .and_then(|mut body| body.take())
                    .ok_or_else(|| {
                        Error::invalid_request(
                            "body",
                            "the stream was sent already: a streamed body can be sent once",
                        )
                    })?,
            ),
            None => None,
        };
        #[cfg(feature = "tracing")]
        let span = request_span(&request, &first.0);
        let body = request.body.take();
        Ok(Prepared {
            #[cfg(feature = "tracing")]
            span,
            first: Some(first),
            body,
            stream,
            stream_sent: false,
            token_fetch: 0,
            request,
        })
    }

    /// The URL and headers of `request`; `json_body` tells whether a body
    /// goes with it (by the time a retry asks, the request's own has moved to
    /// `Prepared`); without one, no `Content-Type` is sent.
    pub(crate) fn parts(
        &self,
        request: &Request,
        json_body: bool,
    ) -> Result<(Url, HeaderMap), Error> {
        let url = join_url(
            self.url_for(request.operation.area),
            &request.path,
            &request.query,
        );
        // Room for the headers a request has, so that the map need not grow on the way.
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(header::ACCEPT, APPLICATION_JSON);
        headers.insert(header::USER_AGENT, self.inner.user_agent.clone());
        headers.insert(FEDAUTH_REDIRECT, SUPPRESS);
        headers.insert(correlation::SESSION, self.inner.session.clone());
        if let Some(id) = &request.request_id {
            headers.insert(correlation::REQUEST_ID, id.clone());
        }
        if json_body {
            headers.insert(header::CONTENT_TYPE, APPLICATION_JSON);
        }
        // An operation's header replaces a default of the same name (`Accept`,
        // or `Content-Type` for a body that is not plain JSON); repeated names
        // are all sent. `Authorization` is always the credential's.
        let mut seen: Vec<HeaderName> = Vec::new();
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid_request(*name, "is not a valid HTTP header name"))?;
            // The media type of an optional body not set describes nothing.
            if name == header::CONTENT_TYPE && !json_body {
                continue;
            }
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
        // The caller's headers, checked when the call was built (none the client owns).
        for (name, value) in &request.extra_headers {
            headers.append(name.clone(), value.clone());
        }
        // A token that expires is added by each attempt, from the cache.
        if let Authorization::Fixed(value) = &self.inner.authorization {
            headers.insert(header::AUTHORIZATION, value.clone());
        }
        Ok((url, headers))
    }

    /// One attempt: send, then read the response (see
    /// [`RawResponse::read`]). The `last` attempt takes the body instead of
    /// sharing it with attempts to come.
    pub(crate) async fn attempt(
        &self,
        prepared: &mut Prepared,
        last: bool,
    ) -> Result<RawResponse, Error> {
        // The first attempt takes the parts built up front; a retry builds them
        // again rather than every request paying for a copy it rarely needs.
        let (url, mut headers) = match prepared.first.take() {
            Some(parts) => parts,
            None => self.parts(&prepared.request, prepared.body.is_some())?,
        };
        if let Authorization::Renewed(tokens) = &self.inner.authorization {
            // Fails before anything is sent when no token can be had.
            let (value, fetch) = tokens.header().await?;
            headers.insert(header::AUTHORIZATION, value);
            prepared.token_fetch = fetch;
        }
        // Made directly rather than through `RequestBuilder::headers`, which would
        // copy every header into a second map.
        let mut request = reqwest::Request::new(prepared.request.operation.method.clone(), url);
        *request.headers_mut() = headers;
        *request.body_mut() = if let Some(stream) = prepared.stream.take() {
            prepared.stream_sent = true;
            Some(stream)
        } else if last {
            prepared.body.take().map(reqwest::Body::from)
        } else {
            prepared.body.clone().map(reqwest::Body::from)
        };
        // This client's own `reqwest::Client` applies the timeout already;
        // setting it per request allocates on every request. A call's own
        // replaces the client's.
        if let Some(timeout) = prepared.request.timeout {
            *request.timeout_mut() = Some(timeout);
        } else if self.inner.custom_http_client
            && let Some(timeout) = self.inner.timeout
        {
            *request.timeout_mut() = Some(timeout);
        }
        let response = match self.inner.http.execute(request).await {
            Ok(response) => response,
            Err(source) => {
                return Err(Error::transport(source)
                    .with_correlation(Correlation::of_request(self.sent(prepared))));
            }
        };
        #[cfg(feature = "tracing")]
        {
            prepared
                .span
                .record("http.response.status_code", response.status().as_u16());
            if let Some(id) = response
                .headers()
                .get("activityid")
                .and_then(|v| v.to_str().ok())
            {
                prepared.span.record("az.service_request_id", id);
            }
        }
        RawResponse::read(
            response,
            prepared.request.operation.success,
            prepared.request.streamed_response,
            self.sent(prepared),
        )
        .await
    }

    /// The ids `prepared` is sent with.
    fn sent<'p>(&'p self, prepared: &'p Prepared) -> Sent<'p> {
        Sent {
            session: &self.inner.session,
            request: prepared.request.request_id.as_ref(),
        }
    }

    /// The ids `prepared` was sent with, for the response of its last attempt.
    pub(crate) fn sent_ids(&self, prepared: &mut Prepared) -> SentIds {
        SentIds {
            session: self.inner.session.clone(),
            request: prepared.request.request_id.take(),
        }
    }
}

/// The span of one call, its retries included, with OpenTelemetry's names of an HTTP
/// client's attributes (and the operation's id, and the ids Azure DevOps keys its logs by):
/// `http.request.method`, `url.full`, `server.address`, `server.port`, then on each attempt
/// `http.response.status_code` and `http.request.resend_count`, and `error.type` when the
/// call fails. Nothing secret: no header goes in, and a base URL holds no credential.
#[cfg(feature = "tracing")]
fn request_span(request: &Request, url: &Url) -> tracing::Span {
    let method = request.operation.method.as_str();
    tracing::info_span!(
        "request",
        otel.name = %format_args!("{method} {}", request.operation.id),
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        http.request.method = method,
        url.full = %url,
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        azure_devops.operation_id = request.operation.id,
        az.client_request_id = request
            .request_id
            .as_ref()
            .and_then(|id| id.to_str().ok())
            .unwrap_or_default(),
        az.service_request_id = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

impl Prepared {
    /// Whether the request can be sent again: not once a streamed body went
    /// with an attempt, since the stream is consumed.
    pub(crate) fn replayable(&self) -> bool {
        !self.stream_sent
    }
}
