//! `runtime/src/error.rs`: the Azure DevOps error body, messages and accessors.

use reqwest::StatusCode;

use crate::correlation::Correlation;
use crate::error::{ApiError, Error, body_to_text};
use crate::retry::RateLimit;

const BODY: &str = r#"{"$id":"1","innerException":{"$id":"2","message":"inner","typeKey":"X"},"message":"TF400813: Resource not available for anonymous access. Client authentication required.","typeName":"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server","typeKey":"UnauthorizedRequestException","errorCode":0,"eventId":3000,"extra":[1,2]}"#;

#[test]
fn parses_azure_devops_error() {
    let e = ApiError::parse(BODY.as_bytes()).unwrap();
    assert_eq!(e.type_key.as_deref(), Some("UnauthorizedRequestException"));
    assert_eq!(e.error_code, Some(0));
    assert_eq!(e.event_id, Some(3000));
    assert_eq!(
        e.inner_exception
            .as_ref()
            .and_then(|i| i.message.as_deref()),
        Some("inner")
    );
    assert!(ApiError::parse(b"{}").is_none());
    assert!(ApiError::parse(b"[1]").is_none());
    assert!(ApiError::parse(b"<html>").is_none());
}

#[test]
fn http_error_display_and_accessors() {
    let e = Error::http(
        StatusCode::UNAUTHORIZED,
        BODY.as_bytes(),
        false,
        RateLimit::default(),
        Correlation::default(),
    );
    assert_eq!(e.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(e.to_string().starts_with("HTTP 401 Unauthorized: TF400813"));
    assert!(!e.is_retryable());
    let text = Error::http(
        StatusCode::BAD_GATEWAY,
        b"  bad\n\ngateway ",
        false,
        RateLimit::default(),
        Correlation::default(),
    );
    assert_eq!(text.to_string(), "HTTP 502 Bad Gateway: bad gateway");
    assert_eq!(text.body_text(), Some("  bad\n\ngateway "));
    assert!(text.is_retryable());
}

#[test]
fn truncated_utf8_is_cut_cleanly() {
    let s = "aé".as_bytes();
    assert_eq!(body_to_text(&s[..2]), "a");
    assert_eq!(body_to_text(b"a\xffb"), "a\u{fffd}b");
}

#[test]
fn retries_exhausted_display() {
    let last = Error::http(
        StatusCode::TOO_MANY_REQUESTS,
        br#"{"message":"TF400733: The request has been canceled"}"#,
        false,
        RateLimit::default(),
        Correlation::default(),
    );
    let e = Error::RetriesExhausted {
        attempts: 4,
        last: Box::new(last),
    };
    assert_eq!(
        e.to_string(),
        "gave up after 4 attempts: last response 429 Too Many Requests: TF400733: The request has been canceled"
    );
    assert_eq!(e.attempts(), Some(4));
    assert_eq!(e.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(std::error::Error::source(&e).is_some());
}

#[test]
fn error_is_small() {
    assert!(std::mem::size_of::<Error>() <= 96);
}
