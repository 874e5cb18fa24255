//! {{title}}: a typed async client for the API, generated from its OpenAPI spec.
//!
//! {{description_doc}}
//!
//! API version `{{api_version}}`; default base URL `{{base_url}}`.
//!
//! # Operations
//!
//! {{operations}}
//!
//! # Usage
//!
//! Build one [`Client`] with a [`Credential`] (a personal access token, a bearer token, or
//! tokens that expire, from your own provider or the Azure CLI) and reuse it: it holds a
//! connection pool and the token.
//! Each operation is a method on the client that returns a request builder; required
//! parameters are arguments, optional ones are setters, and the builder is sent with
//! `.send().await` (or by awaiting it directly). Request bodies are checked against the
//! spec's constraints before anything is sent; failures, throttling and retries are
//! described on [`Error`] and [`RetryPolicy`].
{{?deep_models}}// The models nest deeper than rustc's drop check goes by default.
{{?deep_models}}#![recursion_limit = "{{recursion_limit}}"]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod azure_cli;
mod client;
mod credential;
mod download;
mod error;
mod headers;
mod json;
mod media;
pub mod models;
{{?models_only}}#[allow(dead_code, reason = "no operation sends requests")]
mod operation;
mod operations;
mod paging;
mod params;
mod query_object;
mod request;
mod response;
mod retry;
mod token;
mod upload;
mod validation;

pub use client::{Client, ClientBuilder};
pub use credential::Credential;
pub use download::{Download, StreamedResponse};
pub use error::{ApiError, Error, InvalidRequest};
pub use headers::ResponseHeaders;
pub use media::{AcceptTypes, ContentTypes};
pub use operation::{Endpoint, RequestBuilder};
{{?has_operations}}pub use operations::*;
pub use paging::{Items, Paged, PagedItems, Pages};
pub use request::RequestPreview;
pub use response::ApiResponse;
pub use retry::{RateLimit, RetryPolicy};
pub use token::AccessToken;
pub use upload::UploadBody;

/// The service's base URL, from the first server of the spec.
pub const DEFAULT_BASE_URL: &str = "{{base_url}}";

/// The `User-Agent` header this crate sends.
pub const USER_AGENT: &str = "{{user_agent}}";
