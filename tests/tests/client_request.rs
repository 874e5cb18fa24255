//! End-to-end tests of the request the client sends: method, path, query,
//! headers, body, and client-side validation.

use std::time::Duration;

use token_administration::{
    Client, Credential, Error, RetryPolicy, models::TokenAdministrationRevocation,
};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAT: &str = "SECRET-PAT-12345";
/// base64(":SECRET-PAT-12345")
const PAT_B64: &str = "OlNFQ1JFVC1QQVQtMTIzNDU=";
const OP_PATH: &str = "/_apis/tokenadministration/tokenrevocations";

fn host_id() -> uuid::Uuid {
    uuid::Uuid::parse_str("6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b").unwrap()
}

fn auth_id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x1111_2222_3333_4444_5555_0000_0000_0000 + n)
}

fn body() -> TokenAdministrationRevocation {
    TokenAdministrationRevocation {
        audience: Some(vec!["my-org".to_owned()]),
        authorization_ids: vec![auth_id(1), auth_id(2)],
    }
}

fn client(server: &MockServer, credential: Credential) -> Client {
    Client::builder(credential)
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn assert_redacted(err: &Error) {
    let shown = format!("{err} || {err:?}");
    assert!(!shown.contains(PAT), "PAT leaked: {shown}");
    assert!(!shown.contains(PAT_B64), "encoded PAT leaked: {shown}");
}

#[tokio::test]
async fn sends_pat_request_with_expected_shape_and_accepts_204() {
    let server = MockServer::start().await;
    let expected_body = serde_json::json!({
        "audience": ["my-org"],
        "authorizationIds": [auth_id(1).to_string(), auth_id(2).to_string()],
    });
    Mock::given(method("POST"))
        .and(path(OP_PATH))
        .and(query_param("api-version", "5.0-preview.1"))
        .and(query_param("hostId", host_id().to_string()))
        .and(query_param("isPublic", "false"))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(header("authorization", format!("Basic {PAT_B64}").as_str()))
        .and(header("user-agent", token_administration::USER_AGENT))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server, Credential::pat(PAT));
    let body = body();
    let response = client
        .revoke_authorizations(host_id(), &body)
        .is_public(false)
        .send_with_response()
        .await
        .expect("204 is success");
    assert_eq!(response.status().as_u16(), 204);
    assert!(response.rate_limit().retry_after.is_none());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let mut pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    pairs.sort();
    let mut expected = vec![
        ("api-version".to_owned(), "5.0-preview.1".to_owned()),
        ("hostId".to_owned(), host_id().to_string()),
        ("isPublic".to_owned(), "false".to_owned()),
    ];
    expected.sort();
    assert_eq!(pairs, expected, "exactly these query parameters, once each");
    // Basic auth decodes to an empty user name and the PAT as password.
    assert_eq!(
        request
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        "Basic OlNFQ1JFVC1QQVQtMTIzNDU="
    );
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, expected_body);
}

#[tokio::test]
async fn bearer_token_and_is_public_omitted_and_into_future() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OP_PATH))
        .and(query_param("api-version", "5.0-preview.1"))
        .and(query_param("hostId", host_id().to_string()))
        .and(query_param_is_missing("isPublic"))
        .and(header("authorization", "Bearer eyJ0eXAi.token"))
        .and(body_json(
            serde_json::json!({"authorizationIds": [auth_id(7).to_string()]}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server, Credential::bearer("eyJ0eXAi.token"));
    let body = TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![auth_id(7)],
    };
    // Awaiting the builder directly goes through IntoFuture.
    let () = client
        .revoke_authorizations(host_id(), &body)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].url.query().unwrap().contains("isPublic"));
}

#[tokio::test]
async fn is_public_true_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(query_param("isPublic", "true"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, Credential::pat(PAT));
    client
        .revoke_authorizations(host_id(), &body())
        .is_public(true)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn base_url_path_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/my-org{OP_PATH}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    for base in [
        format!("{}/my-org", server.uri()),
        format!("{}/my-org/", server.uri()),
    ] {
        let client = Client::builder(Credential::pat(PAT))
            .base_url(&base)
            .unwrap()
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        assert_eq!(client.base_url().path().trim_end_matches('/'), "/my-org");
        // A wrong path would get wiremock's 404, an error.
        client
            .revoke_authorizations(host_id(), &body())
            .send()
            .await
            .unwrap();
    }
    for request in server.received_requests().await.unwrap() {
        assert_eq!(request.url.path(), format!("/my-org{OP_PATH}"));
    }
}

#[tokio::test]
async fn empty_authorization_ids_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server, Credential::pat(PAT));
    let body = TokenAdministrationRevocation {
        audience: None,
        authorization_ids: Vec::new(),
    };
    let err = client
        .revoke_authorizations(host_id(), &body)
        .send()
        .await
        .unwrap_err();
    assert_redacted(&err);
    match &err {
        Error::InvalidRequest(details) => {
            assert!(details.field().contains("authorizationIds"), "{details}");
            assert!(details.rule().contains("at least 1"), "{details}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(err.to_string().starts_with("invalid request: "), "{err}");
    assert!(err.to_string().contains("authorizationIds"), "{err}");
    assert_eq!(err.status(), None);
    assert!(!err.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn preview_shows_the_request_without_sending_it_or_the_secret() {
    let server = MockServer::start().await;
    let client = client(&server, Credential::pat(PAT));
    let preview = client
        .revoke_authorizations(host_id(), &body())
        .is_public(true)
        .preview()
        .expect("a valid request");
    assert_eq!(preview.method, "POST");
    assert_eq!(
        preview.url,
        format!(
            "{}{OP_PATH}?hostId={}&isPublic=true&api-version=5.0-preview.1",
            server.uri(),
            host_id()
        )
    );
    let header = |name: &str| {
        preview
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("authorization"), Some("<redacted>"));
    assert_eq!(header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(preview.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "audience": ["my-org"],
            "authorizationIds": [auth_id(1).to_string(), auth_id(2).to_string()],
        })
    );
    let shown = format!("{preview} {preview:?}");
    assert!(!shown.contains(PAT) && !shown.contains(PAT_B64), "{shown}");
    assert!(shown.starts_with("POST http://127.0.0.1:"), "{shown}");

    // The same checks as `send`.
    let empty = TokenAdministrationRevocation {
        audience: None,
        authorization_ids: Vec::new(),
    };
    let err = client
        .revoke_authorizations(host_id(), &empty)
        .preview()
        .unwrap_err();
    assert_eq!(
        err.invalid_request_details().map(|d| d.field()),
        Some("body.authorizationIds")
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
