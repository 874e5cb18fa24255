//! End-to-end tests of client configuration: base URL checks, secret
//! redaction in `Debug`, credentials.

use std::time::Duration;

use token_administration::{Client, Credential, Error, RetryPolicy};

const PAT: &str = "SECRET-PAT-12345";
/// base64(":SECRET-PAT-12345")
const PAT_B64: &str = "OlNFQ1JFVC1QQVQtMTIzNDU=";

fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(PAT), "PAT leaked: {shown}");
    assert!(!shown.contains(PAT_B64), "encoded PAT leaked: {shown}");
    assert!(!shown.contains("SECRET"), "secret leaked: {shown}");
}

#[test]
fn debug_output_never_shows_the_secret() {
    let pat = Credential::pat(PAT);
    assert_eq!(format!("{pat:?}"), "Credential::Pat(<redacted>)");
    assert!(pat.is_pat());
    let bearer = Credential::bearer("SECRET-BEARER-999");
    assert_eq!(format!("{bearer:?}"), "Credential::Bearer(<redacted>)");
    assert!(!bearer.is_pat());

    let builder = Client::builder(pat.clone())
        .base_url("https://dev.azure.com/my-org")
        .unwrap()
        .timeout(Duration::from_secs(3));
    let shown = format!("{builder:?}");
    assert_no_secret(&shown);
    assert!(shown.contains("dev.azure.com/my-org"), "{shown}");

    let client = builder.build().unwrap();
    let shown = format!("{client:?} {:#?}", client.clone());
    assert_no_secret(&shown);
    assert!(shown.contains("<redacted>"), "{shown}");
    assert_eq!(client.base_url().as_str(), "https://dev.azure.com/my-org");

    let client = Client::builder(bearer).build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("SECRET-BEARER-999"), "{shown}");
    assert_eq!(
        client.base_url().as_str().trim_end_matches('/'),
        token_administration::DEFAULT_BASE_URL
    );
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
}

#[test]
fn plain_http_to_a_remote_host_is_refused_unless_opted_in() {
    let refused = Client::builder(Credential::pat(PAT))
        .base_url("http://dev.azure.com")
        .and_then(|b| b.build())
        .unwrap_err();
    assert_no_secret(&format!("{refused} {refused:?}"));
    assert!(matches!(refused, Error::Config { .. }), "{refused:?}");
    let message = refused.to_string();
    assert!(message.contains("http"), "{message}");
    assert!(message.contains("allow_insecure_http"), "{message}");

    // Opting in works in either order.
    Client::builder(Credential::pat(PAT))
        .allow_insecure_http(true)
        .base_url("http://dev.azure.com")
        .unwrap()
        .build()
        .unwrap();
    Client::builder(Credential::pat(PAT))
        .base_url("http://10.1.2.3:8080/org")
        .unwrap()
        .allow_insecure_http(true)
        .build()
        .unwrap();

    // Loopback needs no opt-in.
    for base in [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9000/org",
    ] {
        Client::builder(Credential::pat(PAT))
            .base_url(base)
            .unwrap()
            .build()
            .unwrap_or_else(|e| panic!("{base}: {e}"));
    }
}

#[test]
fn bad_base_urls_are_refused() {
    for base in [
        "ftp://dev.azure.com",
        "not a url",
        "https://user:SECRET-PAT-12345@dev.azure.com",
        "https://dev.azure.com/?api-version=1",
    ] {
        let err = Client::builder(Credential::pat(PAT))
            .base_url(base)
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{base}: {err:?}");
        assert_no_secret(&format!("{err} {err:?}"));
    }
}

#[test]
fn unusable_credentials_are_refused_at_build() {
    let err = Client::builder(Credential::pat("")).build().unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    assert!(err.to_string().contains("empty"), "{err}");

    // A PAT is base64-encoded, but a bearer token goes into the header as is.
    let err = Client::builder(Credential::bearer("SECRET\r\nX-Injected: 1"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    assert_no_secret(&format!("{err} {err:?}"));
}

#[test]
fn public_types_are_thread_safe() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Credential>();
    assert_send_sync::<Error>();
    assert_send_sync::<token_administration::ApiResponse<()>>();
    assert_send_sync::<token_administration::RateLimit>();
    assert_send_sync::<token_administration::ClientBuilder>();
    // Errors fit into the usual boxed-error plumbing.
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        Box::new(Client::builder(Credential::pat("")).build().unwrap_err());
    assert!(!boxed.to_string().is_empty());
}

/// A request builder's `Debug` shows the operation and the request it would send, not the
/// credential; an invalid one says why.
#[test]
fn a_request_builder_shows_its_request_and_never_the_secret() {
    let client = Client::builder(Credential::pat(PAT)).build().unwrap();
    let host = uuid::Uuid::from_u128(7);
    let body = token_administration::models::TokenAdministrationRevocation {
        authorization_ids: vec![uuid::Uuid::from_u128(9)],
        audience: None,
    };
    let builder = client.revoke_authorizations(host, &body).is_public(false);
    let shown = format!("{builder:?}");
    assert_no_secret(&shown);
    for part in [
        "operation: \"TokenRevocations_RevokeAuthorizations\"",
        "method: POST",
        "path: \"/_apis/tokenadministration/tokenrevocations\"",
        "query: \"hostId=00000000-0000-0000-0000-000000000007&isPublic=false&api-version=5.0-preview.1\"",
        "00000000-0000-0000-0000-000000000009",
    ] {
        assert!(shown.contains(part), "{part} not in {shown}");
    }
    let empty = token_administration::models::TokenAdministrationRevocation::default();
    let shown = format!("{:?}", client.revoke_authorizations(host, &empty));
    assert!(
        shown.contains("invalid") && shown.contains("authorizationIds"),
        "{shown}"
    );
}
