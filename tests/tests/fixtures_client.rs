//! End-to-end tests of the crates generated from `tests/fixtures/*.yaml`, against wiremock
//! servers on 127.0.0.1: what each OpenAPI feature turns into on the wire.
// `fixture-deep`'s models nest 150 levels: a crate that sends its requests checks them for
// `Send` that deep, past rustc's default limit, as its generated crate does (docs/client.md).
#![recursion_limit = "512"]

use std::collections::BTreeMap;
use std::time::Duration;

use fixture_coverage::models::{
    Awkward, ExtendedThing, Folder, InheritedThing, ListThingsOrder, Thing, ThingColor, ThingPhase,
    ThingState, TreeNode, UpdateThingsBody,
};
use fixture_coverage::{EchoFoldersResponse, UpsertThingsResponse};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PAT: &str = "fixture-pat";

fn coverage(server: &MockServer) -> fixture_coverage::Client {
    fixture_coverage::Client::builder(fixture_coverage::Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(fixture_coverage::RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn neighbours(server: &MockServer) -> fixture_neighbours::Client {
    fixture_neighbours::Client::builder(fixture_neighbours::Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(fixture_neighbours::RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn minimal(server: &MockServer) -> fixture_minimal::Client {
    fixture_minimal::Client::builder(fixture_minimal::Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(fixture_minimal::RetryPolicy::none())
        .build()
        .unwrap()
}

fn id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0xabcd_0000_0000_4000_8000_0000_0000_0000 + n)
}

/// Matches the raw (still percent-encoded) path of the request.
fn raw_path(expected: String) -> impl Fn(&Request) -> bool {
    move |r: &Request| r.url.path() == expected
}

/// The query pairs of a request, decoded, in order.
fn pairs(r: &Request) -> Vec<(String, String)> {
    r.url.query_pairs().into_owned().collect()
}

fn thing(n: u128) -> Thing {
    Thing {
        id: id(n),
        name: format!("thing {n}"),
        count: 1,
        ..Thing::default()
    }
}

fn thing_json(n: u128) -> serde_json::Value {
    serde_json::json!({"id": id(n), "name": format!("thing {n}"), "count": 1})
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_in_any_position_and_headers_are_sent() {
    let server = MockServer::start().await;
    let expected = format!(
        "/a%2Fb%20c%20%C3%A9%3F/_apis/things/{}/items/v42.json",
        id(1)
    );
    Mock::given(method("GET"))
        .and(raw_path(expected))
        .and(header("x-request-id", "req 1/x"))
        .and(header("x-max-age", "60"))
        .and(header("x-api-flavor", "plain v1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(1)))
        .expect(1)
        .mount(&server)
        .await;
    let got = coverage(&server)
        .get_item("a/b c é?", id(1), 42, "req 1/x")
        .x_max_age(60)
        .await
        .expect("200");
    assert_eq!(got, thing(1));
    // Without the optional header, it is not sent at all.
    let headers = received(&server).await[0].headers.clone();
    assert_eq!(headers.get("x-max-age").unwrap(), "60");
}

/// A header parameter the call sends is set with its setter, never with `.header()`.
#[tokio::test]
async fn a_header_parameter_of_the_call_cannot_be_set_again_as_an_extra_header() {
    let server = MockServer::start().await;
    let err = coverage(&server)
        .get_item("org", id(1), 1, "req-1")
        .header("x-request-id", "req-2")
        .await
        .unwrap_err();
    let details = err.invalid_request_details().unwrap();
    assert_eq!(details.field(), "x-request-id");
    assert!(details.rule().contains("header parameter"), "{err}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_path_parameter_that_is_a_whole_segment_must_be_one() {
    let server = MockServer::start().await;
    let client = coverage(&server);
    for bad in ["", ".", ".."] {
        let err = client
            .get_item(bad, id(1), 1, "r")
            .await
            .expect_err("rejected before sending");
        let shown = err.to_string();
        assert!(shown.contains("organization"), "{shown}");
        assert!(shown.contains("path segment"), "{shown}");
    }
    let err = client
        .trees_echo("..", &TreeNode::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("root"), "{err}");
    assert!(received(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn query_parameters_of_every_type_and_arrays_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "count": 2,
            "value": [
                {"id": id(1), "name": "a", "count": 1, "state": "archived", "color": "blue",
                 "createdAt": "2024-05-06T07:08:09.5+02:00", "birthday": "2000-02-29"},
                {"id": id(2), "name": "b", "count": 2, "state": "in-progress", "color": "red"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let list = coverage(&server)
        .list_things("a b &c=d")
        .top(5)
        .skip(9_000_000_000)
        .min_score(0.25)
        .ratio(1.5)
        .include_deleted(true)
        .owner_id(id(9))
        .since(since)
        .on(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        .state(ThingState::InProgress)
        .order(ListThingsOrder::Desc)
        .ids(vec![id(1), id(2)])
        .tags(vec!["x".into(), "y z".into()])
        .states(vec![ThingState::Active, ThingState::Done])
        .r#type("kind")
        .r#async(false)
        .await
        .expect("200");

    let requests = received(&server).await;
    let p = pairs(&requests[0]);
    let s = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        p,
        [
            s("name", "a b &c=d"),
            s("$top", "5"),
            s("$skip", "9000000000"),
            s("minScore", "0.25"),
            s("ratio", "1.5"),
            s("includeDeleted", "true"),
            s("ownerId", &id(9).to_string()),
            s("since", "2024-01-02T03:04:05Z"),
            s("on", "2024-02-29"),
            s("state", "in-progress"),
            s("order", "desc"),
            s("ids", &id(1).to_string()),
            s("ids", &id(2).to_string()),
            s("tags", "x"),
            s("tags", "y z"),
            s("states", "active"),
            s("states", "DONE"),
            s("type", "kind"),
            s("async", "false"),
            s("api-version", "7.1-preview.3"),
        ]
    );

    // Enum values the spec does not list still deserialize, into the catch-all variant.
    let value = list.value.expect("value");
    assert_eq!(value[0].state, Some(ThingState::Other("archived".into())));
    assert_eq!(value[0].color, Some(ThingColor::Other("blue".into())));
    assert_eq!(value[1].state, Some(ThingState::InProgress));
    assert_eq!(value[1].color, Some(ThingColor::Red));
    // date-time is a real date-time; date a real date.
    let created = value[0].created_at.expect("createdAt");
    assert_eq!(created.to_rfc3339(), "2024-05-06T05:08:09.500+00:00");
    assert_eq!(
        value[0].birthday,
        chrono::NaiveDate::from_ymd_opt(2000, 2, 29)
    );
    // ... and a catch-all value is sent back as it came.
    assert_eq!(
        serde_json::to_value(ThingState::Other("archived".into())).unwrap(),
        "archived"
    );
}

#[tokio::test]
async fn query_constraints_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = coverage(&server);
    let err = client.list_things("").await.unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
    let err = client.list_things("n").top(0).await.unwrap_err();
    assert!(err.to_string().contains("$top"), "{err}");
    let err = client
        .list_things("n")
        .tags(vec![String::new(); 6])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("tags"), "{err}");
    // An enum value the spec does not list is refused on the way out.
    let err = client
        .list_things("n")
        .state(ThingState::Other("archived".into()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("state"), "{err}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn bodies_ref_array_and_201_202_responses() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_apis/things"))
        .and(body_json(thing_json(3)))
        .respond_with(ResponseTemplate::new(201).set_body_json(thing_json(3)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/_apis/things/batch"))
        .and(body_json(serde_json::json!([thing_json(1), thing_json(2)])))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(serde_json::json!({"jobId": id(7), "status": "queued"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = coverage(&server);
    let created = client
        .create_things(&thing(3))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.into_inner(), thing(3));
    let job = client.create_batch(&[thing(1), thing(2)]).await.unwrap();
    assert_eq!(job.job_id, Some(id(7)));
    assert_eq!(
        job.status,
        Some(fixture_coverage::models::JobStatus::Queued)
    );
    // minItems on an array body.
    let err = client.create_batch(&[]).await.unwrap_err();
    assert!(err.to_string().contains("body"), "{err}");
    // Constraints inside the body: maxLength, minimum, exclusive minimum.
    let mut bad = thing(4);
    bad.score = Some(0.0);
    let err = client.create_things(&bad).await.unwrap_err();
    assert!(err.to_string().contains("body.score"), "{err}");
    // pattern, compiled with the Rust regex engine; the service got none of these.
    let mut bad = thing(4);
    bad.code = Some("abc-12".into());
    let err = client.create_things(&bad).await.unwrap_err();
    let details = err.invalid_request_details().expect("invalid request");
    assert_eq!(details.field(), "body.code");
    assert!(details.rule().contains("must match the pattern"), "{err}");
    let mut good = thing(4);
    good.code = Some("ABC-12".into());
    client
        .create_things(&good)
        .preview()
        .expect("a matching code passes the checks");
}

#[tokio::test]
async fn optional_bodies_are_sent_only_when_set() {
    let server = MockServer::start().await;
    let thing_path = format!("/_apis/things/{}", id(5));
    Mock::given(method("PATCH"))
        .and(path(thing_path.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(5)))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/_apis/things/delete"))
        .respond_with(ResponseTemplate::new(201))
        .expect(2)
        .mount(&server)
        .await;
    let client = coverage(&server);
    client.update_things(id(5)).await.unwrap();
    let changes = UpdateThingsBody {
        display_name: Some("new".into()),
        labels: Some(BTreeMap::from([("k".to_owned(), "v".to_owned())])),
    };
    client.update_things(id(5)).body(&changes).await.unwrap();
    let () = client.delete_many().await.unwrap();
    client.delete_many().body(&[id(1), id(2)]).await.unwrap();

    let requests = received(&server).await;
    assert!(requests[0].body.is_empty());
    assert!(requests[0].headers.get("content-type").is_none());
    assert_eq!(
        requests[1].body_json::<serde_json::Value>().unwrap(),
        serde_json::json!({"displayName": "new", "labels": {"k": "v"}})
    );
    assert!(requests[2].body.is_empty());
    assert_eq!(
        requests[3].body_json::<serde_json::Value>().unwrap(),
        serde_json::json!([id(1), id(2)])
    );
}

#[tokio::test]
async fn several_success_responses_pick_their_variant_by_status() {
    let server = MockServer::start().await;
    for (n, response) in [
        (
            200u128,
            ResponseTemplate::new(200).set_body_json(thing_json(200)),
        ),
        (
            201,
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"location": "/x"})),
        ),
        (204, ResponseTemplate::new(204)),
        (409, ResponseTemplate::new(409).set_body_string("conflict")),
    ] {
        Mock::given(method("PUT"))
            .and(path(format!("/_apis/things/{}", id(n)).as_str()))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = coverage(&server);
    let body = thing(1);
    assert_eq!(
        client.upsert_things(id(200), &body).await.unwrap(),
        UpsertThingsResponse::Status200(thing(200))
    );
    match client.upsert_things(id(201), &body).await.unwrap() {
        UpsertThingsResponse::Status201(created) => assert_eq!(created.location, "/x"),
        other => panic!("201 decoded as {other:?}"),
    }
    assert_eq!(
        client.upsert_things(id(204), &body).await.unwrap(),
        UpsertThingsResponse::Status204
    );
    let err = client.upsert_things(id(409), &body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
}

#[tokio::test]
async fn an_operation_without_success_responses_accepts_the_usual_2xx() {
    let server = MockServer::start().await;
    let status = std::sync::Arc::new(std::sync::atomic::AtomicU16::new(200));
    let s = status.clone();
    Mock::given(method("POST"))
        .and(path("/_apis/other/ping"))
        .respond_with(move |_: &Request| {
            ResponseTemplate::new(s.load(std::sync::atomic::Ordering::SeqCst))
                .set_body_string("{\"ignored\": true}")
        })
        .mount(&server)
        .await;
    let client = coverage(&server);
    for ok in [200, 201, 202, 204] {
        status.store(ok, std::sync::atomic::Ordering::SeqCst);
        let () = client
            .ping_other_things()
            .await
            .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in [203, 400, 500] {
        status.store(bad, std::sync::atomic::Ordering::SeqCst);
        let err = client.ping_other_things().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(bad));
    }
}

/// Pages that are bare lists name the next one in the `x-ms-continuationtoken` header; the
/// page without it is the last.
#[tokio::test]
async fn pages_by_the_continuation_header() {
    let server = MockServer::start().await;
    let pages = [
        (None, "t2", vec![1, 2]),
        (Some("t2"), "t3", vec![3]),
        (Some("t3"), "", vec![4]),
    ];
    for (token, next, things) in pages {
        let body: Vec<serde_json::Value> = things.into_iter().map(thing_json).collect();
        let mut response = ResponseTemplate::new(200).set_body_json(body);
        if !next.is_empty() {
            response = response.insert_header("x-ms-continuationtoken", next);
        }
        let mock = Mock::given(method("GET")).and(path("/_apis/other/pages"));
        let mock = match token {
            None => mock.and(wiremock::matchers::query_param_is_missing(
                "continuationToken",
            )),
            Some(t) => mock.and(query_param("continuationToken", t)),
        };
        mock.respond_with(response).mount(&server).await;
    }
    let client = coverage(&server);
    let mut items = client.list_paged().top(2).items();
    let mut names = Vec::new();
    while let Some(thing) = items.next().await {
        names.push(thing.unwrap().name);
    }
    assert_eq!(
        names,
        [thing(1).name, thing(2).name, thing(3).name, thing(4).name]
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| pairs(r).contains(&("top".into(), "2".into())))
    );
}

#[tokio::test]
async fn error_responses_with_a_schema_keep_the_service_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/things"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "$id": "1", "message": "TF400898: bad query", "typeKey": "InvalidQuery", "errorCode": 0
        })))
        .mount(&server)
        .await;
    let err = coverage(&server).list_things("n").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let api = err.api_error().expect("parsed error body");
    assert_eq!(api.message.as_deref(), Some("TF400898: bad query"));
}

#[tokio::test]
async fn keyword_and_odd_property_names_use_their_wire_names() {
    let server = MockServer::start().await;
    let wire = serde_json::json!({
        "type": "t", "self": "s", "$ref": "r", "$id": "i", "2fa": true, "foo-bar": 7,
        "crate": "c", "super": 3, "match": "m"
    });
    Mock::given(method("POST"))
        .and(path("/_apis/awkward"))
        .and(body_json(&wire))
        .respond_with(ResponseTemplate::new(200).set_body_json(&wire))
        .expect(1)
        .mount(&server)
        .await;
    let value = Awkward {
        r#type: Some("t".into()),
        self_: Some("s".into()),
        r#ref: Some("r".into()),
        id: Some("i".into()),
        _2fa: Some(true),
        foo_bar: Some(7),
        crate_: Some("c".into()),
        super_: Some(3),
        r#match: Some("m".into()),
    };
    let echoed = coverage(&server).echo_awkward(&value).await.unwrap();
    assert_eq!(echoed, value);
}

/// Inheritance as Microsoft writes it (`type: object` + `allOf` + `properties`): the
/// parent's properties and the type's own, on the wire as one object; enums named by
/// `x-ms-enum` shared by two properties and still open to values the spec does not list; a
/// `null` for an optional property is `None`.
#[tokio::test]
async fn inherited_properties_and_shared_x_ms_enums_on_the_wire() {
    let server = MockServer::start().await;
    let sent = serde_json::json!({
        "id": id(3), "name": "thing 3", "count": 1, "phase": "draft", "lastPhase": "published",
    });
    let answer = serde_json::json!({
        "id": id(3), "name": "thing 3", "count": 1, "phase": null, "lastPhase": "archived",
        "payload": {"any": ["json"]}, "createdBy": "someone",
    });
    Mock::given(method("POST"))
        .and(path("/_apis/kinds"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;
    let value = InheritedThing {
        id: id(3),
        name: "thing 3".into(),
        count: 1,
        phase: Some(ThingPhase::Draft),
        last_phase: Some(ThingPhase::Published),
        ..InheritedThing::default()
    };
    let echoed = coverage(&server).reflect_kinds(&value).await.unwrap();
    assert_eq!(echoed.phase, None);
    assert_eq!(
        echoed.last_phase,
        Some(ThingPhase::Other("archived".into()))
    );
    assert_eq!(echoed.payload, Some(serde_json::json!({"any": ["json"]})));
    assert_eq!(echoed.created_by.as_deref(), Some("someone"));
    assert_eq!(echoed.name, "thing 3");
}

fn tree() -> TreeNode {
    let leaf = |v: &str| TreeNode {
        value: v.into(),
        ..TreeNode::default()
    };
    TreeNode {
        value: "root".into(),
        left: Some(Box::new(TreeNode {
            value: "l".into(),
            left: Some(Box::new(leaf("ll"))),
            ..TreeNode::default()
        })),
        right: Some(Box::new(leaf("r"))),
        children: Some(vec![leaf("c1"), leaf("c2")]),
        by_name: Some(BTreeMap::from([("k".to_owned(), leaf("m"))])),
    }
}

#[tokio::test]
async fn recursive_types_round_trip() {
    let server = MockServer::start().await;
    let json = serde_json::to_value(tree()).unwrap();
    assert_eq!(json["left"]["left"]["value"], "ll");
    assert_eq!(json["byName"]["k"]["value"], "m");
    assert!(
        json["right"].get("left").is_none(),
        "absent optionals are not sent"
    );
    Mock::given(method("POST"))
        .and(path("/_apis/trees/my%20root"))
        .and(body_json(&json))
        .respond_with(ResponseTemplate::new(200).set_body_json(&json))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        coverage(&server)
            .trees_echo("my root", &tree())
            .await
            .unwrap(),
        tree()
    );

    // Mutual recursion (Folder <-> File), an alias chain and allOf composition.
    let server = MockServer::start().await;
    let folder_json = serde_json::json!({
        "name": "f", "files": [{"name": "a", "folder": {"name": "inner"}}],
        "readme": {"name": "README"}
    });
    let folder: Folder = serde_json::from_value(folder_json.clone()).unwrap();
    assert_eq!(
        folder.files.as_ref().unwrap()[0]
            .folder
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("inner")
    );
    Mock::given(method("POST"))
        .and(path("/_apis/folders"))
        .and(body_json(&folder_json))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({
            "location": "/f", "extendedBy": "me", "parent": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let response = coverage(&server).echo_folders(&folder).await.unwrap();
    assert_eq!(
        response,
        EchoFoldersResponse::Status202(ExtendedThing {
            location: "/f".into(),
            extended_by: "me".into(),
            parent: None,
        })
    );
    // ThingAliasAlias -> ThingAlias -> Thing.
    let alias: fixture_coverage::models::ThingAliasAlias = thing(1);
    assert_eq!(alias.name, "thing 1");
}

#[tokio::test]
async fn free_form_json_and_maps() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/other/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([1, {"a": null}])))
        .mount(&server)
        .await;
    let value: serde_json::Value = coverage(&server).list_other_things().await.unwrap();
    assert_eq!(value, serde_json::json!([1, {"a": null}]));
    let t: Thing = serde_json::from_value(serde_json::json!({
        "id": id(1), "name": "n", "count": 0, "note": null,
        "extra": {"x": [1, 2]}, "anything": "text",
        "labels": {"a": "b"}, "children": {"c": {"location": "/c"}},
        "matrix": [[1, 2], [3]], "owner": {"address": {"city": "Oslo"}}
    }))
    .unwrap();
    assert_eq!(t.extra, Some(serde_json::json!({"x": [1, 2]})));
    assert_eq!(t.anything, Some(serde_json::json!("text")));
    assert_eq!(t.children.unwrap()["c"].location, "/c");
    assert_eq!(t.matrix, Some(vec![vec![1, 2], vec![3]]));
    assert_eq!(
        t.owner.unwrap().address.unwrap().city.as_deref(),
        Some("Oslo")
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn a_deprecated_operation_still_works() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/_apis/things/{}", id(1)).as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    coverage(&server).delete_things(id(1)).await.unwrap();
}

// ----- the neighbouring operations of the token administration area ---------------------

#[tokio::test]
async fn neighbours_list_personal_access_tokens_a_page_at_a_time() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(raw_path(
            "/_apis/tokenadministration/tokenpersonalaccesstokens/aad.Zm9v%2FYmFy%3D%3D".to_owned(),
        ))
        .and(query_param("pageSize", "2"))
        .and(query_param("continuationToken", "next page"))
        .and(query_param("api-version", "5.0-preview.1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "continuationToken": id(99),
            "value": [{
                "accessId": id(1), "authorizationId": id(2), "clientId": id(3),
                "displayName": "ci", "isPublic": false, "isValid": true,
                "scope": "vso.code", "targetAccounts": [id(4)], "userId": id(5),
                "validFrom": "2024-01-01T00:00:00Z", "validTo": "2024-12-31T23:59:59.123Z",
                "claims": {"c": "v"}, "someNewField": 1
            }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let page = neighbours(&server)
        .get_token_personal_access_tokens("aad.Zm9v/YmFy==")
        .page_size(2)
        .continuation_token("next page")
        .await
        .unwrap();
    assert_eq!(page.continuation_token, Some(id(99)));
    let token = &page.value.unwrap()[0];
    assert_eq!(token.authorization_id, Some(id(2)));
    assert_eq!(token.is_valid, Some(true));
    assert_eq!(token.target_accounts, Some(vec![id(4)]));
    assert_eq!(
        token.valid_to.unwrap().to_rfc3339(),
        "2024-12-31T23:59:59.123+00:00"
    );
}

#[tokio::test]
async fn neighbours_list_global_identities_declares_no_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_apis/tokenadministration/tokenlistglobalidentities"))
        .and(query_param("isPublic", "true"))
        .and(body_json(
            serde_json::json!([{"authorizationId": id(1)}, {}]),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let body = [
        fixture_neighbours::models::TokenAdminRevocation {
            authorization_id: Some(id(1)),
        },
        fixture_neighbours::models::TokenAdminRevocation::default(),
    ];
    let () = neighbours(&server)
        .post_token_list_global_identities(&body)
        .is_public(true)
        .await
        .unwrap();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let err = neighbours(&server)
        .post_token_list_global_identities(&body)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn neighbours_keep_the_revocation_operation() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_apis/tokenadministration/tokenrevocations"))
        .and(query_param("hostId", id(1).to_string()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = fixture_neighbours::models::TokenAdministrationRevocation {
        audience: None,
        authorization_ids: vec![id(2)],
    };
    neighbours(&server)
        .revoke_authorizations(id(1), &body)
        .await
        .unwrap();
}

fn coverage_retrying(server: &MockServer) -> fixture_coverage::Client {
    fixture_coverage::Client::builder(fixture_coverage::Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .retry(fixture_coverage::RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(5),
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Answers `first` to the first request and `then` to the others.
async fn first_then(server: &MockServer, verb: &str, first: u16, then: u16) {
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(first))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(then))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_500_but_an_idempotent_delete_is() {
    // POST without `x-idempotent`: the service may have done the work.
    let server = MockServer::start().await;
    first_then(&server, "POST", 500, 200).await;
    let err = coverage_retrying(&server)
        .ping_other_things()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.attempts(), None, "not a retries-exhausted error: {err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // 503 means the service did not act: even a POST is retried.
    let server = MockServer::start().await;
    first_then(&server, "POST", 503, 200).await;
    let response = coverage_retrying(&server)
        .ping_other_things()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);

    // DELETE is idempotent by method: retried after a 500.
    let server = MockServer::start().await;
    first_then(&server, "DELETE", 500, 204).await;
    #[allow(deprecated)]
    let response = coverage_retrying(&server)
        .delete_things(id(1))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A spec with no schemas and nothing to check: a string response body, an optional query
/// parameter that is sent only when set, an integer path parameter.
#[tokio::test]
async fn a_minimal_spec_without_schemas_or_checks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/echo"))
        .and(|r: &Request| pairs(r) == [("text".to_owned(), "a b&c".to_owned())])
        .respond_with(ResponseTemplate::new(200).set_body_json("a b&c"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/echo"))
        .and(|r: &Request| r.url.query().is_none())
        .respond_with(ResponseTemplate::new(200).set_body_json(""))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/_apis/items/-42"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = minimal(&server);
    let echoed: String = client.get_echo().text("a b&c").await.unwrap();
    assert_eq!(echoed, "a b&c");
    let empty: String = client.get_echo().await.unwrap();
    assert_eq!(empty, "");
    let () = client.delete_items(-42).await.unwrap();
}

/// A model nested 150 levels deep compiles (its crate raises rustc's recursion limit) and
/// decodes: here 100 levels, within serde_json's limit of 128 nested JSON values.
#[tokio::test]
async fn a_deeply_nested_model_decodes() {
    let mut json = serde_json::json!({ "depth": 99 });
    for depth in (0..99).rev() {
        json = serde_json::json!({ "depth": depth, "next": json });
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/levels"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&json))
        .mount(&server)
        .await;
    let client = fixture_deep::Client::builder(fixture_deep::Credential::pat(PAT))
        .base_url(&server.uri())
        .unwrap()
        .build()
        .unwrap();
    let level0 = client.get_chain().await.unwrap();
    let level2 = level0.next.as_ref().and_then(|l| l.next.as_ref());
    assert_eq!(level2.and_then(|l| l.depth), Some(2));
    // Every level decoded: written back, it is the JSON served.
    assert_eq!(serde_json::to_value(&level0).unwrap(), json);
}

/// Bodies that are not plain JSON: bytes up and down, text up and down, JSON Patch; each
/// with its declared `Content-Type`, and `Accept` asking for what the operation answers.
#[tokio::test]
async fn bytes_text_and_json_patch_bodies() {
    let server = MockServer::start().await;
    let payload: Vec<u8> = (0..=255u8).collect();
    Mock::given(method("PUT"))
        .and(path("/_apis/files/a%20b.bin"))
        .and(header("content-type", "application/octet-stream"))
        .and(header("accept", "text/plain"))
        .and(wiremock::matchers::body_bytes(payload.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored as a b.bin", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/files/a%20b.bin"))
        // Both declared media types (wiremock's `header` would split the list).
        .and(|r: &Request| {
            r.headers
                .get("accept")
                .is_some_and(|v| v == "application/zip, application/octet-stream")
        })
        .respond_with(ResponseTemplate::new(200).set_body_raw(payload.clone(), "application/zip"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/_apis/notes"))
        .and(header("content-type", "text/plain"))
        .and(wiremock::matchers::body_string("café ☕"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let patch = serde_json::json!([{"op": "replace", "path": "/name", "value": "renamed"}]);
    Mock::given(method("PATCH"))
        .and(path(format!("/_apis/things/{}/patch", id(5))))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(&patch))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json(5)))
        .expect(1)
        .mount(&server)
        .await;
    let client = coverage(&server);
    let stored: String = client.upload_files("a b.bin", &payload).await.unwrap();
    assert_eq!(stored, "stored as a b.bin");
    let downloaded: bytes::Bytes = client.download_files("a b.bin").await.unwrap();
    assert_eq!(downloaded.as_ref(), payload.as_slice());
    let () = client.set_notes("café ☕").await.unwrap();
    let change = fixture_coverage::models::JsonPatchOperation {
        op: fixture_coverage::models::JsonPatchOperationOp::Replace,
        path: "/name".into(),
        value: Some(serde_json::json!("renamed")),
    };
    let patched = client.patch_things(id(5), &[change]).await.unwrap();
    assert_eq!(patched, thing(5));
}

/// Azure DevOps sends a list as `{"count": n, "value": [..]}` where descriptions declare the
/// list itself: such a body decodes as its `value`; a body that is neither still fails.
#[tokio::test]
async fn a_list_sent_in_a_count_value_wrapper_decodes() {
    let server = MockServer::start().await;
    let wrapped = serde_json::json!({"count": 2, "value": [thing_json(1), thing_json(2)]});
    Mock::given(method("GET"))
        .and(path("/_apis/other/pages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&wrapped))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/other/pages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"count": 2})))
        .mount(&server)
        .await;
    let client = coverage(&server);
    let things = client.list_paged().await.unwrap();
    assert_eq!(things, [thing(1), thing(2)]);
    let error = client.list_paged().await.unwrap_err();
    assert!(error.to_string().contains("could not decode"), "{error}");
}

/// A spec without operations (as `artifacts/7.1/sbom.json`) gives a crate of models and a
/// client without methods: both usable, the models read and written as the spec says.
#[test]
fn models_only_crate_has_models_and_a_client() {
    use fixture_models_only::models::{FileHash, HashAlgorithm, ManifestFile};

    let client =
        fixture_models_only::Client::builder(fixture_models_only::Credential::pat(PAT)).build();
    assert!(client.is_ok(), "the client of a models-only crate builds");
    let text = r#"{"path":"a/b.txt","hashes":[{"algorithm":"sha256","value":"ab12"}],"size":3}"#;
    let file: ManifestFile = serde_json::from_str(text).expect("a manifest file decodes");
    let hashes = file.hashes.as_deref().expect("hashes");
    assert_eq!(hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(
        serde_json::to_value(&file).expect("encodes"),
        serde_json::from_str::<serde_json::Value>(text).expect("json")
    );
    let missing = serde_json::from_str::<FileHash>(r#"{"value":"ab12"}"#);
    assert!(missing.is_err(), "a required property is required");
}

/// Objects in the query (`x-query-object: dotted`, as import marks `tfvc/7.1`'s
/// `searchCriteria.mappings`): each property as `name.property=value`, each item of a list
/// as `name[i].property=value`, unset properties not sent, on the wire as ASP.NET binds them.
#[tokio::test]
async fn objects_in_the_query_are_sent_as_dotted_pairs() {
    use fixture_coverage::models::{ChangesetCriteria, MappingFilter};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/changesets"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let criteria = ChangesetCriteria {
        author: Some("Chuck R".into()),
        from_id: Some(7),
        ..Default::default()
    };
    let mappings = vec![
        MappingFilter {
            server_path: Some("$/Fabrikam/Main".into()),
            exclude: Some(false),
        },
        MappingFilter {
            server_path: Some("$/Fabrikam/Dev".into()),
            exclude: None,
        },
    ];
    coverage(&server)
        .list_changesets()
        .search_criteria(criteria)
        .search_criteria_mappings(mappings)
        .top(5)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some(
            "%24top=5&searchCriteria.author=Chuck+R&searchCriteria.fromId=7\
             &searchCriteria.mappings%5B0%5D.exclude=false\
             &searchCriteria.mappings%5B0%5D.serverPath=%24%2FFabrikam%2FMain\
             &searchCriteria.mappings%5B1%5D.serverPath=%24%2FFabrikam%2FDev"
        )
    );
    let pairs: Vec<(String, String)> = requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(pairs.contains(&(
        "searchCriteria.mappings[1].serverPath".to_owned(),
        "$/Fabrikam/Dev".to_owned()
    )));
}
