//! End-to-end tests of retries, backoff, `Retry-After` and the rate-limit
//! headers.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use token_administration::{
    Client, Credential, Error, RetryPolicy, models::TokenAdministrationRevocation,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAT: &str = "SECRET-PAT-12345";
/// base64(":SECRET-PAT-12345")
const PAT_B64: &str = "OlNFQ1JFVC1QQVQtMTIzNDU=";

const THROTTLED_BODY: &str = r#"{"$id":"1","innerException":null,"message":"TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Core' in namespace 'User'.","typeName":"Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server","typeKey":"RequestBlockedException","errorCode":0,"eventId":3000}"#;

fn body() -> TokenAdministrationRevocation {
    TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(7)],
    }
}

/// Short backoffs so that only the waits asked for by headers take time.
fn fast_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        max_total_wait: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(10),
    }
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder(Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(policy)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn assert_redacted(err: &Error) {
    let shown = format!("{err} || {err:?}");
    assert!(!shown.contains(PAT), "PAT leaked: {shown}");
    assert!(!shown.contains(PAT_B64), "encoded PAT leaked: {shown}");
}

/// Formats an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the
/// preferred HTTP-date form.
fn http_date(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        day,
        MONTHS[(month - 1) as usize],
        year,
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[test]
fn http_date_formatting() {
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );
    assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(951_782_400)),
        "Tue, 29 Feb 2000 00:00:00 GMT"
    );
}

/// Mounts `first` for the first `n` requests, then 204.
async fn fail_then_succeed(first: ResponseTemplate, n: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn retry_after_seconds_is_honoured_then_success() {
    let server = fail_then_succeed(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "1")
            .set_body_string(THROTTLED_BODY),
        1,
    )
    .await;
    let client = client(&server, fast_policy(4));
    let started = Instant::now();
    let response = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send_with_response()
        .await
        .expect("succeeds after one retry");
    let elapsed = started.elapsed();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.attempts(), 2);
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    assert_eq!(requests_seen(&server).await, 2);
}

/// Answers 429 with `X-RateLimit-Delay: 1` to the first request and 204 to
/// the rest, recording when each request arrived.
struct ThrottleOnce {
    arrivals: std::sync::Arc<std::sync::Mutex<Vec<Instant>>>,
}

impl wiremock::Respond for ThrottleOnce {
    fn respond(&self, _request: &wiremock::Request) -> ResponseTemplate {
        let mut arrivals = self.arrivals.lock().unwrap();
        arrivals.push(Instant::now());
        if arrivals.len() == 1 {
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Delay", "1.0")
                .set_body_string(THROTTLED_BODY)
        } else {
            ResponseTemplate::new(204)
        }
    }
}

#[tokio::test]
async fn a_throttle_holds_back_the_other_requests_of_the_client() {
    let server = MockServer::start().await;
    let arrivals = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(ThrottleOnce {
            arrivals: arrivals.clone(),
        })
        .mount(&server)
        .await;
    let client = client(&server, fast_policy(4));
    let started = Instant::now();
    let first_body = body();
    let first = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &first_body)
        .send_with_response();
    let second = async {
        // Starts once the first request has been throttled.
        while arrivals.lock().unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        client
            .revoke_authorizations(uuid::Uuid::from_u128(2), &body())
            .send_with_response()
            .await
    };
    let (first, second) = tokio::join!(first, second);
    assert_eq!(first.expect("first succeeds after its retry").attempts(), 2);
    // The second request was never throttled itself: it waited for the
    // first one's throttle instead of hitting the service during it.
    assert_eq!(second.expect("second succeeds").attempts(), 1);
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 3);
    for later in &arrivals[1..] {
        let at = later.duration_since(started);
        assert!(
            at >= Duration::from_millis(950),
            "a request reached the server {at:?} after the start, during the throttle"
        );
    }
}

#[tokio::test]
async fn retry_after_http_date_on_503_is_honoured() {
    // An HTTP-date has one-second resolution: 2 s ahead means a wait of 1..2 s.
    let at = SystemTime::now() + Duration::from_secs(2);
    let server = fail_then_succeed(
        ResponseTemplate::new(503)
            .insert_header("Retry-After", http_date(at).as_str())
            .set_body_string("Service Unavailable"),
        1,
    )
    .await;
    let client = client(&server, fast_policy(4));
    let started = Instant::now();
    client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send()
        .await
        .expect("succeeds after one retry");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900),
        "waited only {elapsed:?}"
    );
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn x_ratelimit_delay_is_honoured() {
    let server = fail_then_succeed(
        ResponseTemplate::new(429)
            .insert_header("X-RateLimit-Delay", "0.350")
            .insert_header("X-RateLimit-Resource", "Core")
            .set_body_string(THROTTLED_BODY),
        1,
    )
    .await;
    let client = client(&server, fast_policy(4));
    let started = Instant::now();
    client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(350),
        "waited only {elapsed:?}"
    );
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn transient_statuses_are_retried() {
    for status in [408u16, 500, 502, 504] {
        let server = fail_then_succeed(ResponseTemplate::new(status), 2).await;
        let client = client(&server, fast_policy(3));
        client
            .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{status} should be retried: {e}"));
        assert_eq!(requests_seen(&server).await, 3, "status {status}");
    }
}

#[tokio::test]
async fn throttled_forever_stops_at_the_attempt_bound() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .insert_header("X-RateLimit-Resource", "Core")
                .insert_header("X-RateLimit-Delay", "0.01")
                .insert_header("X-RateLimit-Limit", "200")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", "1700000000")
                .set_body_string(THROTTLED_BODY),
        )
        .mount(&server)
        .await;
    let client = client(&server, fast_policy(3));
    let err = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send()
        .await
        .unwrap_err();
    assert_redacted(&err);
    assert!(matches!(err, Error::RetriesExhausted { .. }), "{err:?}");
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(requests_seen(&server).await, 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(err.is_retryable());
    assert_eq!(
        err.api_error().and_then(|a| a.type_key.as_deref()),
        Some("RequestBlockedException")
    );
    assert!(err.body_text().unwrap().contains("TF400733"));
    let shown = err.to_string();
    assert!(
        shown
            .starts_with("gave up after 3 attempts: last response 429 Too Many Requests: TF400733"),
        "{shown}"
    );
    // Rate-limit headers of the last response are readable from the error.
    let rl = err.rate_limit().expect("rate limit of the last response");
    assert_eq!(rl.resource.as_deref(), Some("Core"));
    assert_eq!(rl.delay, Some(Duration::from_millis(10)));
    assert_eq!(rl.limit, Some(200));
    assert_eq!(rl.remaining, Some(0));
    assert_eq!(rl.reset, Some(1_700_000_000));
    assert_eq!(rl.retry_after, Some(Duration::ZERO));
    // The source is the last response's error.
    let source = std::error::Error::source(&err).expect("source");
    assert!(source.to_string().starts_with("HTTP 429"), "{source}");
}

#[tokio::test]
async fn stops_early_when_the_wait_exceeds_the_budget() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .mount(&server)
        .await;
    // Default policy: 60 s of total wait at most, so a 120 s Retry-After is
    // not waited for.
    let client = client(&server, RetryPolicy::default());
    let started = Instant::now();
    let err = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_redacted(&err);
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        err.rate_limit().and_then(|r| r.retry_after),
        Some(Duration::from_secs(120))
    );
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400u16, 401, 403, 404, 409] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "0"))
            .mount(&server)
            .await;
        let client = client(&server, fast_policy(4));
        let err = client
            .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
            .send()
            .await
            .unwrap_err();
        assert_redacted(&err);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.attempts(), None);
        assert!(!err.is_retryable());
        assert_eq!(requests_seen(&server).await, 1, "status {status} retried");
    }
}

#[tokio::test]
async fn no_retry_policy_returns_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .insert_header("X-RateLimit-Resource", "Core")
                .set_body_string(THROTTLED_BODY),
        )
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let err = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send()
        .await
        .unwrap_err();
    assert_redacted(&err);
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert_eq!(err.attempts(), None);
    assert_eq!(err.rate_limit().unwrap().resource.as_deref(), Some("Core"));
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn rate_limit_headers_on_success_are_exposed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(204)
                .insert_header("X-RateLimit-Resource", "Core")
                .insert_header("X-RateLimit-Delay", "1.5")
                .insert_header("X-RateLimit-Remaining", "17"),
        )
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let response = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send_with_response()
        .await
        .unwrap();
    let rl = response.rate_limit();
    assert_eq!(rl.resource.as_deref(), Some("Core"));
    assert_eq!(rl.delay, Some(Duration::from_millis(1500)));
    assert_eq!(rl.remaining, Some(17));
    assert_eq!(rl.retry_after, None);
    assert_eq!(
        response.headers().get("x-ratelimit-resource").unwrap(),
        "Core"
    );
}

/// Every attempt sends the whole request again: same URL, headers and body (the last
/// attempt takes the body rather than sharing it, which must not show).
#[tokio::test]
async fn every_attempt_sends_the_same_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, fast_policy(3));
    let response = client
        .revoke_authorizations(uuid::Uuid::from_u128(1), &body())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 3);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let expected = serde_json::to_vec(&body()).unwrap();
    for r in &requests {
        assert_eq!(r.body, expected);
        assert_eq!(r.url, requests[0].url);
        assert_eq!(
            r.headers.get("authorization"),
            requests[0].headers.get("authorization")
        );
        assert_eq!(
            r.headers.get("content-type").map(|v| v.to_str().unwrap()),
            Some("application/json")
        );
    }
}
