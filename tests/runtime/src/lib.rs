//! The runtime of every generated crate, `templates/src/`, compiled as it is written (its
//! `{{placeholders}}` stand only in comments and string literals) for its unit tests, which
//! live here in `src/tests/` rather than in each generated crate.
//!
//! This root stands in for `templates/src/lib.rs`, the one template with crate-level values:
//! the same modules and re-exports but for the generated `models` and `operations`, and
//! fixed `DEFAULT_BASE_URL` and `USER_AGENT`.
#![forbid(unsafe_code)]
#![allow(
    dead_code,
    reason = "the generated operations, absent here, are what use most of the runtime"
)]

#[path = "../../../templates/src/azure_cli.rs"]
mod azure_cli;
#[path = "../../../templates/src/client.rs"]
mod client;
#[path = "../../../templates/src/credential.rs"]
mod credential;
#[path = "../../../templates/src/download.rs"]
mod download;
#[path = "../../../templates/src/error.rs"]
mod error;
#[path = "../../../templates/src/headers.rs"]
mod headers;
#[path = "../../../templates/src/json.rs"]
mod json;
#[path = "../../../templates/src/media.rs"]
mod media;
#[path = "../../../templates/src/operation.rs"]
mod operation;
#[path = "../../../templates/src/paging.rs"]
mod paging;
#[path = "../../../templates/src/params.rs"]
mod params;
#[path = "../../../templates/src/query_object.rs"]
mod query_object;
#[path = "../../../templates/src/request.rs"]
mod request;
#[path = "../../../templates/src/response.rs"]
mod response;
#[path = "../../../templates/src/retry.rs"]
mod retry;
#[path = "../../../templates/src/token.rs"]
mod token;
#[path = "../../../templates/src/upload.rs"]
mod upload;
#[path = "../../../templates/src/validation.rs"]
mod validation;

pub use client::{Client, ClientBuilder};
pub use credential::Credential;
pub use download::{Download, StreamedResponse};
pub use error::{ApiError, Error, InvalidRequest};
pub use headers::ResponseHeaders;
pub use media::{AcceptTypes, ContentTypes};
pub use operation::{Endpoint, RequestBuilder};
pub use paging::{Items, Paged, PagedItems, Pages};
pub use request::RequestPreview;
pub use response::ApiResponse;
pub use retry::{RateLimit, RetryPolicy};
pub use token::AccessToken;
pub use upload::UploadBody;

/// The service's base URL (in a generated crate, from the first server of its spec).
pub const DEFAULT_BASE_URL: &str = "https://dev.azure.com";

/// The `User-Agent` header the runtime sends.
pub const USER_AGENT: &str = "runtime-tests/0.1.0";

#[cfg(test)]
mod tests {
    mod azure_cli;
    mod client;
    mod credential;
    mod error;
    mod headers;
    mod params;
    mod query_object;
    mod request;
    mod response;
    mod retry;
    mod token;
    mod upload;
    mod validation;
}
