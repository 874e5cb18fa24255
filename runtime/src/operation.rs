//! What every operation shares, written once rather than once per
//! operation: its description ([`Operation`]), the trait its parameters
//! implement ([`Endpoint`]), and [`Call`], the request each request builder
//! of a generated crate holds, which checks, previews and sends it.
//!
//! An operation's own code in a generated crate is its parameters, how they
//! make the request, and how its response is read; everything else is here,
//! compiled once.

use std::fmt;
use std::time::Duration;

use reqwest::Method;

use crate::area::Area;
use crate::client::ClientCore;
use crate::error::Error;
use crate::media::Choices;
use crate::options::CallOptions;
use crate::request::{Request, RequestPreview};
use crate::response::{ApiResponse, RawResponse};

/// What the client needs to know of one operation of the spec; each
/// operation has one, as a constant.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId`, for tracing and `Debug`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The statuses the operation declares as success; any other is an
    /// error.
    pub success: &'static [u16],
    /// Whether sending the request twice has the effect of sending it once:
    /// only such requests are retried after failures that may follow the
    /// service's work (see [`RetryPolicy`](crate::RetryPolicy)).
    pub idempotent: bool,
    /// The area of the operation, which tells the base URL.
    pub area: &'static Area,
}

/// The parameters of one operation. Each method of a generated client
/// returns a request builder holding the parameters of its operation, one
/// type per operation (`…Params`), which implement this trait.
///
/// A generated crate's own operations are the only implementations: the
/// methods of the trait take types that are not public API.
pub trait Endpoint: Send + Sync {
    /// What the operation's `send()` returns.
    type Output;

    #[doc(hidden)]
    const OPERATION: Operation;

    /// Checks the parameters and writes them into the request.
    #[doc(hidden)]
    fn build(&self, request: &mut Request) -> Result<(), Error>;

    /// Reads a response whose status is one of the operation's successes.
    #[doc(hidden)]
    fn decode(response: &RawResponse) -> Result<Self::Output, Error>;
}

/// A request to one operation: the client it goes through, the operation's
/// parameters and the media types the caller chose. A generated crate's
/// `RequestBuilder` wraps one, and its methods are these.
pub struct Call<'a, E> {
    /// The client the request is sent through.
    pub client: &'a ClientCore,
    /// The operation's parameters; the builder's setters write them.
    pub params: E,
    /// The media types the caller chose, if the operation declares several.
    pub choices: Choices,
    /// What the caller set on this call besides its parameters (a timeout,
    /// headers, the request id); boxed, so that a call without costs nothing.
    pub options: Option<Box<CallOptions>>,
}

/// The operation and the request it would send (as [`preview`](Call::preview)
/// shows it, without the client's headers), or why it is invalid. Written once
/// here rather than derived for the parameters of every operation.
impl<E: Endpoint> fmt::Debug for Call<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("RequestBuilder");
        out.field("operation", &E::OPERATION.id);
        match self.request() {
            Ok(request) => out
                .field("method", &request.operation.method)
                .field("path", &request.path)
                .field("query", &request.query)
                .field("headers", &request.headers)
                .field(
                    "body",
                    &match (&request.body, &request.stream) {
                        (Some(body), _) => Some(String::from_utf8_lossy(body)),
                        (None, Some(_)) => Some(std::borrow::Cow::Borrowed("<stream>")),
                        (None, None) => None,
                    },
                ),
            Err(error) => out.field("invalid", &error),
        };
        out.finish_non_exhaustive()
    }
}

impl<'a, E: Endpoint> Call<'a, E> {
    /// A request to the operation of `params`, through `client`.
    pub fn new(client: &'a ClientCore, params: E) -> Self {
        Call {
            client,
            params,
            choices: Choices::default(),
            options: None,
        }
    }

    /// The call's options, to set one.
    fn options(&mut self) -> &mut CallOptions {
        self.options.get_or_insert_with(Box::default)
    }

    /// Gives this call a timeout of its own (for each attempt), instead of
    /// the client's: a large download, or a slow query.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options().timeout(timeout);
        self
    }

    /// Sends the header `name: value` with this call. Refused when the
    /// request is built ([`Error::InvalidRequest`]) for a header the client
    /// sets itself (`Authorization`, `Accept` and `Content-Type`, which carry
    /// the api-version and the declared media types, `X-TFS-Session`,
    /// `X-VSS-E2EID`, ...) or that is a header parameter the call sends
    /// already.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.options().header(name, value);
        self
    }

    /// Sends this call with `id` as its `X-VSS-E2EID` (on every attempt),
    /// instead of a new random id: to find it in the service's logs under an
    /// id of the caller's.
    pub fn request_id(mut self, id: &str) -> Self {
        self.options().request_id(id);
        self
    }

    /// The request this call would send, without sending it: method, URL
    /// with the query, headers (the credential redacted) and body.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when a parameter or the body breaks a
    /// constraint of the spec.
    pub fn preview(&self) -> Result<RequestPreview, Error> {
        self.client.preview(self.request()?)
    }

    /// Sends the request and returns the decoded response with its status,
    /// headers and rate-limit headers.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_with_response(self) -> Result<ApiResponse<E::Output>, Error> {
        let response = self.client.execute(self.request()?).await?;
        let value = E::decode(&response)?;
        Ok(response.into_api_response(value))
    }

    /// Sends the request and returns the decoded response.
    ///
    /// # Errors
    ///
    /// Any [`Error`]: a parameter or the body breaks a constraint of the spec
    /// (nothing is sent), the service cannot be reached, it answers with a
    /// status the operation does not declare as success (after the retries of
    /// the client's [`RetryPolicy`](crate::RetryPolicy)), or the body does
    /// not decode.
    pub async fn send(self) -> Result<E::Output, Error> {
        // Awaits the request itself rather than `send_with_response`: one
        // level of futures fewer on the usual path.
        let response = self.client.execute(self.request()?).await?;
        E::decode(&response)
    }

    /// Checks the parameters and builds the request.
    pub(crate) fn request(&self) -> Result<Request, Error> {
        let mut request = Request::new(E::OPERATION);
        self.params.build(&mut request)?;
        self.choices.apply(&mut request)?;
        if let Some(options) = &self.options {
            options.apply(&mut request)?;
        }
        Ok(request)
    }
}
