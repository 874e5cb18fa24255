//! `runtime/src/retry.rs`: the policy, backoff and the rate-limit headers.

use std::time::{Duration, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::retry::{RateLimit, RetryPolicy, parse_retry_after, parse_seconds};

#[test]
fn backoff_grows_and_is_capped() {
    let p = RetryPolicy {
        max_attempts: 10,
        max_total_wait: Duration::from_secs(600),
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(30),
    };
    assert_eq!(p.backoff(1), Duration::from_millis(500));
    assert_eq!(p.backoff(2), Duration::from_secs(1));
    assert_eq!(p.backoff(3), Duration::from_secs(2));
    assert_eq!(p.backoff(7), Duration::from_secs(30));
    assert_eq!(p.backoff(1000), Duration::from_secs(30));
    for retry in 1..20 {
        let j = p.jittered_backoff(retry);
        assert!(j <= p.backoff(retry));
        assert!(j >= p.backoff(retry) / 2);
    }
}

#[test]
fn none_is_one_attempt() {
    assert_eq!(RetryPolicy::none().attempts(), 1);
    let zero = RetryPolicy {
        max_attempts: 0,
        ..RetryPolicy::default()
    };
    assert_eq!(zero.attempts(), 1);
}

#[test]
fn retryable_statuses() {
    for s in [408u16, 429, 500, 502, 503, 504] {
        assert!(RetryPolicy::is_retryable_status(
            StatusCode::from_u16(s).unwrap()
        ));
    }
    for s in [200u16, 203, 400, 401, 403, 404, 409, 501, 505] {
        assert!(!RetryPolicy::is_retryable_status(
            StatusCode::from_u16(s).unwrap()
        ));
    }
}

#[test]
fn parses_seconds_leniently() {
    assert_eq!(parse_seconds("1"), Some(Duration::from_secs(1)));
    assert_eq!(parse_seconds(" 1.5 "), Some(Duration::from_millis(1500)));
    assert_eq!(parse_seconds("0.001"), Some(Duration::from_millis(1)));
    assert_eq!(parse_seconds("-1"), None);
    assert_eq!(parse_seconds("NaN"), None);
    assert_eq!(parse_seconds("inf"), None);
    assert_eq!(parse_seconds("1e400"), None);
    assert_eq!(parse_seconds("soon"), None);
}

#[test]
fn parses_retry_after_http_date() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777 - 10);
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
        Some(Duration::from_secs(10))
    );
    let later = now + Duration::from_secs(100);
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", later),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("garbage date", now), None);
}

#[test]
fn parses_headers() {
    let mut h = HeaderMap::new();
    h.insert("X-RateLimit-Resource", HeaderValue::from_static("Core"));
    h.insert("X-RateLimit-Delay", HeaderValue::from_static("0.25"));
    h.insert("X-RateLimit-Limit", HeaderValue::from_static("200"));
    h.insert("X-RateLimit-Remaining", HeaderValue::from_static("12.7"));
    h.insert("X-RateLimit-Reset", HeaderValue::from_static("1700000000"));
    h.insert("Retry-After", HeaderValue::from_static("7"));
    let rl = RateLimit::from_headers(&h);
    assert_eq!(rl.resource.as_deref(), Some("Core"));
    assert_eq!(rl.delay, Some(Duration::from_millis(250)));
    assert_eq!(rl.limit, Some(200));
    assert_eq!(rl.remaining, Some(12));
    assert_eq!(rl.reset, Some(1_700_000_000));
    assert_eq!(rl.retry_after, Some(Duration::from_secs(7)));
    assert!(rl.reset_time().is_some());
    assert!(!rl.is_empty());

    let mut bad = HeaderMap::new();
    bad.insert("X-RateLimit-Limit", HeaderValue::from_static("lots"));
    bad.insert("Retry-After", HeaderValue::from_static(""));
    bad.insert("X-RateLimit-Delay", HeaderValue::from_static("-3"));
    assert!(RateLimit::from_headers(&bad).is_empty());

    // A repeated header: the first value counts, as with `HeaderMap::get`, even when
    // it does not parse; other headers are ignored.
    let mut repeated = HeaderMap::new();
    repeated.insert("Content-Length", HeaderValue::from_static("0"));
    repeated.append("X-RateLimit-Limit", HeaderValue::from_static("100"));
    repeated.append("X-RateLimit-Limit", HeaderValue::from_static("999"));
    repeated.append("Retry-After", HeaderValue::from_static("soon"));
    repeated.append("Retry-After", HeaderValue::from_static("5"));
    let rl = RateLimit::from_headers(&repeated);
    assert_eq!(rl.limit, Some(100));
    assert_eq!(rl.retry_after, None);
    assert_eq!(
        rl,
        RateLimit {
            limit: Some(100),
            ..RateLimit::default()
        }
    );
}

#[test]
fn wait_is_max_of_backoff_and_headers() {
    let p = RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        ..RetryPolicy::default()
    };
    let rl = RateLimit {
        retry_after: Some(Duration::from_secs(2)),
        delay: Some(Duration::from_millis(2500)),
        ..RateLimit::default()
    };
    assert_eq!(p.wait_before(1, Some(&rl)), Duration::from_millis(2500));
    assert!(p.wait_before(1, None) <= Duration::from_millis(10));
}
