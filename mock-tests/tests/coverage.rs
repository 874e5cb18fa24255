//! The mock of the coverage fixture's client (`tests/fixtures/coverage.yaml`, feature
//! `mock`): matchers of every kind of parameter (path, query, header; scalars, enums,
//! lists), answers of every kind of body (JSON, text, bytes, a response enum, an example of
//! the spec), paging by header, streamed uploads and downloads, and the checks of values
//! the spec refuses.

use bytes::Bytes;
use fixture_coverage::mock::MockServer;
use fixture_coverage::models::{Created, ListThingsOrder, Thing, ThingList, ThingState};
use fixture_coverage::{UploadBody, UpsertThingsResponse};
use futures::StreamExt;
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn thing(n: u128) -> Thing {
    Thing {
        id: id(n),
        name: format!("thing {n}"),
        count: 1,
        ..Thing::default()
    }
}

/// Every kind of query parameter, matched by the value the caller gives the client.
#[tokio::test]
async fn query_parameters_of_every_kind_match_by_their_typed_values() {
    let mock = MockServer::start().await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-01T10:00:00.5Z")
        .unwrap()
        .to_utc();
    let on = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let list = ThingList {
        count: Some(2),
        value: Some(vec![thing(1), thing(2)]),
    };
    mock.list_things()
        .name("a b &c=d")
        .top(5)
        .skip(9_000_000_000)
        .min_score(0.25)
        .ratio(1.5)
        .include_deleted(true)
        .owner_id(id(9))
        .since(since)
        .on(on)
        .state(ThingState::InProgress)
        .order(ListThingsOrder::Desc)
        .ids(vec![id(1), id(2)])
        .tags(vec!["x".into(), "y z".into()])
        .states(vec![ThingState::Active, ThingState::Done])
        .r#type("kind")
        .r#async(false)
        .expect(1)
        .respond_with(&list);

    let got = mock
        .client()
        .list_things("a b &c=d")
        .top(5)
        .skip(9_000_000_000)
        .min_score(0.25)
        .ratio(1.5)
        .include_deleted(true)
        .owner_id(id(9))
        .since(since)
        .on(on)
        .state(ThingState::InProgress)
        .order(ListThingsOrder::Desc)
        .ids(vec![id(1), id(2)])
        .tags(vec!["x".into(), "y z".into()])
        .states(vec![ThingState::Active, ThingState::Done])
        .r#type("kind")
        .r#async(false)
        .await
        .unwrap();

    assert_eq!(got, list);
}

/// Path parameters anywhere in the path (percent-encoded on the wire, matched as given) and
/// headers; the answer is one of the spec's examples.
#[tokio::test]
async fn path_parameters_and_headers_match_and_an_example_answers() {
    let mock = MockServer::start().await;
    mock.get_item()
        .organization("a/b c é?")
        .thing_id(id(1))
        .version(42)
        .x_request_id("req 1/x")
        .x_max_age(60)
        .expect(1)
        .respond_with_example("Two");

    let got = mock
        .client()
        .get_item("a/b c é?", id(1), 42, "req 1/x")
        .x_max_age(60)
        .await
        .unwrap();

    assert_eq!(got.name, "second");
    assert_eq!(got.state, Some(ThingState::InProgress));
}

/// An example the operation does not have is a mistake of the test, said at once.
#[tokio::test]
#[should_panic(expected = "`Things_Get Item` has no example \"Three\" (its examples: [\"Two\"])")]
async fn an_example_the_spec_does_not_have_is_refused() {
    let mock = MockServer::start().await;
    mock.get_item().respond_with_example("Three");
}

/// A typed answer of each success status of an operation that has several.
#[tokio::test]
async fn each_variant_of_a_response_enum_is_answered_with_its_status() {
    let mock = MockServer::start().await;
    let answers = [
        UpsertThingsResponse::Status200(thing(200)),
        UpsertThingsResponse::Status201(Created {
            location: "/things/201".into(),
        }),
        UpsertThingsResponse::Status204,
    ];
    for (i, answer) in answers.iter().enumerate() {
        mock.upsert_things()
            .thing_id(id(i as u128))
            .body(&thing(7))
            .respond_with(answer);
    }
    let client = mock.client();
    for (i, answer) in answers.iter().enumerate() {
        let got = client
            .upsert_things(id(i as u128), &thing(7))
            .await
            .unwrap();
        assert_eq!(&got, answer);
    }
}

/// A text body, matched as text.
#[tokio::test]
async fn a_text_body_matches_as_text() {
    let mock = MockServer::start().await;
    let set = mock.set_notes().body("line 1\nline 2").expect(1).respond();

    mock.client().set_notes("line 1\nline 2").await.unwrap();

    assert_eq!(set.hits(), 1);
    assert_eq!(mock.received()[0].body, "line 1\nline 2".as_bytes());
}

/// A streamed upload arrives whole and matches byte for byte; a download is read as a
/// stream.
#[tokio::test]
async fn streamed_uploads_and_downloads_go_through_the_mock() {
    const LEN: usize = 1 << 20;
    let content: Vec<u8> = (0..LEN).map(|i| (i % 251) as u8).collect();
    let mock = MockServer::start().await;
    mock.upload_files()
        .name("big.bin")
        .body(&content)
        .expect(1)
        .respond_with(&"stored".to_owned());
    mock.download_files()
        .name("big.bin")
        .respond_with(&Bytes::from(content.clone()));
    let client = mock.client();

    let chunks = content
        .chunks(64 * 1024)
        .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
        .collect::<Vec<_>>();
    let stored = client
        .upload_files("big.bin", UploadBody::stream(futures::stream::iter(chunks)))
        .await
        .unwrap();
    assert_eq!(stored, "stored");
    assert_eq!(
        mock.received()[0].header("transfer-encoding"),
        Some("chunked")
    );

    let mut download = client
        .download_files("big.bin")
        .send_streamed()
        .await
        .unwrap();
    assert_eq!(download.content_type(), Some("application/zip"));
    let mut read = Vec::new();
    while let Some(chunk) = download.next().await {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert!(read == content, "the download arrived changed");
}

/// Pages named by the `x-ms-continuationtoken` header: the mock answers with the header.
#[tokio::test]
async fn pages_named_by_a_header_are_answered_with_it() {
    let mock = MockServer::start().await;
    mock.list_paged()
        .continuation_token("t2")
        .expect(1)
        .respond_with(&vec![thing(3)]);
    mock.list_paged()
        .with_header("x-ms-continuationtoken", "t2")
        .expect(1)
        .respond_with(&vec![thing(1), thing(2)]);

    let names: Vec<String> = mock
        .client()
        .list_paged()
        .items()
        .map(|t| t.unwrap().name)
        .collect()
        .await;

    assert_eq!(names, ["thing 1", "thing 2", "thing 3"]);
}

/// Values of the wrong form, an enum value the spec does not list, a missing required
/// header: each reported, all at once for one request.
#[tokio::test]
async fn values_the_spec_refuses_are_reported() {
    let mock = MockServer::start().await;
    let http = reqwest::Client::new();

    let status = http
        .get(format!(
            "{}/_apis/things?name=n&%24top=five&state=archived&states=active,done&since=yesterday&api-version=7.1-preview.3",
            mock.url()
        ))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 400);
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    for breach in [
        "the query parameter `$top` must be an integer, not `five`",
        "the query parameter `state` must be one of `active`, `in-progress`, `DONE`, not `archived`",
        "the query parameter `since` must be a date-time (RFC 3339), not `yesterday`",
    ] {
        assert!(
            problems[0].contains(breach),
            "{}\nwanted: {breach}",
            problems[0]
        );
    }
    // Flags enums: several values joined by commas, in any letter case.
    assert!(!problems[0].contains("`states`"), "{}", problems[0]);

    let status = http
        .get(format!(
            "{}/org/_apis/things/{}/items/v1.json",
            mock.url(),
            id(1)
        ))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 400);
    let problems = mock.take_problems();
    assert!(
        problems[0].contains("the required header `X-Request-Id` is missing"),
        "{problems:#?}"
    );
}

/// An operation named like a method of the mock server, and parameters named like methods of
/// its builders: the mock's method and matchers take a suffix, the client's keep their names.
#[tokio::test]
async fn names_the_mock_has_itself_take_a_suffix() {
    let mock = MockServer::start().await;
    let verified = mock
        .verify_operation()
        .expect_param(true)
        .delay_param(3)
        .expect(1)
        .respond();

    mock.client().verify(true).delay(3).await.unwrap();

    assert_eq!(verified.hits(), 1);
}
