//! Tests only (`tests/`): a downstream crate's view of the generated clients' mocks, each
//! file through one generated crate, as a crate that depends on it with its `mock` feature
//! in `[dev-dependencies]` would write them.
