//! End-to-end tests of paging by continuation token: `.pages()` and `.items()` of the
//! generated client against a local server, as `next()` and as a `Stream`.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use token_administration::{Client, Credential, Error, RetryPolicy};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";
const PAGE_PATH: &str = "/_apis/tokenadministration/tokenpersonalaccesstokens/aad.OGYxNDY3MjMtNjIzYy03YjMyLTk4NDMtZjYyOGQ0OTc3YTA0";

fn client(server: &MockServer) -> Client {
    Client::builder(Credential::pat("SECRET-PAT"))
        .base_url(&server.uri())
        .unwrap()
        .retry(RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(5),
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

fn token(n: u128) -> Value {
    json!({
        "authorizationId": uuid::Uuid::from_u128(n),
        "displayName": format!("token {n}"),
        "validTo": "2027-01-31T10:00:00Z",
    })
}

/// A page with the given entries and next token (`Value::Null` for none).
fn page(entries: &[u128], next: Value) -> ResponseTemplate {
    let value: Vec<Value> = entries.iter().map(|&n| token(n)).collect();
    ResponseTemplate::new(200).set_body_json(json!({ "continuationToken": next, "value": value }))
}

/// Serves the page asked for by `token` (`None`: the first page).
async fn serve(server: &MockServer, token: Option<&str>, response: ResponseTemplate) {
    let mock = Mock::given(method("POST")).and(path(PAGE_PATH));
    let mock = match token {
        None => mock.and(query_param_is_missing("continuationToken")),
        Some(t) => mock.and(query_param("continuationToken", t)),
    };
    mock.respond_with(response).mount(server).await;
}

fn ids(tokens: &[token_administration::models::SessionToken]) -> Vec<u128> {
    tokens
        .iter()
        .map(|t| t.authorization_id.unwrap().as_u128())
        .collect()
}

/// Three pages; the last says `null`. Every request carries the same parameters and body
/// and the previous page's token.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    serve(&server, None, page(&[1, 2], json!("page-2"))).await;
    serve(&server, Some("page-2"), page(&[3, 4], json!("page-3"))).await;
    serve(&server, Some("page-3"), page(&[5], Value::Null)).await;
    server
}

#[tokio::test]
async fn pages_follow_the_token_until_it_is_null() {
    let server = three_pages().await;
    let client = client(&server);
    let body = vec!["audience".to_owned()];
    let mut pages = client
        .list_personal_access_tokens(USER, &body)
        .page_size(2)
        .pages();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        seen.push(ids(&page.unwrap().value.unwrap()));
    }
    assert_eq!(seen, vec![vec![1, 2], vec![3, 4], vec![5]]);
    assert!(pages.next().await.is_none(), "stays done");

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let tokens: Vec<Option<String>> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "continuationToken")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(tokens, [None, Some("page-2".into()), Some("page-3".into())]);
    for r in &requests {
        let query: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
        assert!(
            query.contains(&("pageSize".into(), "2".into())),
            "{query:?}"
        );
        assert!(
            query.contains(&("api-version".into(), "5.0-preview.1".into())),
            "{query:?}"
        );
        assert_eq!(r.body_json::<Vec<String>>().unwrap(), body);
    }
}

#[tokio::test]
async fn items_yield_every_entry_of_every_page_in_order() {
    let server = three_pages().await;
    let client = client(&server);
    let mut items = client.list_personal_access_tokens(USER, &[]).items();
    let mut all = Vec::new();
    while let Some(item) = items.next().await {
        all.push(item.unwrap().authorization_id.unwrap().as_u128());
    }
    assert_eq!(all, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn pages_and_items_are_streams() {
    let server = three_pages().await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_personal_access_tokens(USER, &[])
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let names: Vec<String> = client
        .list_personal_access_tokens(USER, &[])
        .items()
        .map(|item| item.unwrap().display_name.unwrap())
        .collect()
        .await;
    assert_eq!(
        names,
        ["token 1", "token 2", "token 3", "token 4", "token 5"]
    );
}

#[tokio::test]
async fn an_absent_or_empty_token_ends_the_pages() {
    for last in [
        json!({ "value": [token(9)] }),
        json!({ "continuationToken": "", "value": [] }),
    ] {
        let server = MockServer::start().await;
        serve(&server, None, page(&[8], json!("next"))).await;
        serve(
            &server,
            Some("next"),
            ResponseTemplate::new(200).set_body_json(last),
        )
        .await;
        let pages: Vec<_> = client(&server)
            .list_personal_access_tokens(USER, &[])
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_token_seen_before_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    serve(&server, None, page(&[1], json!("a"))).await;
    serve(&server, Some("a"), page(&[2], json!("b"))).await;
    serve(&server, Some("b"), page(&[3], json!("a"))).await;
    let client = client(&server);
    let mut items = client.list_personal_access_tokens(USER, &[]).items();
    let mut all = Vec::new();
    // Bounded, so that a client that loops fails the test instead of hanging it.
    let error = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match items.next().await {
                Some(Ok(item)) => all.push(item.authorization_id.unwrap().as_u128()),
                Some(Err(e)) => break e,
                None => panic!("ended without the error"),
            }
        }
    })
    .await
    .expect("paging stops on a repeated token");
    assert_eq!(all, [1, 2, 3]);
    assert!(matches!(error, Error::Paging { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("TokenPersonalAccessTokens_ListPersonalAccessTokens"),
        "{text}"
    );
    assert!(text.contains("continuation token"), "{text}");
    assert!(items.next().await.is_none(), "ends after the error");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_page_that_fails_once_is_retried_by_the_client() {
    let server = MockServer::start().await;
    serve(&server, None, page(&[1], json!("page-2"))).await;
    // The second page fails once with 503, then succeeds.
    Mock::given(method("POST"))
        .and(query_param("continuationToken", "page-2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    serve(&server, Some("page-2"), page(&[2], json!("page-3"))).await;
    serve(&server, Some("page-3"), page(&[3], Value::Null)).await;
    let all: Vec<u128> = client(&server)
        .list_personal_access_tokens(USER, &[])
        .items()
        .map_ok(|t| t.authorization_id.unwrap().as_u128())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [1, 2, 3]);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_page_that_keeps_failing_ends_the_pages_with_its_error() {
    let server = MockServer::start().await;
    serve(&server, None, page(&[1], json!("page-2"))).await;
    serve(&server, Some("page-2"), ResponseTemplate::new(401)).await;
    let client = client(&server);
    let mut pages = client.list_personal_access_tokens(USER, &[]).pages();
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(pages.next().await.is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_continuation_token_set_by_the_caller_is_where_the_pages_start() {
    let server = three_pages().await;
    let pages: Vec<_> = client(&server)
        .list_personal_access_tokens(USER, &[])
        .continuation_token("page-3")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(ids(pages[0].value.as_deref().unwrap()), [5]);
}

#[tokio::test]
async fn pages_show_their_progress_in_debug_without_tokens() {
    let server = three_pages().await;
    let client = client(&server);
    let mut pages = client.list_personal_access_tokens(USER, &[]).pages();
    pages.next().await.unwrap().unwrap();
    let shown = format!("{pages:?}");
    assert!(shown.contains("pages_read: 1"), "{shown}");
    assert!(!shown.contains("page-2"), "{shown}");
}

// ----- resuming a listing ------------------------------------------------------------------

/// Each page's checkpoint names the page to read next; a listing stopped after any page and
/// resumed from its checkpoint reads every page once.
#[tokio::test]
async fn pages_resume_from_their_checkpoint_without_reading_a_page_twice() {
    let server = three_pages().await;
    let client = client(&server);
    let mut pages = client.list_personal_access_tokens(USER, &[]).pages();
    assert_eq!(
        pages.checkpoint(),
        Some(token_administration::Checkpoint::default()),
        "not started: the first page"
    );
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(ids(first.value.as_deref().unwrap()), [1, 2]);
    let saved = serde_json::to_string(&pages.checkpoint().unwrap()).unwrap();
    assert_eq!(saved, r#"{"token":"page-2","skip":0}"#);
    drop(pages);

    let checkpoint = serde_json::from_str(&saved).unwrap();
    let mut rest = client
        .list_personal_access_tokens(USER, &[])
        .pages_from(checkpoint);
    let mut read = Vec::new();
    while let Some(page) = rest.next().await {
        read.extend(ids(page.unwrap().value.as_deref().unwrap()));
    }
    assert_eq!(read, [3, 4, 5]);
    assert_eq!(rest.checkpoint(), None, "every page was read");
    let asked: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "continuationToken")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(
        asked,
        [None, Some("page-2".into()), Some("page-3".into())],
        "no page asked for twice"
    );
}

/// A listing killed half-way through a page (the process gone, only its saved checkpoint
/// left) resumes at the next item: no item repeated, none left out, at every point.
#[tokio::test]
async fn items_resume_from_any_point_without_repeating_or_skipping_one() {
    let server = three_pages().await;
    for stop_after in 0..=5 {
        let client = client(&server);
        let mut items = client.list_personal_access_tokens(USER, &[]).items();
        let mut taken = Vec::new();
        for _ in 0..stop_after {
            let item = items.next().await.unwrap().unwrap();
            taken.push(item.authorization_id.unwrap().as_u128());
        }
        let saved = items
            .checkpoint()
            .map(|c| serde_json::to_string(&c).unwrap());
        drop(items);
        drop(client);

        let client = self::client(&server);
        if let Some(saved) = saved {
            let mut rest = client
                .list_personal_access_tokens(USER, &[])
                .items_from(serde_json::from_str(&saved).unwrap());
            while let Some(item) = rest.next().await {
                taken.push(item.unwrap().authorization_id.unwrap().as_u128());
            }
            assert_eq!(rest.checkpoint(), None);
        }
        assert_eq!(taken, [1, 2, 3, 4, 5], "stopped after {stop_after} items");
    }
}

/// A page that fails ends the listing; its checkpoint is that page, so a resumed listing
/// asks for it again once the service answers.
#[tokio::test]
async fn a_failed_page_is_where_the_listing_resumes() {
    let server = MockServer::start().await;
    serve(&server, None, page(&[1, 2], json!("page-2"))).await;
    Mock::given(method("POST"))
        .and(path(PAGE_PATH))
        .and(query_param("continuationToken", "page-2"))
        .respond_with(ResponseTemplate::new(400))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, Some("page-2"), page(&[3], Value::Null)).await;
    let client = client(&server);
    let mut items = client.list_personal_access_tokens(USER, &[]).items();
    let mut taken = Vec::new();
    let failed = loop {
        match items.next().await.unwrap() {
            Ok(item) => taken.push(item.authorization_id.unwrap().as_u128()),
            Err(error) => break error,
        }
    };
    assert_eq!(failed.status().map(|s| s.as_u16()), Some(400));
    let checkpoint = items.checkpoint().unwrap();
    assert_eq!(checkpoint.token.as_deref(), Some("page-2"));
    assert_eq!(checkpoint.skip, 0);
    let mut rest = client
        .list_personal_access_tokens(USER, &[])
        .items_from(checkpoint);
    while let Some(item) = rest.next().await {
        taken.push(item.unwrap().authorization_id.unwrap().as_u128());
    }
    assert_eq!(taken, [1, 2, 3]);
}

/// A listing started from the caller's own token checkpoints from there.
#[tokio::test]
async fn a_listing_started_from_a_token_checkpoints_from_it() {
    let server = three_pages().await;
    let client = client(&server);
    let mut items = client
        .list_personal_access_tokens(USER, &[])
        .continuation_token("page-2")
        .items();
    assert_eq!(items.checkpoint().unwrap().token.as_deref(), Some("page-2"));
    items.next().await.unwrap().unwrap();
    let checkpoint = items.checkpoint().unwrap();
    assert_eq!(
        (checkpoint.token.as_deref(), checkpoint.skip),
        (Some("page-2"), 1)
    );
}
