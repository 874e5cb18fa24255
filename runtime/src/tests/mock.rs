//! The mock's pieces: paths matched against templates, the form of query values, requests
//! as received, where two JSON bodies differ, and a whole server answering raw requests.

use bytes::Bytes;
use serde_json::json;

use crate::mock::expectation::first_difference;
use crate::mock::{
    BodySpec, HeaderSpec, MockServer, OperationSpec, PathPart, QuerySpec, ReceivedRequest,
    Response, ValueKind, check_json_decodes,
};

static ITEM: OperationSpec = OperationSpec {
    id: "Things_GetItem",
    method: "GET",
    path: &[
        PathPart::Literal("/"),
        PathPart::Param("organization"),
        PathPart::Literal("/_apis/things/"),
        PathPart::Param("id"),
        PathPart::Literal("/items/v"),
        PathPart::Param("version"),
        PathPart::Literal(".json"),
    ],
    query: &[
        QuerySpec {
            name: "top",
            required: false,
            kind: ValueKind::Integer,
            constant: None,
        },
        QuerySpec {
            name: "api-version",
            required: true,
            kind: ValueKind::Text,
            constant: Some("7.1"),
        },
    ],
    headers: &[HeaderSpec {
        name: "X-Request-Id",
        required: true,
    }],
    body: None,
    examples: &[],
};

static CREATE: OperationSpec = OperationSpec {
    id: "Things_Create",
    method: "POST",
    path: &[PathPart::Literal("/_apis/things")],
    query: &[],
    headers: &[],
    body: Some(BodySpec {
        required: true,
        media: &["application/json"],
        check: Some(check_json_decodes::<Vec<u32>>),
    }),
    examples: &[],
};

static OPERATIONS: &[&OperationSpec] = &[&ITEM, &CREATE];

fn request(line: &str, headers: &[(&str, &str)], body: &str) -> ReceivedRequest {
    let (method, path) = line.split_once(' ').unwrap();
    ReceivedRequest::new(
        method,
        path,
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        Bytes::copy_from_slice(body.as_bytes()),
    )
}

#[test]
fn a_path_matches_its_template_with_parameters_anywhere_in_a_segment() {
    let values = ITEM
        .match_path("/a%2Fb%20c/_apis/things/7/items/v42.json")
        .unwrap();
    assert_eq!(
        values,
        [
            ("organization", "a/b c".to_owned()),
            ("id", "7".to_owned()),
            ("version", "42".to_owned())
        ]
    );
    for other in [
        "/org/_apis/things/7/items/v42",
        "/org/_apis/things//items/v42.json",
        "/org/_apis/things/7/items/v42.json/more",
        "/_apis/things/7/items/v42.json",
    ] {
        assert_eq!(ITEM.match_path(other), None, "{other}");
    }
    assert_eq!(CREATE.match_path("/_apis/things/"), Some(Vec::new()));
    assert_eq!(
        ITEM.template(),
        "/{organization}/_apis/things/{id}/items/v{version}.json"
    );
}

#[test]
fn each_kind_of_value_refuses_what_is_not_of_its_form() {
    let cases: &[(ValueKind, &str, &str)] = &[
        (ValueKind::Integer, "-12", "1.5"),
        (ValueKind::Number, "1.5e3", "one"),
        (ValueKind::Boolean, "False", "yes"),
        (
            ValueKind::Uuid,
            "8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f",
            "8d6b1d4e",
        ),
        (ValueKind::Date, "2024-02-29", "2023-02-29"),
        (
            ValueKind::DateTime,
            "2024-03-01T10:00:00.5+01:00",
            "2024-03-01",
        ),
        (
            ValueKind::Enum(&["active", "DONE"]),
            "done,Active",
            "archived",
        ),
    ];
    for (kind, good, bad) in cases {
        assert_eq!(kind.refuses(good), None, "{kind:?} {good}");
        assert!(kind.refuses(bad).is_some(), "{kind:?} {bad}");
    }
    assert_eq!(
        ValueKind::Enum(&["active", "DONE"]).refuses("archived"),
        Some("one of `active`, `DONE`".to_owned())
    );
    assert_eq!(ValueKind::Text.refuses(""), None);
}

#[test]
fn a_request_is_checked_against_its_operation() {
    let good = request(
        "GET /org/_apis/things/7/items/v1.json?top=5&api-version=7.1",
        &[("x-request-id", "r")],
        "",
    );
    assert_eq!(ITEM.check(&good), Vec::<String>::new());

    // Query names in any letter case, as the service binds them.
    let other_case = request(
        "GET /org/_apis/things/7/items/v1.json?TOP=5&API-Version=7.1",
        &[("x-request-id", "r")],
        "",
    );
    assert_eq!(ITEM.check(&other_case), Vec::<String>::new());
    assert_eq!(other_case.query_values("top"), ["5"]);

    let bad = request(
        "GET /org/_apis/things/7/items/v1.json?top=five&api-version=7.0&tops=1",
        &[],
        "{}",
    );
    assert_eq!(
        ITEM.check(&bad),
        [
            "the query parameter `top` must be an integer, not `five`",
            "the query parameter `api-version` must be `7.1`, not `7.0`",
            "the query parameter `tops` is not one of the operation's (`top`, `api-version`)",
            "the required header `X-Request-Id` is missing",
            "the operation takes no request body, and one was sent",
        ]
    );
    assert_eq!(
        ITEM.check(&request(
            "GET /org/_apis/things/7/items/v1.json",
            &[("x-request-id", "r")],
            ""
        )),
        ["the required query parameter `api-version` is missing"]
    );

    let body = |content_type: &str, body: &str| {
        CREATE.check(&request(
            "POST /_apis/things",
            &[("content-type", content_type)],
            body,
        ))
    };
    assert_eq!(
        body("application/json; charset=utf-8", "[1, 2]"),
        Vec::<String>::new()
    );
    assert_eq!(
        body("application/json", "[1, -2]")[0]
            .split(':')
            .next()
            .unwrap(),
        "the request body"
    );
    assert_eq!(
        body("text/plain", "[1]"),
        [
            "the request body is sent as `text/plain`, which is not one of the operation's media types (`application/json`)"
        ]
    );
    assert_eq!(
        CREATE.check(&request("POST /_apis/things", &[], "")),
        ["the request body is required, and none was sent"]
    );
}

#[test]
fn a_received_request_reads_its_query_and_hides_its_credential() {
    let r = request(
        "POST /a/b?name=a+b%26c&tag=x&tag=y&empty=",
        &[
            ("Authorization", "Basic c2VjcmV0"),
            ("content-type", "text/plain"),
        ],
        "hi",
    );
    assert_eq!(r.path, "/a/b");
    assert_eq!(r.query_values("name"), ["a b&c"]);
    assert_eq!(r.query_values("tag"), ["x", "y"]);
    assert_eq!(r.query_values("empty"), [""]);
    assert_eq!(r.header("AUTHORIZATION"), Some("Basic c2VjcmV0"));
    let shown = format!("{r:?}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(!shown.contains("c2VjcmV0"), "{shown}");
    assert!(shown.contains("\"hi\""), "{shown}");
}

#[test]
fn json_bodies_differ_at_the_first_place_they_do() {
    let expected = json!({"a": {"b": [1, 2, 3]}, "c": true});
    let cases = [
        (
            json!({"a": {"b": [1, 2, 4]}, "c": true}),
            "at .a.b[2]: expected 3, got 4",
        ),
        (
            json!({"a": {"b": [1, 2]}, "c": true}),
            "at .a.b: expected [1,2,3], got [1,2]",
        ),
        (
            json!({"a": {"b": [1, 2, 3]}}),
            "at .c: expected true, absent",
        ),
        (
            json!({"a": {"b": [1, 2, 3]}, "c": true, "d": 0}),
            "at .d: not expected, got 0",
        ),
        (
            json!([1]),
            "at .: expected {\"a\":{\"b\":[1,2,3]},\"c\":true}, got [1]",
        ),
    ];
    for (got, difference) in cases {
        assert_eq!(first_difference("", &expected, &got), difference);
    }
}

/// A whole server on 127.0.0.1: a request the spec forbids, one no expectation matches, one
/// that matches; the report and the counts.
#[tokio::test]
async fn a_server_answers_checks_and_reports() {
    let mock = MockServer::start(&[OPERATIONS]).await;
    let handle = mock
        .expect(&CREATE)
        .json_body(&[1, 2])
        .expect(1)
        .respond(Response::json(201, &json!({"id": 1})));
    let http = reqwest::Client::new();
    let post = |body: &'static str| {
        http.post(format!("{}/_apis/things", mock.url()))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let created = post("[1, 2]").await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.text().await.unwrap(), r#"{"id":1}"#);
    assert_eq!(post("[1, 3]").await.unwrap().status().as_u16(), 404);
    assert_eq!(post("{}").await.unwrap().status().as_u16(), 400);

    assert_eq!(handle.hits(), 1);
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("a request the spec forbids: POST /_apis/things (`Things_Create`): the request body: the body does not decode"), "{}", problems[0]);
    assert_eq!(
        problems[1],
        "a request no expectation matched: POST /_apis/things; the closest expectation, #1 of \
         `Things_Create`, does not match because the body differs at .[1]: expected 2, got 3"
    );
    mock.verify();
}
