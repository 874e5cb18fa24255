//! With the `tracing` feature, each attempt is a span with the operation id, method, attempt
//! and status, and nothing that is recorded carries the credential.

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
    assert!(
        text.contains("operation_id=\"TokenRevocations_RevokeAuthorizations\""),
        "{text}"
    );
    assert!(text.contains("method=POST"), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(
        text.contains("status=429") && text.contains("status=204"),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert!(!text.contains(PAT) && !text.contains(PAT_B64), "{text}");
    assert!(
        !text.contains("Basic"),
        "an Authorization header was recorded: {text}"
    );
}
