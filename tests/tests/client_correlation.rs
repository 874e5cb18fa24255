//! End-to-end tests of what ties a request to the service's logs and of the options of one
//! call: `X-TFS-Session` (one per client, or set), `X-VSS-E2EID` (one per call, the same on
//! its retries, or set), the `ActivityId` kept by errors and responses; a call's own
//! timeout and headers, and the headers a call may not set.

use std::time::Duration;

use token_administration::{
    Client, ClientBuilder, Credential, Error, RetryPolicy, models::TokenAdministrationRevocation,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const OP_PATH: &str = "/_apis/tokenadministration/tokenrevocations";
const ACTIVITY: &str = "0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f";

fn host_id() -> uuid::Uuid {
    uuid::Uuid::from_u128(7)
}

fn body() -> TokenAdministrationRevocation {
    TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(1)],
    }
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder(Credential::pat("SECRET-PAT"))
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(5),
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OP_PATH))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

fn is_uuid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok_and(|u| u.hyphenated().to_string() == text)
}

#[tokio::test]
async fn every_call_carries_the_client_s_session_and_an_id_of_its_own_kept_on_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OP_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(OP_PATH))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let other = builder(&server).build().unwrap();
    client
        .revoke_authorizations(host_id(), &body())
        .await
        .unwrap();
    client
        .revoke_authorizations(host_id(), &body())
        .await
        .unwrap();
    other
        .revoke_authorizations(host_id(), &body())
        .await
        .unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 4, "the first call was retried once");
    let sessions: Vec<&str> = received
        .iter()
        .map(|r| header(r, "x-tfs-session"))
        .collect();
    let ids: Vec<&str> = received.iter().map(|r| header(r, "x-vss-e2eid")).collect();
    assert!(
        sessions.iter().chain(&ids).all(|v| is_uuid(v)),
        "{sessions:?} {ids:?}"
    );
    assert_eq!(sessions[0], sessions[1]);
    assert_eq!(sessions[1], sessions[2], "one session per client");
    assert_ne!(sessions[2], sessions[3], "another client, another session");
    assert_eq!(ids[0], ids[1], "a retry keeps the call's id");
    assert_ne!(ids[1], ids[2], "each call has its own id");
    assert_ne!(ids[2], ids[3]);
}

#[tokio::test]
async fn the_caller_sets_the_session_and_a_call_s_id() {
    let server = answering(ResponseTemplate::new(204)).await;
    let client = builder(&server)
        .session_id("nightly-offboarding-2026-12-06")
        .build()
        .unwrap();
    client
        .revoke_authorizations(host_id(), &body())
        .request_id("ticket-4711")
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        header(&received[0], "x-tfs-session"),
        "nightly-offboarding-2026-12-06"
    );
    assert_eq!(header(&received[0], "x-vss-e2eid"), "ticket-4711");

    let err = builder(&server).session_id("bad\nid").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = client
        .revoke_authorizations(host_id(), &body())
        .request_id("bad\u{7}id")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_keeps_the_service_s_activity_id_and_names_it() {
    let server = answering(
        ResponseTemplate::new(400)
            .insert_header("ActivityId", ACTIVITY)
            .insert_header("X-TFS-Session", "echoed-session")
            .insert_header("X-VSS-E2EID", "echoed-id")
            .set_body_raw(
                r#"{"message":"TF400898: An Internal Error Occurred.","typeKey":"X"}"#,
                "application/json",
            ),
    )
    .await;
    let client = builder(&server).build().unwrap();
    let err = client
        .revoke_authorizations(host_id(), &body())
        .await
        .unwrap_err();
    let ids = err.correlation().unwrap();
    assert_eq!(ids.activity_id.as_deref(), Some(ACTIVITY));
    assert_eq!(ids.session_id.as_deref(), Some("echoed-session"));
    assert_eq!(ids.request_id.as_deref(), Some("echoed-id"));
    let shown = err.to_string();
    assert!(
        shown.ends_with(&format!("(activity id {ACTIVITY})")),
        "{shown}"
    );
    assert!(shown.contains("TF400898"), "{shown}");
}

#[tokio::test]
async fn without_the_service_s_ids_an_error_keeps_those_it_was_sent_with() {
    let server = answering(ResponseTemplate::new(500)).await;
    let client = builder(&server).session_id("s-1").build().unwrap();
    let err = client
        .revoke_authorizations(host_id(), &body())
        .request_id("r-1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RetriesExhausted { .. }), "{err:?}");
    let ids = err.correlation().unwrap();
    assert_eq!(ids.activity_id, None);
    assert_eq!(ids.session_id.as_deref(), Some("s-1"));
    assert_eq!(ids.request_id.as_deref(), Some("r-1"));
    assert_eq!(ids.to_string(), "request id r-1, session s-1");
    assert!(!err.to_string().contains("activity id"), "{err}");

    // No response at all: the ids it was sent with.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(Credential::pat("SECRET-PAT"))
        .base_url(&closed)
        .unwrap()
        .retry(RetryPolicy::none())
        .session_id("s-2")
        .build()
        .unwrap();
    let err = client
        .revoke_authorizations(host_id(), &body())
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    let ids = err.correlation().unwrap();
    assert_eq!(ids.session_id.as_deref(), Some("s-2"));
    assert!(ids.request_id.as_deref().is_some_and(is_uuid), "{ids:?}");
}

#[tokio::test]
async fn a_response_keeps_the_ids_too() {
    let server = answering(ResponseTemplate::new(204).insert_header("ActivityId", ACTIVITY)).await;
    let client = builder(&server).session_id("s-3").build().unwrap();
    let response = client
        .revoke_authorizations(host_id(), &body())
        .request_id("r-3")
        .send_with_response()
        .await
        .unwrap();
    let ids = response.correlation();
    assert_eq!(ids.activity_id.as_deref(), Some(ACTIVITY));
    assert_eq!(ids.session_id.as_deref(), Some("s-3"));
    assert_eq!(ids.request_id.as_deref(), Some("r-3"));
}

#[tokio::test]
async fn a_call_s_own_timeout_replaces_the_client_s() {
    let server = answering(ResponseTemplate::new(204).set_delay(Duration::from_millis(800))).await;
    let client = builder(&server)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client
        .revoke_authorizations(host_id(), &body())
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    // The client's own, for the calls without one.
    client
        .revoke_authorizations(host_id(), &body())
        .await
        .unwrap();
    // A client with a short timeout, and a call that needs longer.
    let short = builder(&server)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    short
        .revoke_authorizations(host_id(), &body())
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();
    let err = short
        .revoke_authorizations(host_id(), &body())
        .timeout(Duration::ZERO)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn a_call_sends_the_caller_s_headers_but_none_the_client_owns() {
    let server = answering(ResponseTemplate::new(204)).await;
    let client = builder(&server).build().unwrap();
    client
        .revoke_authorizations(host_id(), &body())
        .header("X-Incident", "INC-1234")
        .header("X-Incident", "INC-1235")
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let incidents: Vec<&str> = received[0]
        .headers
        .get_all("x-incident")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(incidents, ["INC-1234", "INC-1235"]);

    for owned in [
        "Authorization",
        "accept",
        "Content-Type",
        "X-VSS-E2EID",
        "x-tfs-session",
        "X-TFS-FedAuthRedirect",
        "Content-Length",
        "Host",
    ] {
        let err = client
            .revoke_authorizations(host_id(), &body())
            .header(owned, "x")
            .await
            .unwrap_err();
        let details = err.invalid_request_details().unwrap();
        assert_eq!(details.field(), owned);
        assert!(details.rule().contains("sets itself"), "{err}");
    }
    for (name, value) in [("bad name", "x"), ("X-Ok", "line\nbreak")] {
        let err = client
            .revoke_authorizations(host_id(), &body())
            .header(name, value)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "nothing else sent"
    );
    // The preview shows the caller's header, and no secret.
    let preview = client
        .revoke_authorizations(host_id(), &body())
        .header("X-Incident", "INC-9")
        .preview()
        .unwrap();
    assert!(
        preview
            .headers
            .contains(&("x-incident".to_owned(), "INC-9".to_owned())),
        "{preview}"
    );
    assert!(!preview.to_string().contains("SECRET-PAT"), "{preview}");
}
