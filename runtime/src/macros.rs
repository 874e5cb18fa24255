//! [`__client!`](crate::__client), which writes a generated crate's `Client`,
//! `ClientBuilder` and `RequestBuilder`.
//!
//! Those three must be types of the generated crate: its operations are
//! methods of its `Client` (or of the areas the client returns) and its
//! request builders' setters are methods of `RequestBuilder<'_, TheirParams>`,
//! and Rust allows inherent methods only on a crate's own types. Everything
//! they do is here in the runtime ([`ClientCore`](crate::__private::ClientCore),
//! [`Call`](crate::__private::Call)); the macro writes the types with their
//! documentation and one-line methods that hand over, so that no generated
//! crate carries a copy of that code, and every generated crate's client
//! reads and behaves the same.
//!
//! A generated `lib.rs` calls it once, after the constants it names:
//!
//! ```text
//! const CLIENT: azure_devops_runtime::__private::ClientDefaults = ...;
//!
//! azure_devops_runtime::__private::client! {
//!     lib: "token_administration",
//!     title: "Token Administration",
//!     defaults: CLIENT,
//! }
//! ```

/// Writes a generated crate's `Client`, `ClientBuilder` and `RequestBuilder`
/// (see the [module docs](self)): `lib` is the crate's library name (for the
/// examples of the docs), `title` the API's title, `defaults` the name of its
/// [`ClientDefaults`](crate::__private::ClientDefaults) constant.
#[doc(hidden)]
#[macro_export]
macro_rules! __client {
    (
        lib: $lib:literal,
        title: $title:literal,
        defaults: $defaults:ident $(,)?
    ) => {
        #[doc = concat!("A client for the ", $title, " API.")]
        ///
        /// Cheap to clone (the state is shared behind an `Arc`); clones share the
        /// connection pool, the credential's token and the throttle, so create one
        /// client and reuse it. `Debug` never shows the credential.
        ///
        /// Every request carries `Accept: application/json`, the crate's
        /// [`USER_AGENT`](crate::USER_AGENT), `X-TFS-FedAuthRedirect: Suppress` (so
        /// that a rejected credential gets a `401` rather than a sign-in page) and
        /// the `Authorization` header of the [`Credential`](crate::Credential)
        /// (marked sensitive). Failed attempts are retried according to the
        /// [`RetryPolicy`](crate::RetryPolicy) (by default up to 4 attempts, at most
        /// 60 s of waiting); when the service throttles one request, every request
        /// of the client holds back.
        /// Each operation of the spec is a method of the client (in a crate of
        /// several areas, a method of the area that the client's method of the
        /// area's name returns); the [crate documentation](crate) lists them.
        ///
        /// # Example
        ///
        /// ```no_run
        #[doc = concat!("use ", $lib, "::{Client, Credential, Error, RetryPolicy};")]
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
            core: $crate::__private::ClientCore,
        }

        impl ::core::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.core, f)
            }
        }

        impl Client {
            /// Starts configuring a client that authenticates with `credential`.
            pub fn builder(credential: $crate::Credential) -> ClientBuilder {
                ClientBuilder {
                    core: $crate::__private::ClientCore::builder(credential, $defaults),
                }
            }

            /// A client with the default configuration: base URL
            /// [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL) (or each area's own),
            /// default retry policy and timeouts.
            ///
            /// # Errors
            ///
            /// See [`ClientBuilder::build`].
            pub fn new(
                credential: $crate::Credential,
            ) -> ::core::result::Result<Client, $crate::Error> {
                Client::builder(credential).build()
            }

            /// The base URL that operation paths are appended to (in a crate of several
            /// areas, those of the areas that have no base URL of their own: see
            /// `base_url_of`).
            pub fn base_url(&self) -> &$crate::__private::Url {
                self.core.base_url()
            }

            /// The retry policy in force.
            pub fn retry_policy(&self) -> &$crate::RetryPolicy {
                self.core.retry_policy()
            }
        }

        /// Configures a [`Client`]; created by [`Client::builder`].
        ///
        /// `Debug` never shows the credential.
        pub struct ClientBuilder {
            core: $crate::__private::CoreBuilder,
        }

        impl ::core::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.core, f)
            }
        }

        impl ClientBuilder {
            /// Sets the base URL (default [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)),
            /// in a crate of several areas the base URL of every area.
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
            /// [`Error::Config`](crate::Error::Config) if the URL does not parse, is
            /// not `http`/`https`, has no host, contains a user name or password, or
            /// has a query or fragment.
            pub fn base_url(self, url: &str) -> ::core::result::Result<Self, $crate::Error> {
                Ok(ClientBuilder {
                    core: self.core.base_url(url)?,
                })
            }

            /// Allows a plain `http://` base URL to a non-loopback host. The
            /// credential then travels unencrypted: only for test setups.
            pub fn allow_insecure_http(self, allow: bool) -> Self {
                ClientBuilder {
                    core: self.core.allow_insecure_http(allow),
                }
            }

            /// Sets the retry policy (default
            /// [`RetryPolicy::default`](crate::RetryPolicy::default); use
            /// [`RetryPolicy::none`](crate::RetryPolicy::none) to disable retries).
            pub fn retry(self, policy: $crate::RetryPolicy) -> Self {
                ClientBuilder {
                    core: self.core.retry(policy),
                }
            }

            /// Sets the timeout of each attempt, from sending the request to having
            /// read the whole response (default 30 s). Retries get a fresh timeout
            /// each. Also applies to a client given with
            /// [`http_client`](Self::http_client).
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                ClientBuilder {
                    core: self.core.timeout(timeout),
                }
            }

            /// Sets the timeout for establishing a connection (default 10 s).
            /// Ignored when a client is given with
            /// [`http_client`](Self::http_client).
            pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
                ClientBuilder {
                    core: self.core.connect_timeout(timeout),
                }
            }

            /// Uses the caller's own `reqwest` client (for proxies, custom TLS
            /// roots, ...). Its own timeouts, redirect policy and connection pool
            /// then apply; only a [`timeout`](Self::timeout) set explicitly on this
            /// builder is added per request. The default client follows no
            /// redirects (a redirect is returned as [`Error::Http`](crate::Error::Http));
            /// consider the same for yours, since Azure DevOps redirects
            /// unauthenticated calls to a sign-in page.
            pub fn http_client(self, client: $crate::__private::reqwest::Client) -> Self {
                ClientBuilder {
                    core: self.core.http_client(client),
                }
            }

            /// Sends `id` as the `X-TFS-Session` of every request of the client (by
            /// default a new random id per client), to find a run's requests in the
            /// service's logs (see [`Correlation`](crate::Correlation)).
            /// [`build`](Self::build) fails with
            /// [`Error::Config`](crate::Error::Config) when it is not a valid header
            /// value.
            pub fn session_id(self, id: &str) -> Self {
                ClientBuilder {
                    core: self.core.session_id(id),
                }
            }

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// - [`Error::Config`](crate::Error::Config) if a base URL is plain `http`
            ///   to a non-loopback host and
            ///   [`allow_insecure_http`](Self::allow_insecure_http) was not set, or the
            ///   HTTP client cannot be built;
            /// - [`Error::Credential`](crate::Error::Credential) if a personal access
            ///   token or bearer token is empty or holds characters not allowed in an
            ///   HTTP header (a token provider or the Azure CLI is first asked for a
            ///   token by the first request).
            pub fn build(self) -> ::core::result::Result<Client, $crate::Error> {
                Ok(Client {
                    core: self.core.build()?,
                })
            }
        }

        /// A request to one operation, returned by the operation's method: required
        /// parameters were its arguments, optional ones have setters here, and the
        /// request is sent by awaiting it (or its [`send`](Self::send)).
        ///
        /// Each operation names its own builder type, such as `ListThings<'a>` for
        /// `RequestBuilder<'a, ListThingsParams>`.
        #[must_use = "a request builder does nothing until it is sent or awaited"]
        pub struct RequestBuilder<'a, E> {
            call: $crate::__private::Call<'a, E>,
        }

        /// The operation and the request it would send (as
        /// [`preview`](RequestBuilder::preview) shows it, without the client's
        /// headers), or why it is invalid.
        impl<E: $crate::Endpoint> ::core::fmt::Debug for RequestBuilder<'_, E> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.call, f)
            }
        }

        #[allow(dead_code, reason = "a crate without operations builds no request")]
        impl<'a, E: $crate::Endpoint> RequestBuilder<'a, E> {
            /// The builder of a request to `params`' operation through `client`.
            pub(crate) fn new(client: &'a Client, params: E) -> Self {
                RequestBuilder {
                    call: $crate::__private::Call::new(&client.core, params),
                }
            }
        }

        impl<'a, E: $crate::Endpoint> RequestBuilder<'a, E> {
            /// The request this builder would send, without sending it: method, URL
            /// with the query, headers (the credential redacted) and body. Runs the
            /// same checks as [`send`](Self::send).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) when a
            /// parameter or the body breaks a constraint of the spec.
            pub fn preview(&self) -> ::core::result::Result<$crate::RequestPreview, $crate::Error> {
                self.call.preview()
            }

            /// Sends the request and returns the decoded response with its status,
            /// headers and rate-limit headers.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub async fn send_with_response(
                self,
            ) -> ::core::result::Result<$crate::ApiResponse<E::Output>, $crate::Error> {
                self.call.send_with_response().await
            }

            /// Sends the request and returns the decoded response.
            ///
            /// # Errors
            ///
            /// Any [`Error`](crate::Error): a parameter or the body breaks a
            /// constraint of the spec (nothing is sent), the service cannot be
            /// reached, it answers with a status the operation does not declare as
            /// success (after the retries of the client's
            /// [`RetryPolicy`](crate::RetryPolicy)), or the body does not decode.
            pub async fn send(self) -> ::core::result::Result<E::Output, $crate::Error> {
                self.call.send().await
            }

            /// Gives this call a timeout of its own, for each attempt, instead of the
            /// client's [`timeout`](ClientBuilder::timeout): a large download, or a
            /// slow query.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                RequestBuilder {
                    call: self.call.timeout(timeout),
                }
            }

            /// Sends the header `name: value` with this call. A header the client
            /// sets itself (`Authorization`; `Accept` and `Content-Type`, which carry
            /// the api-version and the declared media types; `X-TFS-Session`,
            /// `X-VSS-E2EID`, ...) or a header parameter the call sends already makes
            /// [`send`](Self::send) fail with
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything
            /// is sent.
            pub fn header(self, name: &str, value: &str) -> Self {
                RequestBuilder {
                    call: self.call.header(name, value),
                }
            }

            /// Sends this call with `id` as its `X-VSS-E2EID`, on every attempt,
            /// instead of a new random id: to find the call in the service's logs
            /// under an id of the caller's (see
            /// [`Correlation`](crate::Correlation)).
            pub fn request_id(self, id: &str) -> Self {
                RequestBuilder {
                    call: self.call.request_id(id),
                }
            }
        }

        impl<'a, E: $crate::Paged> RequestBuilder<'a, E> {
            /// Sends the request and the ones after it, a page at a time, until a
            /// page names no next one.
            ///
            /// Read the pages with [`Pages::next`](crate::Pages::next) or as a
            /// `futures` `Stream`. Each page goes through the client's retries; a
            /// page that fails ends the paging with its error.
            pub fn pages(self) -> $crate::Pages<'a, E> {
                self.call.pages()
            }

            /// The pages from where a listing stood (its
            /// [`Pages::checkpoint`](crate::Pages::checkpoint), saved), as
            /// [`pages`](Self::pages) reads them: to resume a listing after a failure
            /// or a restart without reading a page twice.
            pub fn pages_from(self, checkpoint: $crate::Checkpoint) -> $crate::Pages<'a, E> {
                self.call.pages_from(checkpoint)
            }
        }

        impl<'a, E: $crate::PagedItems> RequestBuilder<'a, E> {
            /// Sends the request and the ones after it, and yields the entries of
            /// every page's list, one at a time, in order.
            ///
            /// Read them with [`Items::next`](crate::Items::next) or as a `futures`
            /// `Stream`. The next page is only asked for once the entries of the one
            /// before are taken. Errors as for [`pages`](Self::pages).
            pub fn items(self) -> $crate::Items<'a, E> {
                self.call.items()
            }

            /// The entries from where a listing stood (its
            /// [`Items::checkpoint`](crate::Items::checkpoint), saved), as
            /// [`items`](Self::items) yields them: to resume after a failure or a
            /// restart without taking an entry twice or leaving one out (as long as
            /// the service sends a page again as it sent it, as Azure DevOps does for
            /// a continuation token).
            pub fn items_from(self, checkpoint: $crate::Checkpoint) -> $crate::Items<'a, E> {
                self.call.items_from(checkpoint)
            }
        }

        impl<E: $crate::ContentTypes> RequestBuilder<'_, E> {
            /// Sends the body as `media` (`Content-Type`), one of the media types the
            /// operation declares for it (its method's docs list them), rather than
            /// the first. The body itself is the same value.
            ///
            /// A media type the operation does not declare makes
            /// [`send`](Self::send) fail with
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything
            /// is sent.
            pub fn content_type(self, media: &str) -> Self {
                RequestBuilder {
                    call: self.call.content_type(media),
                }
            }
        }

        impl<E: $crate::AcceptTypes> RequestBuilder<'_, E> {
            /// Asks for the response as `media` only (`Accept`), one of the media
            /// types the operation declares (its method's docs list them). The
            /// service's choice is in the response's `Content-Type`.
            ///
            /// [`send`](Self::send) reads the body as the operation's output type: to
            /// read a body of another kind (a zip rather than JSON, say), use
            /// `send_streamed` where the operation has it. A media type the operation
            /// does not declare makes `send` fail with
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything
            /// is sent.
            pub fn accept(self, media: &str) -> Self {
                RequestBuilder {
                    call: self.call.accept(media),
                }
            }
        }

        impl<E: $crate::StreamedResponse> RequestBuilder<'_, E> {
            /// Sends the request and returns the success response with its body
            /// unread: a [`Download`](crate::Download), read chunk by chunk as it
            /// arrives (a `Stream` of `Bytes`,
            /// [`Download::chunk`](crate::Download::chunk), or
            /// [`Download::write_to`](crate::Download::write_to) a file), with no
            /// limit on its size.
            ///
            /// The request is retried as [`send`](Self::send) retries it, until a
            /// response with a success status arrives; a failure while reading the
            /// body is returned by the stream and not retried. The client's
            /// [`timeout`](ClientBuilder::timeout) bounds the whole exchange, the body
            /// included: give a client for large downloads a longer one.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send), but for the body's size and decoding.
            pub async fn send_streamed(
                self,
            ) -> ::core::result::Result<$crate::Download, $crate::Error> {
                self.call.send_streamed().await
            }
        }

        impl<'a, E> ::core::future::IntoFuture for RequestBuilder<'a, E>
        where
            E: $crate::Endpoint + 'a,
            E::Output: Send,
        {
            type Output = ::core::result::Result<E::Output, $crate::Error>;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<dyn ::core::future::Future<Output = Self::Output> + Send + 'a>,
            >;

            /// Awaiting the builder sends it: the same as [`send`](Self::send).
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.call.send())
            }
        }
    };
}

/// Writes what a generated crate of several areas adds to the types of
/// [`__client!`](crate::__client): the base URL of one area, to read on its
/// `Client` and to set on its `ClientBuilder`.
#[doc(hidden)]
#[macro_export]
macro_rules! __client_areas {
    () => {
        impl Client {
            /// The base URL the operations of `area` (an area module's `AREA`) are
            /// appended to: the one set for it, else the one set for all areas,
            /// else the area's own default.
            pub fn base_url_of(&self, area: &$crate::Area) -> &$crate::__private::Url {
                self.core.base_url_of(area)
            }
        }

        impl ClientBuilder {
            /// Sets the base URL of one area (an area module's `AREA`), whatever
            /// [`base_url`](Self::base_url) sets for all of them, in any order. Each
            /// area goes by default to the host of its spec (Azure DevOps serves
            /// some areas from `vssps.dev.azure.com` or `vsrm.dev.azure.com`, others
            /// from `dev.azure.com`).
            ///
            /// # Errors
            ///
            /// As [`base_url`](Self::base_url); [`build`](Self::build) refuses an
            /// area whose cargo feature is off.
            pub fn area_base_url(
                self,
                area: &$crate::Area,
                url: &str,
            ) -> ::core::result::Result<Self, $crate::Error> {
                Ok(ClientBuilder {
                    core: self.core.area_base_url(area, url)?,
                })
            }
        }
    };
}

/// Writes a generated crate's `mock` module's own types around the runtime's
/// [`mock`](crate::mock) (its `mock` feature): `MockServer`, with a method per operation
/// added by the crate, `MockBuilder`, the typed builder of each operation's expectations
/// (its matchers added per operation), and `MockHandle`. `areas` are the tables of the
/// crate's operations (an area's only when its feature is on).
#[doc(hidden)]
#[macro_export]
// `crate` is the generated crate on purpose: its `Client`, `ClientBuilder` and `Credential`.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __mock {
    (
        lib: $lib:literal,
        areas: [$($(#[$attr:meta])* $area:path),* $(,)?] $(,)?
    ) => {
        /// A mock of the service for tests, on 127.0.0.1: each operation is a method (named
        /// like the client's) that returns a typed builder of what to expect and how to
        /// answer. Every request it receives is checked against the spec; a request the
        /// service would refuse, a request no expectation matches, or an expectation not
        /// met as often as it must be fails the test when the server is dropped (or at
        /// [`verify`](Self::verify)).
        ///
        /// # Example
        ///
        /// ```no_run
        #[doc = concat!("use ", $lib, "::mock::MockServer;")]
        /// # async fn example() {
        /// let mock = MockServer::start().await;
        /// let client = mock.client();
        /// # let _ = client;
        /// // mock.an_operation().a_parameter(..).respond_with(&..);
        /// // client.an_operation(..).await.unwrap();
        /// # }
        /// ```
        pub struct MockServer {
            server: $crate::mock::MockServer,
        }

        pub use $crate::mock::{MockHandle, ReceivedRequest, Response};

        impl ::core::fmt::Debug for MockServer {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.server, f)
            }
        }

        impl MockServer {
            /// Starts a mock on a free port of 127.0.0.1 (in a tokio runtime:
            /// `#[tokio::test]`).
            ///
            /// # Panics
            ///
            /// When no port of 127.0.0.1 can be had.
            pub async fn start() -> MockServer {
                MockServer {
                    server: $crate::mock::MockServer::start(&[$($(#[$attr])* $area),*]).await,
                }
            }

            /// The base URL to point a client at.
            pub fn url(&self) -> &str {
                self.server.url()
            }

            /// A client of the mock, for every area: see
            /// [`client_builder`](Self::client_builder).
            ///
            /// # Panics
            ///
            /// Never: the mock's URL is a valid base URL.
            pub fn client(&self) -> crate::Client {
                self.client_builder()
                    .build()
                    .expect("a client of the mock")
            }

            /// A client builder pointed at the mock (for every area), with a personal access
            /// token `mock` and the default retry policy but for its waits, cut to
            /// milliseconds so that a test of retries takes no time (a `Retry-After` is
            /// still honoured); set another credential, retry policy or timeout on it.
            ///
            /// # Panics
            ///
            /// Never: the mock's URL is a valid base URL.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                crate::Client::builder($crate::Credential::pat("mock"))
                    .base_url(self.url())
                    .expect("the mock's URL is a base URL")
                    .retry($crate::RetryPolicy {
                        initial_backoff: ::std::time::Duration::from_millis(1),
                        max_backoff: ::std::time::Duration::from_millis(10),
                        ..$crate::RetryPolicy::default()
                    })
            }

            /// Every request received so far, in order.
            pub fn received(&self) -> ::std::vec::Vec<$crate::mock::ReceivedRequest> {
                self.server.received()
            }

            /// What is wrong so far, one line each (empty when all is well): requests the
            /// spec forbids, requests no expectation matched (with the closest expectation
            /// and why it did not match), expectations not met as often as they must be.
            pub fn problems(&self) -> ::std::vec::Vec<::std::string::String> {
                self.server.problems()
            }

            /// The problems so far, forgetting the requests among them: for a test that
            /// sends a request the spec forbids (or one no expectation matches) on purpose
            /// and checks the report, which then does not fail when the mock is dropped.
            pub fn take_problems(&self) -> ::std::vec::Vec<::std::string::String> {
                self.server.take_problems()
            }

            /// Panics with every problem so far, if any: what dropping the server does at
            /// the end of a test.
            ///
            /// # Panics
            ///
            /// When something went wrong.
            pub fn verify(&self) {
                self.server.verify();
            }

            /// The runtime's server underneath, for expectations the typed builders do not
            /// offer.
            pub fn server(&self) -> &$crate::mock::MockServer {
                &self.server
            }
        }

        /// What the mock expects of requests to one operation, and how it answers them:
        /// one of `MockServer`'s methods (named like the client's) returns it. Its matchers
        /// (the operation's parameters and body, by their types) narrow which requests it
        /// matches; one of its `respond…` methods mounts it.
        #[must_use = "an expectation does nothing until it is given a response"]
        pub struct MockBuilder<'a, E> {
            inner: $crate::mock::Expectation<'a>,
            headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            operation: ::core::marker::PhantomData<fn() -> E>,
        }

        #[allow(dead_code, reason = "an operation uses the helpers its parameters need")]
        impl<'a, E: $crate::Endpoint> MockBuilder<'a, E> {
            /// The builder of an expectation of `E`'s operation, on `mock`.
            pub(crate) fn new(mock: &'a MockServer) -> Self
            where
                E: $crate::mock::MockAnswer,
            {
                MockBuilder {
                    inner: mock.server.expect(E::SPEC),
                    headers: ::std::vec::Vec::new(),
                    operation: ::core::marker::PhantomData,
                }
            }

            /// The runtime's expectation, changed by `change`.
            pub(crate) fn with(
                self,
                change: impl FnOnce($crate::mock::Expectation<'a>) -> $crate::mock::Expectation<'a>,
            ) -> Self {
                MockBuilder {
                    inner: change(self.inner),
                    ..self
                }
            }

            fn mount(self, response: $crate::mock::Response) -> $crate::mock::MockHandle {
                let response = self
                    .headers
                    .iter()
                    .fold(response, |r, (name, value)| r.header(name, value));
                self.inner.respond(response)
            }
        }

        impl<'a, E: $crate::Endpoint> MockBuilder<'a, E> {
            /// Matches only requests for which `predicate` holds; `what` says what it asks,
            /// for the report of a request that does not match.
            pub fn matching(
                self,
                what: &str,
                predicate: impl Fn(&$crate::mock::ReceivedRequest) -> bool + Send + Sync + 'static,
            ) -> Self {
                let what = what.to_owned();
                self.with(|e| e.matching(what, predicate))
            }

            /// Must match exactly `n` requests: checked when the mock is verified (or
            /// dropped).
            pub fn expect(self, n: u64) -> Self {
                self.with(|e| e.expect(n))
            }

            /// Matches `n` requests at most; later ones go to the expectations mounted after
            /// it (a `429` first, then a success).
            pub fn up_to(self, n: u64) -> Self {
                self.with(|e| e.up_to(n))
            }

            /// Waits `delay` before answering.
            pub fn delay(self, delay: ::std::time::Duration) -> Self {
                self.with(|e| e.delay(delay))
            }

            /// Answers with the header `name: value` too (say `x-ms-continuationtoken`).
            pub fn with_header(mut self, name: &str, value: &str) -> Self {
                self.headers.push((name.to_owned(), value.to_owned()));
                self
            }

            /// Answers `status` with an Azure DevOps error body whose message is `message`
            /// (what the client reads as [`ApiError`](crate::ApiError)).
            pub fn respond_error(self, status: u16, message: &str) -> $crate::mock::MockHandle {
                self.mount($crate::mock::Response::error(status, message, "MockException"))
            }

            /// Answers `429` with `Retry-After` and the service's throttling error.
            pub fn respond_throttled(self, retry_after: ::std::time::Duration) -> $crate::mock::MockHandle {
                self.mount($crate::mock::Response::throttled(retry_after))
            }

            /// Closes the connection without an answer.
            pub fn drop_connection(self) -> $crate::mock::MockHandle {
                self.mount($crate::mock::Response::dropped())
            }

            /// Answers with the spec's example `name` of the operation (its status and body).
            ///
            /// # Panics
            ///
            /// When the operation has no example of that name: the message lists those it has.
            pub fn respond_with_example(self, name: &str) -> $crate::mock::MockHandle {
                let operation = self.inner.operation();
                let Some(example) = operation.examples.iter().find(|e| e.name == name) else {
                    let names: ::std::vec::Vec<&str> =
                        operation.examples.iter().map(|e| e.name).collect();
                    panic!(
                        "`{}` has no example {name:?} (its examples: {names:?})",
                        operation.id
                    );
                };
                let response = $crate::mock::Response::status(example.status);
                let response = if example.content_type.is_empty() {
                    response
                } else {
                    response.with_body(example.content_type, example.body)
                };
                self.mount(response)
            }

            /// Answers with `response` as it is.
            pub fn respond_raw(self, response: $crate::mock::Response) -> $crate::mock::MockHandle {
                self.mount(response)
            }
        }

        impl<'a, E: $crate::mock::MockAnswer> MockBuilder<'a, E> {
            /// Answers with `value`, what the client's `send()` then returns.
            pub fn respond_with(self, value: &E::Output) -> $crate::mock::MockHandle {
                self.mount(E::answer(value))
            }
        }

        impl<'a, E: $crate::mock::MockAnswer<Output = ()>> MockBuilder<'a, E> {
            /// Answers with the operation's success, which has no body.
            pub fn respond(self) -> $crate::mock::MockHandle {
                self.mount(E::answer(&()))
            }
        }
    };
}
