//! `runtime/src/response.rs`: decoding a response, and its errors.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::error::Error;
use crate::response::{ERROR_BODY_LIMIT, RawResponse};
use crate::retry::RateLimit;

fn raw(status: u16, body: &[u8]) -> RawResponse {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("3"));
    RawResponse {
        status: StatusCode::from_u16(status).unwrap(),
        rate_limit: RateLimit::from_headers(&headers),
        headers,
        body: Bytes::copy_from_slice(body),
        unread: None,
        attempts: 1,
        sent: None,
    }
}

#[test]
fn undecodable_body_keeps_status_bytes_and_serde_error() {
    let err = raw(200, b"{not json").json::<Vec<u32>>().unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.body_bytes(), Some(&b"{not json"[..]));
    assert_eq!(err.body_text(), Some("{not json"));
    assert!(!err.is_body_truncated());
    assert_eq!(
        err.rate_limit().and_then(|r| r.retry_after),
        Some(Duration::from_secs(3))
    );
    let source = std::error::Error::source(&err).unwrap();
    assert!(source.is::<serde_json::Error>());

    let big = vec![b'x'; ERROR_BODY_LIMIT * 2];
    let err = raw(200, &big).json::<Vec<u32>>().unwrap_err();
    assert!(err.is_body_truncated());
    assert_eq!(err.body_bytes().map(<[u8]>::len), Some(ERROR_BODY_LIMIT));

    let ok: Vec<u32> = raw(200, b"[1,2]").json().unwrap();
    assert_eq!(ok, [1, 2]);
}

#[test]
fn a_count_value_wrapper_reads_as_its_list_or_dictionary() {
    // Azure DevOps wraps lists, and dictionaries, in `{"count": n, "value": ..}`.
    let list: Vec<u32> = raw(200, br#"{"count": 2, "value": [1, 2]}"#)
        .json()
        .unwrap();
    assert_eq!(list, [1, 2]);
    let map: std::collections::BTreeMap<String, u32> =
        raw(200, br#"{"count": 1, "value": {"a": 7}}"#)
            .json()
            .unwrap();
    assert_eq!(map.get("a"), Some(&7));

    // An item that does not decode is named, not the wrapper's shape.
    let err = raw(200, br#"{"count": 3, "value": [1, 2, "x"]}"#)
        .json::<Vec<u32>>()
        .unwrap_err();
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(
        source.starts_with("at .value[2]: invalid type: string"),
        "{source}"
    );
    let err = raw(200, br#"{"count": 2, "value": {"a": 1, "b": true}}"#)
        .json::<std::collections::BTreeMap<String, u32>>()
        .unwrap_err();
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(
        source.starts_with("at .value[\"b\"]: invalid type: boolean"),
        "{source}"
    );

    // Only an object of just those two properties is a wrapper.
    for body in [
        &br#"{"count": 2, "value": [1, 2], "more": true}"#[..],
        br#"{"count": "2", "value": [1, 2]}"#,
        br#"{"value": [1, 2]}"#,
        br#"{"count": 1, "value": 1}"#,
    ] {
        let err = raw(200, body).json::<Vec<u32>>().unwrap_err();
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert!(source.contains("expected a sequence"), "{source}");
    }
}

#[test]
fn unexpected_status_is_an_error_with_the_response() {
    let err = raw(201, b"created").unexpected();
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::CREATED));
    assert_eq!(err.body_text(), Some("created"));
    assert!(
        err.to_string()
            .starts_with("unexpected HTTP status 201 Created")
    );
    assert!(!err.is_retryable());
}

#[test]
fn api_response_accessors() {
    let response = raw(204, b"").into_api_response(5u8);
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.value(), &5);
    assert_eq!(
        response.rate_limit().retry_after,
        Some(Duration::from_secs(3))
    );
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(response.into_inner(), 5);
}
