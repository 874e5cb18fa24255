//! One client for several areas: the crate of areas generated from the specs of
//! `tests/fixtures/areas/` (`fixture_areas`: build, core and token administration, one
//! module and one cargo feature each) against local servers. Its areas share one
//! credential (one token, refreshed once for all), one throttle (Azure DevOps limits a user,
//! not an area) and one retry policy; each has its own base URL when one is set for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use fixture_areas::{AccessToken, Client, Credential, Error, RetryPolicy, build, core_area};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A page of builds whose project is build's `TeamProjectReference`.
fn builds_page() -> serde_json::Value {
    serde_json::json!({
        "count": 1,
        "value": [{"id": 7, "project": {"name": "Fabrikam", "visibility": "private"}}]
    })
}

/// A page of projects, core's `TeamProjectReference`s.
fn projects_page() -> serde_json::Value {
    serde_json::json!({
        "count": 1,
        "value": [{"name": "Fabrikam", "state": "wellFormed", "revision": 3}]
    })
}

/// A token provider that hands out `t1`, `t2`, ... (valid for an hour) and counts its
/// calls.
fn counting_provider() -> (Credential, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let credential = Credential::token_provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            Ok::<_, std::io::Error>(AccessToken::new(
                format!("t{n}"),
                SystemTime::now() + Duration::from_secs(3600),
            ))
        }
    });
    (credential, fetches)
}

/// The `Authorization` header of each request the server received on `at`, in order.
async fn tokens_sent(server: &MockServer, at: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r: &&Request| r.url.path() == at)
        .map(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn one_token_serves_every_area_and_one_refresh_after_a_401_serves_both() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/org/proj/_apis/build/builds"))
        .respond_with(ResponseTemplate::new(200).set_body_json(builds_page()))
        .mount(&server)
        .await;
    // Core rejects the first token, as the service does with one revoked early.
    Mock::given(method("GET"))
        .and(path("/org/_apis/projects"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/org/_apis/projects"))
        .and(header("authorization", "Bearer t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(projects_page()))
        .mount(&server)
        .await;
    let (credential, fetches) = counting_provider();
    let client = Client::builder(credential)
        .base_url(&server.uri())
        .unwrap()
        .build()
        .unwrap();

    let builds = client.build().list_builds("org", "proj").await.unwrap();
    let project: &build::models::TeamProjectReference = builds[0].project.as_ref().unwrap();
    assert_eq!(project.name.as_deref(), Some("Fabrikam"));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);

    // The other area's request goes with the same token, is rejected, and the client
    // fetches a new one once and sends again.
    let projects = client.core_area().list_projects("org").await.unwrap();
    let project: &core_area::models::TeamProjectReference = &projects[0];
    assert_eq!(project.revision, Some(3));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);

    // The first area now goes with the renewed token, without a fetch of its own.
    client.build().list_builds("org", "proj").await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(
        tokens_sent(&server, "/org/proj/_apis/build/builds").await,
        ["Bearer t1", "Bearer t2"]
    );
    assert_eq!(
        tokens_sent(&server, "/org/_apis/projects").await,
        ["Bearer t1", "Bearer t2"]
    );
}

#[tokio::test]
async fn a_429_on_one_area_holds_back_the_next_request_to_the_other() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/org/_apis/projects"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/org/proj/_apis/build/builds"))
        .respond_with(ResponseTemplate::new(200).set_body_json(builds_page()))
        .mount(&server)
        .await;
    // One attempt each: the throttled request fails at once, and only the throttle it
    // reported can make the other area's request wait.
    let policy = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    let client = Client::builder(Credential::pat("p"))
        .base_url(&server.uri())
        .unwrap()
        .retry(policy)
        .build()
        .unwrap();

    let error = client.core_area().list_projects("org").await.unwrap_err();
    assert!(
        matches!(&error, Error::Http { status, .. } if status.as_u16() == 429),
        "{error:?}"
    );
    let start = Instant::now();
    client.build().list_builds("org", "proj").await.unwrap();
    let held = start.elapsed();
    assert!(
        held >= Duration::from_millis(900),
        "the build request went after {held:?}, inside core's Retry-After"
    );
    assert!(held < Duration::from_secs(5), "{held:?}");

    // A client of its own is not held back: the wait came from the shared throttle.
    let other = Client::builder(Credential::pat("p"))
        .base_url(&server.uri())
        .unwrap()
        .retry(policy)
        .build()
        .unwrap();
    let start = Instant::now();
    other.build().list_builds("org", "proj").await.unwrap();
    assert!(start.elapsed() < Duration::from_millis(900));
}

#[tokio::test]
async fn an_area_goes_to_the_base_url_set_for_it_and_the_others_to_the_one_for_all() {
    let (for_all, for_core) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .and(path("/org/proj/_apis/build/builds"))
        .respond_with(ResponseTemplate::new(200).set_body_json(builds_page()))
        .expect(1)
        .mount(&for_all)
        .await;
    Mock::given(method("GET"))
        .and(path("/org/_apis/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(projects_page()))
        .expect(1)
        .mount(&for_core)
        .await;
    // Set in either order, the area's own base URL wins.
    let client = Client::builder(Credential::pat("p"))
        .area_base_url(&core_area::AREA, &for_core.uri())
        .unwrap()
        .base_url(&for_all.uri())
        .unwrap()
        .build()
        .unwrap();
    client.build().list_builds("org", "proj").await.unwrap();
    client.core_area().list_projects("org").await.unwrap();
    assert_eq!(
        client.base_url_of(&core_area::AREA).as_str(),
        format!("{}/", for_core.uri())
    );
    assert_eq!(
        client.base_url_of(&build::AREA).as_str(),
        format!("{}/", for_all.uri())
    );
    assert_eq!(core_area::AREA.name(), "core_area");
    assert_eq!(build::AREA.default_base_url(), "https://dev.azure.com");
}

#[test]
fn by_default_every_area_goes_to_its_spec_s_server() {
    let client = Client::new(Credential::pat("p")).unwrap();
    for area in [
        build::AREA,
        core_area::AREA,
        fixture_areas::token_administration::AREA,
    ] {
        assert_eq!(
            client.base_url_of(&area).as_str(),
            format!("{}/", area.default_base_url())
        );
    }
    assert_eq!(fixture_areas::USER_AGENT, "fixture-areas/0.1.0");
}
