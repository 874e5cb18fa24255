//! `runtime/src/headers.rs`: one declared response header read as its type.

use reqwest::header::{HeaderMap, HeaderValue};

use crate::error::Error;
use crate::headers::header;

fn headers(pairs: &[(&'static str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_bytes(value).unwrap());
    }
    map
}

#[test]
fn present_headers_read_as_their_type_and_absent_ones_as_none() {
    let map = headers(&[
        ("x-count", b" 42 "),
        ("x-id", b"7d1f0a7e-6c3a-4d0e-9d5e-2b1a7f3c9e10"),
        ("x-flag", b"true"),
        ("x-ratio", b"0.5"),
        ("etag", "\"v1\" café".as_bytes()),
    ]);
    assert_eq!(header::<i32>(&map, "x-count").unwrap(), Some(42));
    assert_eq!(header::<i64>(&map, "X-Count").unwrap(), Some(42));
    assert_eq!(
        header::<uuid::Uuid>(&map, "x-id")
            .unwrap()
            .map(|u| u.to_string()),
        Some("7d1f0a7e-6c3a-4d0e-9d5e-2b1a7f3c9e10".to_owned())
    );
    assert_eq!(header::<bool>(&map, "x-flag").unwrap(), Some(true));
    assert_eq!(header::<f64>(&map, "x-ratio").unwrap(), Some(0.5));
    // Text as sent, UTF-8 included.
    assert_eq!(
        header::<String>(&map, "etag").unwrap().as_deref(),
        Some("\"v1\" café")
    );
    assert_eq!(header::<String>(&map, "x-missing").unwrap(), None);
}

#[test]
fn a_value_not_of_its_type_is_an_error_naming_the_header() {
    let map = headers(&[
        ("x-count", b"many"),
        ("x-flag", b"yes"),
        ("x-text", b"\xff"),
    ]);
    let err = header::<i32>(&map, "x-count").unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidHeader {
                name: "x-count",
                expected: "a 32-bit integer"
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the response header x-count is not a 32-bit integer, as the operation declares"
    );
    assert!(header::<bool>(&map, "x-flag").is_err());
    assert!(header::<String>(&map, "x-text").is_err(), "not UTF-8");
}
