//! Test-only crate: `tests/` holds the golden-file test and the end-to-end tests of the
//! generated client. The README is included below so that its examples are compiled and
//! checked as doctests.
#![doc = include_str!("../../README.md")]
