//! Azure DevOps Server (on premises) answers at `https://HOST/tfs/COLLECTION/_apis/...`: a base
//! URL with a path, with or without a trailing slash, an encoded collection name, for
//! operations whose path starts with text, with `{organization}` (the collection, on a
//! server), or holds parameters further on; one base URL for every area of a crate.

use std::time::Duration;

use token_administration::models::TokenAdministrationRevocation;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers every request with `{"count": 0, "value": []}` and 200, or 204.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"count": 0, "value": []})),
        )
        .mount(&server)
        .await;
    server
}

async fn paths(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}

#[tokio::test]
async fn a_collection_s_base_url_prefixes_every_path() {
    let server = server().await;
    for base in [
        format!("{}/tfs/DefaultCollection", server.uri()),
        format!("{}/tfs/DefaultCollection/", server.uri()),
        format!("{}/tfs/Default%20Collection", server.uri()),
    ] {
        let client =
            token_administration::Client::builder(token_administration::Credential::pat("p"))
                .base_url(&base)
                .unwrap()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
        let body = TokenAdministrationRevocation {
            audience: None,
            authorization_ids: vec![uuid::Uuid::from_u128(1)],
        };
        client
            .revoke_authorizations(uuid::Uuid::from_u128(2), &body)
            .await
            .unwrap();
        let preview = client
            .list_personal_access_tokens("aad.X Y", &[])
            .preview()
            .unwrap();
        let expected = format!(
            "{}/_apis/tokenadministration/tokenpersonalaccesstokens/aad.X%20Y?api-version=5.0-preview.1",
            base.trim_end_matches('/')
        );
        assert_eq!(preview.url, expected);
    }
    assert_eq!(
        paths(&server).await,
        [
            "/tfs/DefaultCollection/_apis/tokenadministration/tokenrevocations",
            "/tfs/DefaultCollection/_apis/tokenadministration/tokenrevocations",
            "/tfs/Default%20Collection/_apis/tokenadministration/tokenrevocations",
        ]
    );
}

/// The 7.1 areas' paths start with `{organization}`: on a server, the base URL is the
/// server's `/tfs` and the organization is the collection. One base URL serves every area.
#[tokio::test]
async fn every_area_of_a_crate_goes_to_the_server() {
    let server = server().await;
    let client = fixture_areas::Client::builder(fixture_areas::Credential::pat("p"))
        .base_url(&format!("{}/tfs", server.uri()))
        .unwrap()
        .build()
        .unwrap();
    client
        .core_area()
        .list_projects("DefaultCollection")
        .await
        .unwrap();
    client
        .core_area()
        .get_teams("DefaultCollection", "Fabrikam Fiber")
        .await
        .unwrap();
    client
        .build()
        .list_controllers("DefaultCollection")
        .await
        .unwrap();
    let body = fixture_areas::token_administration::models::TokenAdministrationRevocation {
        audience: None,
        authorization_ids: Some(vec![uuid::Uuid::from_u128(1)]),
    };
    client
        .token_administration()
        .revoke_authorizations(uuid::Uuid::from_u128(2), &body)
        .await
        .unwrap();
    assert_eq!(
        paths(&server).await,
        [
            "/tfs/DefaultCollection/_apis/projects",
            "/tfs/DefaultCollection/_apis/projects/Fabrikam%20Fiber/teams",
            "/tfs/DefaultCollection/_apis/build/controllers",
            "/tfs/_apis/tokenadministration/tokenrevocations",
        ]
    );
}
