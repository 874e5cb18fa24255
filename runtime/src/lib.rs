//! The runtime of the Azure DevOps clients that `cargo xtask codegen` generates
//! from OpenAPI specs: everything a generated crate does that does not come from
//! its spec, compiled once for every crate and every area.
//!
//! A generated crate holds its models and operations, and re-exports the public
//! API below: [`Credential`] (personal access tokens, bearer tokens, tokens that
//! expire from a provider or the Azure CLI), [`Error`], [`RetryPolicy`] and
//! [`RateLimit`], [`ApiResponse`], [`RequestPreview`], paging ([`Pages`],
//! [`Items`]), streamed bodies ([`UploadBody`], [`Download`]) and the traits its
//! operations implement. Its `Client`, `ClientBuilder` and `RequestBuilder` are
//! its own types (Rust allows methods only on a crate's own types), written by
//! the macro of the `__private` module around this crate's `ClientCore`.
//!
//! Users depend on a generated crate, not on this one; its docs show how to
//! build a client and call an operation. Only the public API is stable:
//! `__private` is what generated code needs besides, and changes with the
//! generator.
//!
//! # Cargo features
//!
//! - `tracing`: a `tracing` span per request (operation id, method, path,
//!   status, attempt), never a secret; a generated crate's `tracing` feature
//!   turns it on.
//! - `regex`: the `pattern` constraints of generated models.
//! - `example-server`: the local server of a generated crate's example tests.
//! - `mock`: the module `mock`, a mock of the service that checks every request against the
//!   spec, for the tests of crates that use a generated client (a generated crate's `mock`
//!   feature).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod area;
mod azure_cli;
mod client;
mod correlation;
mod credential;
mod download;
mod error;
#[cfg(feature = "example-server")]
mod example_server;
mod headers;
mod json;
mod macros;
mod media;
#[cfg(feature = "mock")]
pub mod mock;
mod operation;
mod options;
mod paging;
mod params;
mod query_object;
mod request;
mod response;
mod retry;
mod token;
mod upload;
mod validation;

pub use area::Area;
pub use correlation::Correlation;
pub use credential::Credential;
pub use download::{Download, StreamedResponse};
pub use error::{ApiError, Error, InvalidRequest};
pub use headers::ResponseHeaders;
pub use media::{AcceptTypes, ContentTypes};
pub use operation::Endpoint;
pub use paging::{Checkpoint, Items, Paged, PagedItems, Pages};
pub use request::RequestPreview;
pub use response::ApiResponse;
pub use retry::{RateLimit, RetryPolicy};
pub use token::AccessToken;
pub use upload::UploadBody;

/// This crate's version, which generated crates name in their dependency on it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What generated code uses besides the public API: not for hand-written
/// code, and not covered by semantic versioning (it changes with the
/// generator, which writes a dependency on this crate's exact minor version).
#[doc(hidden)]
pub mod __private {
    pub use crate::__client as client;
    pub use crate::__client_areas as client_areas;
    #[cfg(feature = "mock")]
    pub use crate::__mock as mock;
    pub use crate::client::{ClientCore, ClientDefaults, CoreBuilder};
    pub use crate::headers::header;
    pub use crate::media::Choices;
    pub use crate::operation::{Call, Operation};
    pub use crate::options::CallOptions;
    pub use crate::params::{Param, ParamValue};
    pub use crate::request::Request;
    pub use crate::response::RawResponse;

    /// The local server of a generated crate's example tests.
    #[cfg(feature = "example-server")]
    pub mod example_server {
        pub use crate::example_server::*;
    }

    /// The HTTP client, which a generated `ClientBuilder` takes (a generated
    /// crate depends on the crates its models name, not on this one).
    pub use reqwest;
    pub use reqwest::header::HeaderMap;
    pub use reqwest::{Method, Url};

    /// How generated models are written and read as JSON objects.
    pub mod json {
        pub use crate::json::*;
    }

    /// The checks of the spec's constraints that generated code runs.
    pub mod validation {
        pub use crate::validation::*;
    }
}

#[cfg(test)]
mod tests;
