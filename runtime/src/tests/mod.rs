//! Unit tests of the runtime, one file per module, and a client written by the
//! `__client!` macro as a generated crate's is (`client.rs` drives it).

mod azure_cli;
mod client;
mod credential;
mod error;
#[cfg(feature = "example-server")]
mod example_server;
mod headers;
#[cfg(feature = "mock")]
mod mock;
mod params;
mod query_object;
mod request;
mod response;
mod retry;
mod token;
mod two_areas;
mod upload;
mod validation;

use crate::area::Area;
use crate::client::ClientDefaults;

/// The area of the tests' operations.
pub(crate) const AREA: Area = Area::new("things", "https://dev.azure.com");

/// A second area, served from another host, as Azure DevOps serves graph or
/// release.
pub(crate) const OTHER_AREA: Area = Area::new("others", "https://vssps.dev.azure.com");

/// What a generated crate of the two areas would pass (its first area's base
/// URL is its default).
pub(crate) const CLIENT: ClientDefaults = ClientDefaults {
    base_url: "https://dev.azure.com",
    user_agent: "runtime-tests/0.1.0",
    areas: &[AREA, OTHER_AREA],
};

/// What a generated crate's `lib.rs` has before the macro's call.
#[allow(
    dead_code,
    reason = "the tests read only some of what the macro writes"
)]
pub(crate) mod generated {
    /// As a generated crate's.
    pub const DEFAULT_BASE_URL: &str = "https://dev.azure.com";
    /// As a generated crate's.
    pub const USER_AGENT: &str = "runtime-tests/0.1.0";

    use super::CLIENT;

    crate::__client! {
        lib: "azure_devops_runtime",
        title: "Runtime Tests",
        defaults: CLIENT,
    }

    crate::__client_areas!();
}
