//! `runtime/src/request.rs`: encoding a request, and its URL and headers.

use std::borrow::Cow;

use reqwest::header;
use reqwest::{Method, Url};

use crate::client::ClientCore;
use crate::credential::Credential;
use crate::error::InvalidRequest;
use crate::operation::Operation;
use crate::request::{Request, form_urlencode, join_url, json_body};

/// An idempotent `GET` whose only success is 200.
const GET: Operation = Operation {
    id: "Op",
    method: Method::GET,
    success: &[200],
    idempotent: true,
    area: &super::AREA,
};

#[test]
fn joins_base_path_and_query() {
    let base = Url::parse("http://host:8080/org/").unwrap();
    let url = join_url(&base, "/_apis/x", "api-version=5.0-preview.1&q=a+b%26c%3Dd");
    assert_eq!(
        url.as_str(),
        "http://host:8080/org/_apis/x?api-version=5.0-preview.1&q=a+b%26c%3Dd"
    );
    let base = Url::parse("https://dev.azure.com").unwrap();
    assert_eq!(
        join_url(&base, "/_apis/x", "").as_str(),
        "https://dev.azure.com/_apis/x"
    );
}

/// Setting the path and query on the parsed base gives the URL that parsing everything
/// written out gives, for bases with and without paths, ports, trailing slashes and
/// encoded characters, and paths and queries that are encoded already.
#[test]
fn joining_equals_parsing_the_whole_url() {
    let bases = [
        "https://dev.azure.com",
        "https://dev.azure.com/",
        "http://127.0.0.1:8080/tfs/DefaultCollection",
        "http://[::1]:9/tfs/Default%20Collection/",
        "https://xn--bcher-kva.example/org",
        "https://host/a%2Fb/",
    ];
    let paths = [
        "/_apis/x",
        "_apis/x",
        "/org/_apis/things/a%2Fb%20c%20%C3%A9%3F/items/v42.json",
        "/_apis/%7Bliteral%7D/~tilde/",
        "",
    ];
    let queries = [
        "",
        "api-version=7.1",
        "q=a+b%26c%3Dd&%24top=5&ids=1&ids=2",
        "name=%C3%A9%20%2B",
    ];
    for base in bases {
        let parsed = Url::parse(base).unwrap();
        for path in paths {
            for query in queries {
                let mut text = parsed.as_str().trim_end_matches('/').to_owned();
                if !path.starts_with('/') {
                    text.push('/');
                }
                text.push_str(path);
                if !query.is_empty() {
                    text.push('?');
                    text.push_str(query);
                }
                assert_eq!(
                    join_url(&parsed, path, query).as_str(),
                    Url::parse(&text).unwrap().as_str(),
                    "{base} + {path} + {query}"
                );
            }
        }
    }
}

/// The same encoding as `url`'s `append_pair`, for every kind of byte: kept runs,
/// space, reserved ASCII, multi-byte UTF-8 at the start, middle and end.
#[test]
fn form_urlencodes_like_the_url_crate() {
    for value in [
        "",
        "plain-._*09AZaz",
        "a b&c=d+e/f?g#h%i~j",
        "é",
        "xé",
        "éx",
        "a€b😀 c",
        "\u{0}\n\t",
    ] {
        let mut ours = String::new();
        form_urlencode(&mut ours, value);
        let mut theirs = Url::parse("http://h/").unwrap();
        theirs.query_pairs_mut().append_pair("k", value);
        assert_eq!(
            format!("k={ours}"),
            theirs.query().unwrap_or_default(),
            "{value:?}"
        );
    }
}

#[test]
fn builds_path_query_and_headers_in_order() {
    let mut r = Request::new(GET);
    r.path("/items/")
        .path_param(&String::from("a b/c?d%e~f.g-h_i"))
        .path("/x/")
        .path_param(&String::from("é"))
        .path("/")
        .path_param(&7i32)
        .query("ids", &vec![1i32, 2])
        .query("missing", &None::<String>)
        .query_text("api-version=1.0")
        .header("X-Id", &Some(uuid::Uuid::nil()));
    assert_eq!(r.path, "/items/a%20b%2Fc%3Fd%25e~f.g-h_i/x/%C3%A9/7");
    assert_eq!(r.query, "ids=1&ids=2&api-version=1.0");
    assert_eq!(
        r.headers,
        [("X-Id", Cow::from("00000000-0000-0000-0000-000000000000"))]
    );
    // A path without parameters is borrowed, not copied.
    let mut constant = Request::new(GET);
    constant.path("/_apis/x").query("q", &"a b&c=d");
    assert!(matches!(constant.path, Cow::Borrowed("/_apis/x")));
    assert_eq!(constant.query, "q=a+b%26c%3Dd");
    assert!(r.body.is_none());
    r.json(&[1, 2]).unwrap();
    assert_eq!(r.body.as_deref(), Some(&b"[1,2]"[..]));
}

#[test]
fn operation_headers_override_defaults_and_repeat() {
    let client = ClientCore::builder(Credential::pat("p"), super::CLIENT)
        .build()
        .unwrap();
    let prepared = client
        .prepare(Request {
            path: Cow::Borrowed("/x"),
            headers: vec![
                (
                    "Accept",
                    "application/json;api-version=5.0-preview.1".into(),
                ),
                ("X-Tag", "a".into()),
                ("x-tag", "b".into()),
                ("Authorization", "nope".into()),
            ],
            ..Request::new(GET)
        })
        .unwrap();
    let h = &prepared.first.as_ref().unwrap().1;
    assert_eq!(h.get_all(header::ACCEPT).iter().count(), 1);
    assert_eq!(
        h[header::ACCEPT],
        "application/json;api-version=5.0-preview.1"
    );
    assert_eq!(h.get_all("x-tag").iter().count(), 2);
    assert_eq!(h.get_all(header::AUTHORIZATION).iter().count(), 1);
    assert_eq!(h[header::AUTHORIZATION], "Basic OnA=");
    assert!(h.get(header::CONTENT_TYPE).is_none());

    let err = client
        .prepare(Request {
            path: Cow::Borrowed("/x"),
            headers: vec![("X-Tag", "a\nb".into())],
            ..Request::new(GET)
        })
        .err()
        .unwrap();
    assert_eq!(
        err.invalid_request_details().map(InvalidRequest::field),
        Some("x-tag")
    );
}

#[test]
fn json_body_serializes() {
    assert_eq!(json_body(&[1, 2]).unwrap(), b"[1,2]");
}
