//! With the `tracing` feature, each call is a span with OpenTelemetry's names of an HTTP
//! client's attributes (method, URL, server, status, resends, error type) and the
//! operation's id, and nothing that is recorded carries the credential.

use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use token_administration::{
    Client, Credential, RetryPolicy, models::TokenAdministrationRevocation,
};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAT: &str = "SECRET-PAT-12345";
/// base64(":SECRET-PAT-12345")
const PAT_B64: &str = "OlNFQ1JFVC1QQVQtMTIzNDU=";

/// Writes every span, field and event it is given into one text.
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nspan {}:", span.metadata().name());
        span.record(&mut Fields(&mut text));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nrecord:");
        values.record(&mut Fields(&mut text));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nevent:");
        event.record(&mut Fields(&mut text));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn spans_name_the_operation_and_attempt_and_never_the_credential() {
    let text = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture {
        text: text.clone(),
        next_id: AtomicU64::new(0),
    });
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder(Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(5),
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .build()
        .unwrap();
    let body = TokenAdministrationRevocation {
        audience: Some(vec!["org".into()]),
        authorization_ids: vec![uuid::Uuid::from_u128(1)],
    };
    client
        .revoke_authorizations(uuid::Uuid::from_u128(2), &body)
        .send()
        .await
        .expect("succeeds on the second attempt");

    let text = text.lock().unwrap().clone();
    // OpenTelemetry's names of an HTTP client's attributes, and the operation's id.
    assert!(
        text.contains("azure_devops.operation_id=\"TokenRevocations_RevokeAuthorizations\""),
        "{text}"
    );
    assert!(text.contains("http.request.method=\"POST\""), "{text}");
    assert!(text.contains("otel.kind=\"client\""), "{text}");
    assert!(
        text.contains(&format!(
            "url.full={}/_apis/tokenadministration/tokenrevocations?hostId=",
            server.uri()
        )),
        "{text}"
    );
    assert!(text.contains("server.address=\"127.0.0.1\""), "{text}");
    assert!(text.contains("server.port="), "{text}");
    assert!(text.contains("az.client_request_id=\""), "{text}");
    // One span for the call; its retry visible.
    assert_eq!(text.matches("\nspan request:").count(), 1, "{text}");
    assert!(text.contains("http.request.resend_count=1"), "{text}");
    assert!(
        text.contains("http.response.status_code=429")
            && text.contains("http.response.status_code=204"),
        "{text}"
    );
    assert!(!text.contains("error.type"), "the call succeeded: {text}");
    assert!(text.contains("retrying"), "{text}");
    assert!(!text.contains(PAT) && !text.contains(PAT_B64), "{text}");
    assert!(
        !text.contains("Basic"),
        "an Authorization header was recorded: {text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_call_records_its_error_type_and_the_service_s_activity() {
    let text = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture {
        text: text.clone(),
        next_id: AtomicU64::new(0),
    });
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("ActivityId", "0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f"),
        )
        .mount(&server)
        .await;
    let client = Client::builder(Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let body = TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(1)],
    };
    client
        .revoke_authorizations(uuid::Uuid::from_u128(2), &body)
        .send()
        .await
        .unwrap_err();
    let text = text.lock().unwrap().clone();
    assert!(text.contains("error.type=\"400\""), "{text}");
    assert!(text.contains("otel.status_code=\"ERROR\""), "{text}");
    assert!(
        text.contains("az.service_request_id=\"0f4e8d2a-1b3c-4d5e-8f70-9a1b2c3d4e5f\""),
        "{text}"
    );
    assert!(!text.contains(PAT) && !text.contains(PAT_B64), "{text}");
}
