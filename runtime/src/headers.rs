//! The headers an operation declares on its success responses, read typed:
//! each such operation has a headers struct implementing [`ResponseHeaders`],
//! read with [`ApiResponse::declared_headers`](crate::ApiResponse::declared_headers)
//! or [`Download::declared_headers`](crate::Download::declared_headers).

use reqwest::header::HeaderMap;

use crate::error::Error;

/// The typed headers of an operation's success responses (`…Headers`, one
/// struct per operation that declares headers): every declared header is a
/// field, `None` when the response did not send it.
pub trait ResponseHeaders: Sized {
    /// Reads the declared headers.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHeader`] when a header's value is not of its declared
    /// type.
    #[doc(hidden)]
    fn read(headers: &HeaderMap) -> Result<Self, Error>;
}

/// The value of one declared header, `None` when the response has none.
pub fn header<T: FromHeader>(headers: &HeaderMap, name: &'static str) -> Result<Option<T>, Error> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    // Text as sent: a header may carry UTF-8, which `to_str` refuses.
    std::str::from_utf8(value.as_bytes())
        .ok()
        .and_then(|text| T::parse(text.trim()))
        .map(Some)
        .ok_or(Error::InvalidHeader {
            name,
            expected: T::EXPECTED,
        })
}

/// A type a declared header is read as.
pub trait FromHeader: Sized {
    /// What the value must be, for the error.
    const EXPECTED: &'static str;

    fn parse(text: &str) -> Option<Self>;
}

impl FromHeader for String {
    const EXPECTED: &'static str = "text";

    fn parse(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

/// Implements `FromHeader` through `FromStr`.
macro_rules! from_str {
    ($($ty:ty => $expected:literal),* $(,)?) => {$(
        impl FromHeader for $ty {
            const EXPECTED: &'static str = $expected;

            fn parse(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

from_str! {
    bool => "true or false",
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    f32 => "a number",
    f64 => "a number",
    uuid::Uuid => "a UUID",
}
