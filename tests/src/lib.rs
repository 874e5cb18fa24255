//! Test-only crate: `tests/` holds the golden-file test and the end-to-end tests of the
//! generated client. The README and the guides in `docs/` are included below so that their
//! Rust examples are compiled and checked as doctests.
#![doc = include_str!("../../README.md")]

/// `docs/client.md`, whose examples are compiled as doctests.
#[doc = include_str!("../../docs/client.md")]
pub mod client_guide {}

/// `docs/production.md`, whose examples are compiled as doctests.
#[doc = include_str!("../../docs/production.md")]
pub mod production_guide {}

/// `docs/testing.md`, whose examples are compiled as doctests.
#[doc = include_str!("../../docs/testing.md")]
pub mod testing_guide {}
