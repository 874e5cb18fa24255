//! What every operation shares, written once rather than once per
//! operation: its description ([`Operation`]), the trait its parameters
//! implement ([`Endpoint`]), and the [`RequestBuilder`] each method of
//! [`Client`] returns, which checks, previews and sends the request.
//!
//! An operation's own code in `operations.rs` is its parameters, how they
//! make the request, and how its response is read; everything else is here,
//! compiled once for the whole crate.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::media::Choices;
use crate::request::{Request, RequestPreview};
use crate::response::{ApiResponse, RawResponse};

/// What the client needs to know of one operation of the spec; each
/// operation has one, as a constant.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId`, for tracing and `Debug`.
    pub(crate) id: &'static str,
    /// The HTTP method.
    pub(crate) method: Method,
    /// The statuses the operation declares as success; any other is an
    /// error.
    pub(crate) success: &'static [u16],
    /// Whether sending the request twice has the effect of sending it once:
    /// only such requests are retried after failures that may follow the
    /// service's work (see [`RetryPolicy`](crate::RetryPolicy)).
    pub(crate) idempotent: bool,
}

/// The parameters of one operation. Each method of [`Client`] returns a
/// [`RequestBuilder`] holding the parameters of its operation, one type per
/// operation (`…Params`), which implement this trait.
///
/// The crate's own operations are the only implementations: the methods of
/// the trait take types the crate does not export.
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

/// A request to one operation, returned by the operation's method on
/// [`Client`]: required parameters were its arguments, optional ones have
/// setters here, and the request is sent by awaiting it (or its
/// [`send`](Self::send)).
///
/// Each operation names its own builder type, such as
/// `RevokeAuthorizations<'a>` for `RequestBuilder<'a, RevokeAuthorizationsParams<'a>>`.
#[must_use = "a request builder does nothing until it is sent or awaited"]
pub struct RequestBuilder<'a, E> {
    pub(crate) client: &'a Client,
    /// The operation's parameters; its setters write them.
    pub(crate) params: E,
    /// The media types the caller chose, if the operation declares several.
    pub(crate) choices: Choices,
}

/// The operation and the request it would send (as [`preview`](Self::preview)
/// shows it, without the client's headers), or why it is invalid. Written once
/// here rather than derived for the parameters of every operation.
impl<E: Endpoint> fmt::Debug for RequestBuilder<'_, E> {
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

impl<'a, E: Endpoint> RequestBuilder<'a, E> {
    pub(crate) fn new(client: &'a Client, params: E) -> Self {
        RequestBuilder {
            client,
            params,
            choices: Choices::default(),
        }
    }

    /// The request this builder would send, without sending it: method, URL
    /// with the query, headers (the credential redacted) and body. Runs the
    /// same checks as [`send`](Self::send).
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
        Ok(request)
    }
}

impl<'a, E> IntoFuture for RequestBuilder<'a, E>
where
    E: Endpoint + 'a,
    E::Output: Send,
{
    type Output = Result<E::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    /// Awaiting the builder sends it: the same as [`send`](Self::send).
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
