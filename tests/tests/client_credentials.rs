//! End-to-end tests of credentials with tokens that expire
//! (`Credential::token_provider`): fetched on first use, shared, fetched once
//! at a time, refreshed before they expire and after a `401`; a failing
//! provider sends nothing. Also the `X-TFS-FedAuthRedirect` header every
//! request carries. The Azure CLI is in `client_azure_cli.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use token_administration::{
    AccessToken, Client, Credential, Error, RetryPolicy, models::TokenAdministrationRevocation,
};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const HOUR: Duration = Duration::from_secs(3600);

fn body() -> TokenAdministrationRevocation {
    TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(7)],
    }
}

fn client(server: &MockServer, credential: Credential, policy: RetryPolicy) -> Client {
    Client::builder(credential)
        .base_url(&server.uri())
        .unwrap()
        .retry(policy)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Short backoffs, so that retries take no time.
fn fast_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        max_total_wait: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(10),
    }
}

/// A provider handing out `SECRET-TOKEN-1`, `SECRET-TOKEN-2`, ... (the
/// `n`th valid for `lifetime(n)`), after `delay`, counting its calls.
fn provider(
    calls: &Arc<AtomicUsize>,
    delay: Duration,
    lifetime: fn(usize) -> Duration,
) -> Credential {
    let calls = Arc::clone(calls);
    Credential::token_provider(move || {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            tokio::time::sleep(delay).await;
            Ok::<_, std::io::Error>(AccessToken::new(
                format!("SECRET-TOKEN-{n}"),
                SystemTime::now() + lifetime(n),
            ))
        }
    })
}

async fn answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn authorization(request: &Request) -> &str {
    request.headers["authorization"].to_str().unwrap()
}

/// No token (or part of one) in anything shown.
fn assert_hidden(shown: &str) {
    assert!(!shown.contains("SECRET"), "a token leaked: {shown}");
}

#[tokio::test]
async fn one_fetch_serves_many_calls_and_none_happens_before_the_first() {
    let server = answering(204).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(
        &server,
        provider(&calls, Duration::ZERO, |_| HOUR),
        RetryPolicy::none(),
    );
    let body = body();
    // Neither building the client nor previewing a request fetches a token.
    let preview = client
        .revoke_authorizations(uuid::Uuid::nil(), &body)
        .preview()
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let shown = |name: &str| {
        preview
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(shown("authorization"), Some("<redacted>"));
    assert_eq!(shown("x-tfs-fedauthredirect"), Some("Suppress"));

    for _ in 0..5 {
        client
            .revoke_authorizations(uuid::Uuid::nil(), &body)
            .await
            .unwrap();
    }
    // A clone shares the token.
    client
        .clone()
        .revoke_authorizations(uuid::Uuid::nil(), &body)
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 6);
    for request in &requests {
        assert_eq!(authorization(request), "Bearer SECRET-TOKEN-1");
    }
    assert_hidden(&format!("{client:?}"));
}

#[tokio::test]
async fn a_token_due_for_refresh_is_refreshed_before_it_expires() {
    let server = answering(204).await;
    let calls = Arc::new(AtomicUsize::new(0));
    // The first token lives 2 s, so it is due for a refresh after 1 s
    // (halfway through its short life); the next ones live an hour.
    let client = client(
        &server,
        provider(&calls, Duration::ZERO, |n| {
            if n == 1 { Duration::from_secs(2) } else { HOUR }
        }),
        RetryPolicy::none(),
    );
    let body = body();
    let send = || client.revoke_authorizations(uuid::Uuid::nil(), &body);
    send().await.unwrap();
    send().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "still fresh: no refresh");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    send().await.unwrap();
    send().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one refresh");
    let tokens: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| authorization(r).to_owned())
        .collect();
    assert_eq!(
        tokens,
        [
            "Bearer SECRET-TOKEN-1",
            "Bearer SECRET-TOKEN-1",
            "Bearer SECRET-TOKEN-2",
            "Bearer SECRET-TOKEN-2"
        ]
    );
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_sends_once_more_outside_the_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer SECRET-TOKEN-1"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    // One attempt only: the second sending is not a retry of the policy.
    let client = client(
        &server,
        provider(&calls, Duration::ZERO, |_| HOUR),
        RetryPolicy::none(),
    );
    let body = body();
    let response = client
        .revoke_authorizations(uuid::Uuid::nil(), &body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.attempts(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(authorization(&requests[0]), "Bearer SECRET-TOKEN-1");
    assert_eq!(authorization(&requests[1]), "Bearer SECRET-TOKEN-2");
    // The body went with both.
    assert_eq!(requests[0].body, requests[1].body);
    assert!(!requests[1].body.is_empty());

    // The new token stays in use.
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body)
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_the_error_and_nothing_more_is_sent() {
    let server = answering(401).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(
        &server,
        provider(&calls, Duration::ZERO, |_| HOUR),
        fast_policy(4),
    );
    let err = client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the first sending and one more");
    assert_eq!(authorization(&requests[1]), "Bearer SECRET-TOKEN-2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_hidden(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn a_401_to_a_fixed_bearer_token_is_not_sent_again() {
    let server = answering(401).await;
    let client = client(&server, Credential::bearer("SECRET-BEARER"), fast_policy(4));
    let err = client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_calls_share_one_fetch() {
    let server = answering(204).await;
    let calls = Arc::new(AtomicUsize::new(0));
    // The provider takes a while, so that every call asks for the token
    // while the first fetch is under way.
    let client = client(
        &server,
        provider(&calls, Duration::from_millis(200), |_| HOUR),
        RetryPolicy::none(),
    );
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .revoke_authorizations(uuid::Uuid::nil(), &body())
                .await
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 64);
    assert!(
        requests
            .iter()
            .all(|r| authorization(r) == "Bearer SECRET-TOKEN-1")
    );
}

#[tokio::test]
async fn a_failing_provider_sends_nothing_and_is_asked_again_next_time() {
    let server = answering(204).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let credential = Credential::token_provider(move || {
        let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            if n == 1 {
                Err(std::io::Error::other("the identity service is down"))
            } else {
                Ok(AccessToken::new(
                    "SECRET-TOKEN-OK",
                    SystemTime::now() + HOUR,
                ))
            }
        }
    });
    let client = client(&server, credential, fast_policy(4));
    let body = body();
    let err = client
        .revoke_authorizations(uuid::Uuid::nil(), &body)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "invalid credential: the token provider failed: the identity service is down"
    );
    assert!(!err.is_retryable());
    assert_eq!(calls.load(Ordering::SeqCst), 1, "not retried by the policy");
    assert!(received(&server).await.is_empty(), "nothing was sent");

    // The next request asks the provider again.
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body)
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        authorization(&received(&server).await[0]),
        "Bearer SECRET-TOKEN-OK"
    );
}

#[tokio::test]
async fn a_provider_error_may_be_a_string() {
    let server = answering(204).await;
    let client = client(
        &server,
        Credential::token_provider(|| async { Err::<AccessToken, _>("no token today") }),
        RetryPolicy::none(),
    );
    let message = client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.ends_with("the token provider failed: no token today"),
        "{message}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn unusable_tokens_are_credential_errors_without_the_token() {
    let server = answering(204).await;
    let now = SystemTime::now();
    for (token, expected) in [
        (
            AccessToken::new("  ", now + HOUR),
            "the token provider returned an empty token",
        ),
        (
            AccessToken::new("SECRET-TOKEN-OLD", now - HOUR),
            "the token provider returned a token that expired at ",
        ),
        (
            AccessToken::new("SECRET\nTOKEN", now + HOUR),
            "the token provider returned a token with characters not allowed in an HTTP header",
        ),
    ] {
        let client = client(
            &server,
            Credential::token_provider(move || {
                let token = token.clone();
                async move { Ok::<_, std::io::Error>(token) }
            }),
            RetryPolicy::none(),
        );
        let err = client
            .revoke_authorizations(uuid::Uuid::nil(), &body())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Credential { .. }), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
        assert_hidden(&format!("{err} {err:?}"));
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn every_request_asks_for_401_rather_than_a_sign_in_page_retries_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client(&server, Credential::pat("SECRET-PAT"), fast_policy(4));
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.headers["x-tfs-fedauthredirect"], "Suppress");
    }
    // A sign-in page is still an error.
    let server = answering(203).await;
    let client = self::client(&server, Credential::pat("SECRET-PAT"), RetryPolicy::none());
    let err = client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(203));
}

#[test]
fn nothing_shows_a_token() {
    let token = AccessToken::new("SECRET-TOKEN-1", SystemTime::now() + HOUR);
    let shown = format!("{token:?}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(shown.contains("expires_at"), "{shown}");
    assert_hidden(&shown);
    let credential = Credential::token_provider(move || {
        let token = token.clone();
        async move { Ok::<_, std::io::Error>(token) }
    });
    assert!(!credential.is_pat());
    assert_eq!(format!("{credential:?}"), "Credential::TokenProvider(..)");
    let client = Client::new(credential.clone()).unwrap();
    assert_hidden(&format!("{client:?}"));
    assert_eq!(
        format!("{:?}", Credential::azure_cli()),
        "Credential::AzureCli"
    );
}
