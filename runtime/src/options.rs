//! Options of one call, set on its request builder: a timeout of its own, extra headers,
//! and the request's end-to-end id ([`CallOptions`], the builder's `timeout()`, `header()`
//! and `request_id()`). Checked when the request is built, as the parameters are: an option
//! the client would not honour is an [`Error::InvalidRequest`](crate::Error) before
//! anything is sent.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::correlation::header_value;
use crate::error::Error;
use crate::request::Request;

/// Headers a caller may not set on one call: the client's own (the credential, the session
/// and the request id it manages, the redirect it must suppress), those the HTTP layer
/// writes, and the media types, which the operation declares (a media type of another
/// api-version would change what the call means: the builder's `content_type()` and
/// `accept()` choose among the declared ones).
const OWNED: &[&str] = &[
    "accept",
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "host",
    "proxy-authorization",
    "te",
    "transfer-encoding",
    "upgrade",
    "x-tfs-fedauthredirect",
    "x-tfs-session",
    "x-vss-e2eid",
];

/// What the caller set on one call besides its parameters.
#[derive(Debug, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    headers: Vec<(String, String)>,
    request_id: Option<String>,
}

impl CallOptions {
    /// Sets the call's timeout (each attempt's), instead of the client's.
    pub(crate) fn timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Adds a header.
    pub(crate) fn header(&mut self, name: &str, value: &str) {
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    /// Sets the request's `X-VSS-E2EID`, instead of a new random id.
    pub(crate) fn request_id(&mut self, id: &str) {
        self.request_id = Some(id.to_owned());
    }

    /// Puts the options on `request`, after the operation built it.
    pub(crate) fn apply(&self, request: &mut Request) -> Result<(), Error> {
        if let Some(timeout) = self.timeout {
            if timeout.is_zero() {
                return Err(Error::invalid_request(
                    "timeout",
                    "must be longer than zero",
                ));
            }
            request.timeout = Some(timeout);
        }
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid_request(name, "is not a valid HTTP header name"))?;
            if OWNED.contains(&header.as_str()) {
                return Err(Error::invalid_request(
                    name,
                    "is a header the client sets itself and cannot be set on a call",
                ));
            }
            if request
                .headers
                .iter()
                .any(|(own, _)| own.eq_ignore_ascii_case(header.as_str()))
            {
                return Err(Error::invalid_request(
                    name,
                    "is a header parameter of the operation: set it with its setter",
                ));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid_request(
                    name,
                    "must not contain control characters (not a valid HTTP header value)",
                )
            })?;
            request.extra_headers.push((header, value));
        }
        if let Some(id) = &self.request_id {
            request.request_id = Some(header_value("request_id", id)?);
        }
        Ok(())
    }
}
