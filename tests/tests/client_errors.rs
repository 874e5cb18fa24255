//! End-to-end tests of error responses and transport failures.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use token_administration::{
    Client, Credential, Error, RetryPolicy, models::TokenAdministrationRevocation,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAT: &str = "SECRET-PAT-12345";
/// base64(":SECRET-PAT-12345")
const PAT_B64: &str = "OlNFQ1JFVC1QQVQtMTIzNDU=";

const UNAUTHORIZED_BODY: &str = r#"{"$id":"1","innerException":null,"message":"TF400813: Resource not available for anonymous access. Client authentication required.","typeName":"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server","typeKey":"UnauthorizedRequestException","errorCode":0,"eventId":3000}"#;

const BAD_REQUEST_BODY: &str = r#"{"$id":"1","innerException":{"$id":"2","innerException":null,"message":"inner cause","typeName":"System.ArgumentException","typeKey":"ArgumentException","errorCode":0,"eventId":0},"message":"TF400898: An Internal Error Occurred. Activity Id: 0f5c.","typeName":"Microsoft.VisualStudio.Services.Common.VssServiceException, Microsoft.VisualStudio.Services.Common","typeKey":"VssServiceException","errorCode":0,"eventId":3000}"#;

fn host_id() -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0123_4567_89ab_4cde_8f01_2345_6789_abcd)
}

fn body() -> TokenAdministrationRevocation {
    TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(42)],
    }
}

fn client_for(base: &str, policy: RetryPolicy, timeout: Duration) -> Client {
    Client::builder(Credential::pat(PAT))
        .base_url(base)
        .unwrap()
        .retry(policy)
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

fn fast_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        max_total_wait: Duration::from_secs(5),
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

async fn call(client: &Client) -> Error {
    let err = client
        .revoke_authorizations(host_id(), &body())
        .send()
        .await
        .expect_err("the call must fail");
    assert_redacted(&err);
    err
}

fn assert_redacted(err: &Error) {
    let mut shown = format!("{err} || {err:?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        shown.push_str(&format!(" || {s} || {s:?}"));
        source = s.source();
    }
    assert!(!shown.contains(PAT), "PAT leaked: {shown}");
    assert!(!shown.contains(PAT_B64), "encoded PAT leaked: {shown}");
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn unauthorized_with_azure_devops_error_body() {
    let server = server_answering(
        ResponseTemplate::new(401)
            .insert_header("content-type", "application/json; charset=utf-8")
            .set_body_string(UNAUTHORIZED_BODY),
    )
    .await;
    // Default policy: a 401 must not be retried.
    let client = client_for(
        &server.uri(),
        RetryPolicy::default(),
        Duration::from_secs(5),
    );
    let err = call(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    let api = err.api_error().expect("parsed Azure DevOps error");
    assert_eq!(
        api.type_key.as_deref(),
        Some("UnauthorizedRequestException")
    );
    assert!(api.message.as_deref().unwrap().starts_with("TF400813"));
    assert_eq!(api.event_id, Some(3000));
    assert_eq!(api.error_code, Some(0));
    assert!(api.inner_exception.is_none());
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), None);
    assert_eq!(err.body_text(), Some(UNAUTHORIZED_BODY));
    let shown = err.to_string();
    assert!(
        shown.starts_with("HTTP 401 Unauthorized: TF400813"),
        "{shown}"
    );
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn bad_request_with_nested_error_is_not_retried() {
    let server =
        server_answering(ResponseTemplate::new(400).set_body_string(BAD_REQUEST_BODY)).await;
    let client = client_for(&server.uri(), fast_policy(4), Duration::from_secs(5));
    let err = call(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let api = err.api_error().unwrap();
    assert_eq!(api.type_key.as_deref(), Some("VssServiceException"));
    let inner = api.inner_exception.as_deref().expect("inner exception");
    assert_eq!(inner.message.as_deref(), Some("inner cause"));
    assert_eq!(inner.type_key.as_deref(), Some("ArgumentException"));
    assert!(!err.is_retryable());
    assert_eq!(requests_seen(&server).await, 1, "400 must not be retried");
}

#[tokio::test]
async fn plain_text_error_body_is_kept_raw() {
    let server = server_answering(
        ResponseTemplate::new(404)
            .insert_header("content-type", "text/plain")
            .set_body_string("Not Found: no such area"),
    )
    .await;
    let client = client_for(&server.uri(), fast_policy(3), Duration::from_secs(5));
    let err = call(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(err.api_error().is_none());
    assert_eq!(err.body_text(), Some("Not Found: no such area"));
    assert!(!err.is_body_truncated());
    assert_eq!(
        err.to_string(),
        "HTTP 404 Not Found: Not Found: no such area"
    );
    assert_eq!(requests_seen(&server).await, 1, "404 must not be retried");
}

#[tokio::test]
async fn non_authoritative_sign_in_page_is_an_error() {
    let page = "<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body>Sign in</body></html>";
    let server = server_answering(
        ResponseTemplate::new(203)
            .insert_header("content-type", "text/html; charset=utf-8")
            .set_body_string(page),
    )
    .await;
    let client = client_for(
        &server.uri(),
        RetryPolicy::default(),
        Duration::from_secs(5),
    );
    let err = call(&client).await;
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(203));
    assert!(err.body_text().unwrap().contains("Sign In"));
    assert!(err.api_error().is_none());
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(
        shown.starts_with("HTTP 203 Non Authoritative Information"),
        "{shown}"
    );
    assert!(shown.contains("credential"), "{shown}");
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn redirect_to_sign_in_is_not_followed() {
    let server = server_answering(
        ResponseTemplate::new(302)
            .insert_header("location", "https://login.example.invalid/signin"),
    )
    .await;
    let client = client_for(
        &server.uri(),
        RetryPolicy::default(),
        Duration::from_secs(5),
    );
    let err = call(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert!(err.to_string().contains("credential"), "{err}");
}

#[tokio::test]
async fn ok_200_where_204_expected_is_an_error() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_string(r#"{"count":0}"#)).await;
    let client = client_for(
        &server.uri(),
        RetryPolicy::default(),
        Duration::from_secs(5),
    );
    let err = call(&client).await;
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.body_text(), Some(r#"{"count":0}"#));
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn huge_garbage_error_body_is_truncated() {
    // 2 MB of bytes that are neither JSON nor valid UTF-8.
    let garbage: Vec<u8> = (0..2_000_000u32).map(|i| (i % 251) as u8 | 0x80).collect();
    let server = server_answering(ResponseTemplate::new(500).set_body_bytes(garbage)).await;
    let client = client_for(&server.uri(), RetryPolicy::none(), Duration::from_secs(5));
    let err = call(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(err.api_error().is_none());
    assert!(err.is_body_truncated());
    let text = err.body_text().expect("some text kept");
    assert!(!text.is_empty());
    // At most 64 KiB of bytes kept (each replaced by U+FFFD, 3 bytes in UTF-8).
    assert!(
        text.chars().count() <= 64 * 1024,
        "{} chars",
        text.chars().count()
    );
    assert!(err.to_string().len() < 2_000, "Display stays short");
    assert!(err.is_retryable(), "500 is retryable");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let base = format!("http://{addr}");

    let client = client_for(&base, RetryPolicy::none(), Duration::from_secs(5));
    let err = call(&client).await;
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_transport());
    assert!(err.is_connect(), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.to_string().starts_with("transport error"), "{err}");

    // With retries: the attempt count is reported, the last error kept.
    let client = client_for(&base, fast_policy(3), Duration::from_secs(5));
    let err = call(&client).await;
    assert_eq!(err.attempts(), Some(3));
    assert!(err.is_connect());
    assert!(
        err.to_string()
            .starts_with("gave up after 3 attempts: last error: transport error"),
        "{err}"
    );
}

#[tokio::test]
async fn server_that_never_answers_times_out() {
    let server =
        server_answering(ResponseTemplate::new(204).set_delay(Duration::from_secs(10))).await;
    let client = client_for(
        &server.uri(),
        RetryPolicy::none(),
        Duration::from_millis(300),
    );
    let started = Instant::now();
    let err = call(&client).await;
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

/// With the caller's own HTTP client, a timeout set on the builder still applies to
/// each attempt (it is set on every request); without one, the caller's client decides.
#[tokio::test]
async fn a_timeout_applies_through_a_custom_http_client() {
    let server =
        server_answering(ResponseTemplate::new(204).set_delay(Duration::from_secs(10))).await;
    let explicit = Client::builder(Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy::none())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let own = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let theirs = Client::builder(Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy::none())
        .http_client(own)
        .build()
        .unwrap();
    for client in [explicit, theirs] {
        let started = Instant::now();
        let err = call(&client).await;
        assert!(err.is_timeout(), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

/// A raw server that, for each connection, reads the request head and writes
/// `reply` (a partial HTTP response) then closes the connection.
async fn raw_server(reply: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        // Bounded: serves at most 10 connections.
        for _ in 0..10 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 16 * 1024];
            let mut read = Vec::new();
            while !read.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => read.extend_from_slice(&buf[..n]),
                }
            }
            let _ = socket.write_all(reply).await;
            let _ = socket.flush().await;
            drop(socket);
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn connection_closed_mid_response_is_a_transport_error() {
    let (base, count) = raw_server(b"HTTP/1.1 204 No Content\r\nX-RateLimit-Resou").await;

    let client = client_for(&base, RetryPolicy::none(), Duration::from_secs(5));
    let err = call(&client).await;
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(err.is_retryable(), "the operation is idempotent: retried");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    let client = client_for(&base, fast_policy(2), Duration::from_secs(5));
    let err = call(&client).await;
    assert_eq!(err.attempts(), Some(2));
    assert!(err.is_transport());
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn error_body_cut_short_keeps_the_status() {
    let (base, _count) = raw_server(
        b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"message\":\"TF4008",
    )
    .await;
    let client = client_for(&base, RetryPolicy::none(), Duration::from_secs(5));
    let err = call(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(err.is_body_truncated());
    assert_eq!(err.body_text(), Some("{\"message\":\"TF4008"));
    assert!(err.api_error().is_none());
}
