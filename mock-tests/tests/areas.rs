//! The mock of a crate of several areas (`tests/fixtures/areas`, features `mock` and every
//! area's): one server for every area whose feature is on, its operations under the area's
//! method as the client's are, one client for all of them; the spec's examples of an area as
//! answers.

use fixture_areas::build::models::BuildController;
use fixture_areas::mock::MockServer;

#[tokio::test]
async fn one_mock_serves_every_area_through_one_client() {
    let mock = MockServer::start().await;
    mock.core_area()
        .list_projects()
        .organization("fabrikam")
        .expect(1)
        .respond_with_example("GET__projects");
    let controllers = vec![BuildController {
        id: Some(7),
        name: Some("default".into()),
        ..BuildController::default()
    }];
    mock.build()
        .list_controllers()
        .organization("fabrikam")
        .expect(1)
        .respond_with(&controllers);
    let client = mock.client();

    let projects = client.core_area().list_projects("fabrikam").await.unwrap();
    let names: Vec<&str> = projects.iter().filter_map(|p| p.name.as_deref()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"Fabrikam-Fiber-TFVC"), "{names:?}");

    let got = client.build().list_controllers("fabrikam").await.unwrap();
    assert_eq!(got, controllers);
    // Each area's request on the area's path, under the organization.
    let answered = &mock.received()[1];
    assert_eq!(answered.path, "/fabrikam/_apis/build/controllers");
}

/// A request checked against its own area's spec: the api-version of the area.
#[tokio::test]
async fn a_request_is_checked_against_its_area_s_spec() {
    let mock = MockServer::start().await;
    let status = reqwest::Client::new()
        .get(format!(
            "{}/fabrikam/_apis/build/controllers?api-version=5.0-preview.1",
            mock.url()
        ))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 400);
    let problems = mock.take_problems();
    assert!(
        problems[0]
            .contains("the query parameter `api-version` must be `7.1`, not `5.0-preview.1`"),
        "{problems:#?}"
    );
}
