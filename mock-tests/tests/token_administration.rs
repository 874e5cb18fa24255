//! The mock of the Token Administration client (`generated/`, feature `mock`): typed
//! matchers and answers, counts, pages, errors, throttling, delays, dropped connections, the
//! report of a request no expectation matches, and requests the spec forbids.

use std::time::Duration;

use futures::StreamExt;
use token_administration::mock::{MockServer, Response};
use token_administration::models::{
    SessionToken, TokenAdminPagedSessionTokens, TokenAdminRevocation, TokenAdministrationRevocation,
};
use token_administration::{Error, RetryPolicy};
use uuid::Uuid;

const USER: &str = "aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";

fn host() -> Uuid {
    Uuid::from_u128(0x8d6b1d4e_5bbf_4c8b_9f0e_3a1c2b4d5e6f)
}

fn revocation(ids: &[u128]) -> TokenAdministrationRevocation {
    TokenAdministrationRevocation {
        authorization_ids: ids.iter().map(|&n| Uuid::from_u128(n)).collect(),
        ..Default::default()
    }
}

fn page(ids: &[u128], next: Option<&str>) -> TokenAdminPagedSessionTokens {
    TokenAdminPagedSessionTokens {
        continuation_token: next.map(str::to_owned),
        value: Some(
            ids.iter()
                .map(|&n| SessionToken {
                    authorization_id: Some(Uuid::from_u128(n)),
                    display_name: Some(format!("token {n}")),
                    ..Default::default()
                })
                .collect(),
        ),
    }
}

/// The quick start of the README: an expectation with typed matchers, counted, answered
/// with the operation's success.
#[tokio::test]
async fn a_revocation_matches_by_its_typed_parameters_and_body() {
    let mock = MockServer::start().await;
    let body = revocation(&[1, 2]);
    let revoked = mock
        .revoke_authorizations()
        .host_id(host())
        .body(&body)
        .expect(1)
        .respond();

    mock.client()
        .revoke_authorizations(host(), &body)
        .await
        .unwrap();

    assert_eq!(revoked.hits(), 1);
    assert_eq!(revoked.operation(), "TokenRevocations_RevokeAuthorizations");
    mock.verify();
}

/// Pages answered in order: each continuation token its own expectation (the first, with no
/// token, mounted last, so that it takes only what the others do not match).
#[tokio::test]
async fn the_pages_of_a_listing_are_typed_answers() {
    let mock = MockServer::start().await;
    let lists = mock.list_personal_access_tokens();
    lists
        .subject_descriptor(USER)
        .continuation_token("page-2")
        .expect(1)
        .respond_with(&page(&[3, 4], Some("page-3")));
    let last = mock
        .list_personal_access_tokens()
        .continuation_token("page-3")
        .expect(1)
        .respond_with(&page(&[5], None));
    mock.list_personal_access_tokens()
        .subject_descriptor(USER)
        .body(&[])
        .expect(1)
        .respond_with(&page(&[1, 2], Some("page-2")));

    let client = mock.client();
    let items: Vec<u128> = client
        .list_personal_access_tokens(USER, &[])
        .items()
        .map(|t| t.unwrap().authorization_id.unwrap().as_u128())
        .collect()
        .await;

    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(last.hits(), 1);
    assert_eq!(mock.received().len(), 3);
}

/// A documented error comes back as the client's error, with the service's message.
#[tokio::test]
async fn an_error_answer_is_the_client_s_error() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations().respond_error(
        401,
        "TF400813: The user is not authorized to access this resource.",
    );

    let err = mock
        .client()
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let message = err.api_error().and_then(|e| e.message.as_deref());
    assert_eq!(
        message,
        Some("TF400813: The user is not authorized to access this resource.")
    );
}

/// A `429` with `Retry-After` first, then the success: the client waits and retries.
#[tokio::test]
async fn a_throttle_then_a_success_is_retried_through() {
    let mock = MockServer::start().await;
    let throttled = mock
        .revoke_authorizations()
        .up_to(1)
        .respond_throttled(Duration::ZERO);
    let revoked = mock.revoke_authorizations().respond();

    mock.client()
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap();

    assert_eq!((throttled.hits(), revoked.hits()), (1, 1));
    assert_eq!(mock.received().len(), 2);
}

/// Throttled every time: the client gives up after its attempts, with the status.
#[tokio::test]
async fn a_throttle_that_lasts_exhausts_the_retries() {
    let mock = MockServer::start().await;
    let throttled = mock
        .revoke_authorizations()
        .respond_throttled(Duration::ZERO);

    let err = mock
        .client()
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::RetriesExhausted { attempts: 4, .. }),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(throttled.hits(), 4);
}

/// An answer later than the client's timeout is a timeout.
#[tokio::test]
async fn a_delay_past_the_timeout_times_the_call_out() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations()
        .delay(Duration::from_secs(5))
        .respond();
    let client = mock
        .client_builder()
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let started = std::time::Instant::now();
    let err = client
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

/// A dropped connection: an idempotent call is sent again, a call that is not is not (the
/// service may have acted on it).
#[tokio::test]
async fn a_dropped_connection_is_retried_only_when_the_call_is_idempotent() {
    let mock = MockServer::start().await;
    let dropped = mock.revoke_authorizations().up_to(1).drop_connection();
    let revoked = mock.revoke_authorizations().respond();
    let client = mock.client();

    client
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap();
    assert_eq!((dropped.hits(), revoked.hits()), (1, 1));

    let dropped = mock
        .list_identities_with_global_access_tokens()
        .drop_connection();
    let body = [TokenAdminRevocation {
        authorization_id: Some(Uuid::from_u128(1)),
    }];
    let err = client
        .list_identities_with_global_access_tokens(&body)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(dropped.hits(), 1);
}

/// A request no expectation matches gets a `404` and is reported with the expectation that
/// came closest and why it did not match.
#[tokio::test]
async fn an_unmatched_request_is_reported_with_the_closest_expectation() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations()
        .host_id(Uuid::nil())
        .body(&revocation(&[1]))
        .respond();
    mock.revoke_authorizations()
        .host_id(host())
        .body(&revocation(&[7, 8]))
        .respond();

    let err = mock
        .client()
        .revoke_authorizations(host(), &revocation(&[7, 9]))
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let expected = format!(
        "a request no expectation matched: POST /_apis/tokenadministration/tokenrevocations\
         ?hostId={}&api-version=5.0-preview.1; the closest expectation, #2 of \
         `TokenRevocations_RevokeAuthorizations`, does not match because the body differs at \
         .authorizationIds[1]: expected \"{}\", got \"{}\"",
        host(),
        Uuid::from_u128(8),
        Uuid::from_u128(9),
    );
    assert_eq!(problems[0], expected);
    assert!(mock.problems().is_empty());
}

/// What the mock says of requests the real service would refuse: each breach, and where.
#[tokio::test]
async fn requests_the_spec_forbids_are_reported_with_what_they_break() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations().respond();
    let http = reqwest::Client::new();
    let url = format!("{}/_apis/tokenadministration/tokenrevocations", mock.url());
    let body = r#"{"authorizationIds": ["00000000-0000-0000-0000-000000000001"]}"#;
    let send = |query: &'static str, content_type: &'static str, body: &'static str| {
        let request = http
            .post(format!("{url}{query}"))
            .header("content-type", content_type)
            .body(body);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let cases: [(&str, &str, &str, &str); 7] = [
        (
            "?api-version=5.0-preview.1",
            "application/json",
            body,
            "the required query parameter `hostId` is missing",
        ),
        (
            "?hostId=8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f&api-version=7.1",
            "application/json",
            body,
            "the query parameter `api-version` must be `5.0-preview.1`, not `7.1`",
        ),
        (
            "?hostId=not-a-uuid&api-version=5.0-preview.1",
            "application/json",
            body,
            "the query parameter `hostId` must be a uuid, not `not-a-uuid`",
        ),
        (
            "?hostIds=8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f&hostId=8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f&api-version=5.0-preview.1",
            "application/json",
            body,
            "the query parameter `hostIds` is not one of the operation's (`hostId`, `isPublic`, `api-version`)",
        ),
        (
            "?hostId=8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f&api-version=5.0-preview.1",
            "application/json",
            r#"{"authorizationIds": []}"#,
            "the request body: body.authorizationIds must have at least 1 item(s), has 0",
        ),
        (
            "?hostId=8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f&api-version=5.0-preview.1",
            "application/json",
            r#"["00000000-0000-0000-0000-000000000001"]"#,
            "the request body: the body does not decode",
        ),
        (
            "?hostId=8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f&api-version=5.0-preview.1",
            "text/plain",
            body,
            "the request body is sent as `text/plain`, which is not one of the operation's media types (`application/json`)",
        ),
    ];
    for (query, content_type, body, breach) in cases {
        assert_eq!(send(query, content_type, body).await, 400, "{query} {body}");
        let problems = mock.take_problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "a request the spec forbids: POST /_apis/tokenadministration/tokenrevocations"
            ),
            "{}",
            problems[0]
        );
        assert!(
            problems[0].contains(breach),
            "{}\nwanted: {breach}",
            problems[0]
        );
    }

    let status = http
        .post(format!("{url}?hostId={}&api-version=5.0-preview.1", host()))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 400);
    let problems = mock.take_problems();
    assert!(
        problems[0].ends_with("the request body is required, and none was sent"),
        "{problems:#?}"
    );
}

/// A request to no operation of the spec names the closest one.
#[tokio::test]
async fn a_request_to_no_operation_names_the_closest() {
    let mock = MockServer::start().await;
    let client = mock
        .client_builder()
        .base_url(&format!("{}/contoso", mock.url()))
        .unwrap()
        .build()
        .unwrap();

    let err = client
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let problems = mock.take_problems();
    assert_eq!(
        problems,
        [format!(
            "a request the spec forbids: POST /contoso/_apis/tokenadministration/tokenrevocations\
             ?hostId={}&api-version=5.0-preview.1 is no operation of the spec; the closest is \
             `TokenRevocations_RevokeAuthorizations` (POST \
             /_apis/tokenadministration/tokenrevocations)",
            host()
        )]
    );
}

/// The test that sends a request the spec forbids fails when the mock is dropped, with the
/// request and what it breaks.
#[tokio::test]
#[should_panic(
    expected = "a request the spec forbids: POST /contoso/_apis/tokenadministration/tokenrevocations"
)]
async fn a_test_that_sends_a_forbidden_request_fails() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations().respond();
    let client = mock
        .client_builder()
        .base_url(&format!("{}/contoso", mock.url()))
        .unwrap()
        .build()
        .unwrap();
    // The client reads the mock's 400 as an error; the code under test might swallow it.
    let _ = client
        .revoke_authorizations(host(), &revocation(&[1]))
        .await;
}

/// An expectation that must be met once and is not fails the test.
#[tokio::test]
#[should_panic(
    expected = "the expectation #1 of `TokenRevocations_RevokeAuthorizations` was to match 1 request(s), and matched 0"
)]
async fn an_expectation_not_met_fails_the_test() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations().expect(1).respond();
}

/// A request no expectation matches fails the test too.
#[tokio::test]
#[should_panic(expected = "a request no expectation matched")]
async fn a_test_that_sends_an_unexpected_request_fails() {
    let mock = MockServer::start().await;
    let _ = mock
        .client()
        .revoke_authorizations(host(), &revocation(&[1]))
        .await;
}

/// What the mock received is there to look at, but not the credential.
#[tokio::test]
async fn received_requests_show_no_credential() {
    let mock = MockServer::start().await;
    mock.revoke_authorizations().respond();
    let client = mock.client_builder().build().unwrap();
    client
        .revoke_authorizations(host(), &revocation(&[1]))
        .await
        .unwrap();

    let received = mock.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert!(
        request
            .header("authorization")
            .is_some_and(|a| a.starts_with("Basic "))
    );
    assert_eq!(request.query_values("hostId"), [host().to_string()]);
    let shown = format!("{request:?}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(!shown.contains("Basic"), "{shown}");
}

/// What the typed matchers and answers do not cover: a predicate over the received request
/// (named in the report when it does not hold), and a response built by hand.
#[tokio::test]
async fn a_predicate_and_a_raw_answer_cover_the_rest() {
    let mock = MockServer::start().await;
    let small = mock
        .revoke_authorizations()
        .matching("a batch of at most 2", |request| {
            request.json().is_some_and(|body| {
                body["authorizationIds"]
                    .as_array()
                    .is_some_and(|ids| ids.len() <= 2)
            })
        })
        .respond_raw(
            Response::status(204).header("activityid", "5d2d3e7e-0000-0000-0000-000000000000"),
        );
    let client = mock.client();

    let response = client
        .revoke_authorizations(host(), &revocation(&[1, 2]))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("activityid").unwrap(),
        "5d2d3e7e-0000-0000-0000-000000000000"
    );
    assert_eq!(small.hits(), 1);

    let err = client
        .revoke_authorizations(host(), &revocation(&[1, 2, 3]))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let problems = mock.take_problems();
    assert!(
        problems[0].ends_with("does not match because it is not a batch of at most 2"),
        "{problems:#?}"
    );
    // The runtime's server underneath, for what the typed mock does not offer.
    assert_eq!(mock.server().received().len(), 2);
}
