//! End-to-end tests of `Credential::token_credential` (feature `azure-identity`): tokens from
//! an `azure_core` `TokenCredential` (here a fake, as `azure_identity`'s credentials are
//! implementations of the same trait), asked for Azure DevOps' scope, cached, asked again
//! after a `401`, and a failure that sends nothing and shows no secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::OffsetDateTime;
use token_administration::{Client, Credential, Error, RetryPolicy};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A credential that hands out `SECRET-ENTRA-1`, `-2`, ... valid for an hour, and records
/// the scopes it is asked for; or fails, when told to.
#[derive(Debug, Default)]
struct Fake {
    asked: Mutex<Vec<Vec<String>>>,
    fail: bool,
}

#[async_trait::async_trait]
impl TokenCredential for Fake {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let mut asked = self.asked.lock().unwrap();
        asked.push(scopes.iter().map(|s| (*s).to_owned()).collect());
        if self.fail {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                "no managed identity endpoint is available",
            ));
        }
        Ok(AccessToken::new(
            format!("SECRET-ENTRA-{}", asked.len()),
            OffsetDateTime::now_utc() + Duration::from_secs(3600),
        ))
    }
}

fn client(server: &MockServer, credential: Credential) -> Client {
    Client::builder(credential)
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn body() -> token_administration::models::TokenAdministrationRevocation {
    token_administration::models::TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![uuid::Uuid::from_u128(1)],
    }
}

#[tokio::test]
async fn tokens_of_an_azure_core_credential_are_asked_for_azure_devops_and_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer SECRET-ENTRA-1"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    let fake = Arc::new(Fake::default());
    let credential = Credential::token_credential(fake.clone());
    assert_eq!(format!("{credential:?}"), "Credential::TokenCredential(..)");
    let client = client(&server, credential);
    assert!(
        fake.asked.lock().unwrap().is_empty(),
        "nothing asked before a call"
    );

    // The first token is refused once: the credential is asked again, the call sent again.
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap();
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap();
    client
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap();

    let asked = fake.asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        vec![vec!["499b84ac-1321-427f-aa17-267ca6975798/.default".to_owned()]; 2],
        "one token, then one after the 401, then cached"
    );
    let authorizations: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        authorizations,
        [
            "Bearer SECRET-ENTRA-1",
            "Bearer SECRET-ENTRA-2",
            "Bearer SECRET-ENTRA-2",
            "Bearer SECRET-ENTRA-2"
        ]
    );
}

#[tokio::test]
async fn a_credential_that_fails_sends_nothing_and_says_why() {
    let server = MockServer::start().await;
    let fake = Arc::new(Fake {
        fail: true,
        ..Fake::default()
    });
    let err = client(&server, Credential::token_credential(fake))
        .revoke_authorizations(uuid::Uuid::nil(), &body())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("the Azure identity credential failed")
            && shown.contains("no managed identity endpoint is available"),
        "{shown}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
