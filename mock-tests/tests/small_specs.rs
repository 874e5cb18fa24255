//! The mocks of the smallest specs: one without models, one without operations.

/// A spec of two operations and no models.
#[tokio::test]
async fn a_spec_without_models_mocks_its_operations() {
    let mock = fixture_minimal::mock::MockServer::start().await;
    mock.get_echo()
        .text("hi")
        .expect(1)
        .respond_with(&"hi".to_owned());
    mock.delete_items().id(7).expect(1).respond();
    let client = mock.client();

    assert_eq!(client.get_echo().text("hi").await.unwrap(), "hi");
    client.delete_items(7).await.unwrap();
}

/// A spec without operations: its mock refuses every request as no operation of the spec.
#[tokio::test]
async fn a_spec_without_operations_refuses_every_request() {
    let mock = fixture_models_only::mock::MockServer::start().await;
    let status = reqwest::Client::new()
        .get(format!("{}/_apis/anything", mock.url()))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 400);
    assert_eq!(
        mock.take_problems(),
        ["a request the spec forbids: GET /_apis/anything is no operation of the spec"]
    );
}
