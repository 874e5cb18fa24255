//! End-to-end tests of bodies that are not JSON, in `fixture-coverage`, against servers on
//! 127.0.0.1: uploads from memory and from streams (and why a streamed one is never
//! retried), downloads read whole or as a stream past the 32 MiB in-memory limit, the
//! choice among several declared media types, and the response headers an operation
//! declares, read typed.

use std::time::Duration;

use bytes::Bytes;
use fixture_coverage::{
    ApiResponse, Client, Credential, Error, GetArtifactsHeaders, ListPagedHeaders, RetryPolicy,
    UploadBody,
};
use futures::StreamExt;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// More than the 32 MiB a success body read into memory may have.
const LARGE: usize = 40 * 1024 * 1024;

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder(Credential::pat("fixture-pat"))
        .base_url(&server.uri())
        .unwrap()
        .retry(retry)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

fn retrying() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        max_total_wait: Duration::from_secs(5),
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
    }
}

/// Byte `i` of the large bodies: not a repeating pattern of any short period.
fn byte_at(i: usize) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 13) as u8
}

fn large_body() -> Vec<u8> {
    (0..LARGE).map(byte_at).collect()
}

/// `len` bytes as a stream of 64 KiB chunks, made as they are asked for.
fn chunks(len: usize) -> impl futures::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    const CHUNK: usize = 64 * 1024;
    futures::stream::iter((0..len).step_by(CHUNK).map(move |start| {
        let end = (start + CHUNK).min(len);
        Ok(Bytes::from((start..end).map(byte_at).collect::<Vec<u8>>()))
    }))
}

/// A `Thing` as the service sends it.
fn thing_json(name: &str) -> serde_json::Value {
    serde_json::json!({"id": uuid::Uuid::nil(), "name": name, "count": 1})
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header_of<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

// ----- uploads ----------------------------------------------------------------------------

/// A stream larger than the in-memory limit is sent as it is read (chunked, with no
/// `Content-Length`) and arrives whole, byte for byte.
#[tokio::test]
async fn a_streamed_upload_larger_than_the_limit_arrives_whole() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/_apis/files/big.bin"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let stored = client(&server, RetryPolicy::none())
        .upload_files("big.bin", UploadBody::stream(chunks(LARGE)))
        .await
        .unwrap();
    assert_eq!(stored, "stored");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(header_of(request, "transfer-encoding"), Some("chunked"));
    assert_eq!(header_of(request, "content-length"), None);
    assert_eq!(request.body.len(), LARGE);
    assert!(request.body == large_body(), "the body arrived changed");
}

/// A file is streamed too; bytes in memory keep their `Content-Length`.
#[tokio::test]
async fn a_file_is_streamed_and_bytes_in_memory_are_sent_whole() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("ok", "text/plain"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file_path = dir.path().join("upload.bin");
    let content: Vec<u8> = (0..300_000).map(byte_at).collect();
    std::fs::write(&file_path, &content).unwrap();
    let client = client(&server, RetryPolicy::none());

    let file = tokio::fs::File::open(&file_path).await.unwrap();
    client.upload_files("from-file", file).await.unwrap();
    client.upload_files("from-slice", &content).await.unwrap();
    client
        .upload_files("from-bytes", Bytes::from(content.clone()))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert!(request.body == content, "{}", request.url);
    }
    assert_eq!(
        header_of(&requests[0], "transfer-encoding"),
        Some("chunked")
    );
    let length = content.len().to_string();
    assert_eq!(
        header_of(&requests[1], "content-length"),
        Some(length.as_str())
    );
    assert_eq!(
        header_of(&requests[2], "content-length"),
        Some(length.as_str())
    );
}

/// A streamed body cannot be sent twice: a failure the client would retry (here a `503` to
/// an idempotent PUT) comes back at once, saying so, after one request; the same body in
/// memory is retried and succeeds.
#[tokio::test]
async fn a_streamed_upload_is_never_retried_but_bytes_in_memory_are() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server, retrying());
    let err = client
        .upload_files("a.bin", UploadBody::stream(chunks(100_000)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::StreamNotRetried { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(
        err.to_string()
            .contains("not retried: the request body was a stream"),
        "{err}"
    );
    assert!(err.is_retryable(), "a new stream may succeed: {err}");
    assert_eq!(received(&server).await.len(), 1);

    let content: Vec<u8> = (0..100_000).map(byte_at).collect();
    let response = client
        .upload_files("a.bin", &content)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 1, "the 503 was used up by the stream");
    // A second service, failing first again: the bytes in memory are sent twice.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .mount(&server)
        .await;
    let response = self::client(&server, retrying())
        .upload_files("a.bin", &content)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    let requests = received(&server).await;
    assert!(requests.iter().all(|r| r.body == content));
}

/// A `401` to an expiring token sends a request again with a new token, but not one whose
/// streamed body is gone: that is the error, after one request and one token.
#[tokio::test]
async fn a_streamed_upload_is_not_sent_again_after_a_401() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .mount(&server)
        .await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let credential = Credential::token_provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            Ok::<_, std::io::Error>(fixture_coverage::AccessToken::new(
                format!("token-{n}"),
                std::time::SystemTime::now() + Duration::from_secs(3600),
            ))
        }
    });
    let client = Client::builder(credential)
        .base_url(&server.uri())
        .unwrap()
        .retry(retrying())
        .build()
        .unwrap();
    let err = client
        .upload_files("a.bin", UploadBody::stream(chunks(1000)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::StreamNotRetried { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(received(&server).await.len(), 1);

    // The same upload from memory is sent again with a new token.
    client.upload_files("a.bin", b"bytes").await.unwrap();
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

/// An error in the caller's stream ends the upload with that error, not retried.
#[tokio::test]
async fn a_failing_stream_ends_the_upload() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .mount(&server)
        .await;
    let failing = futures::stream::iter(vec![
        Ok(Bytes::from_static(b"first chunk")),
        Err(std::io::Error::other("disk gone")),
    ]);
    let err = client(&server, retrying())
        .upload_files("a.bin", UploadBody::stream(failing))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::StreamNotRetried { .. }), "{err:?}");
    assert!(err.is_transport(), "{err:?}");
    assert!(received(&server).await.len() <= 1);
}

/// A preview shows a streamed body without reading it: the builder still sends it whole.
#[tokio::test]
async fn a_preview_leaves_the_stream_for_the_request() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let builder = client.upload_files("a.bin", UploadBody::stream(chunks(1000)));
    let preview = builder.preview().unwrap();
    assert_eq!(preview.body.as_deref(), Some("<stream>"));
    assert!(format!("{builder:?}").contains("<stream>"));
    builder.await.unwrap();
    assert_eq!(received(&server).await[0].body.len(), 1000);
}

/// An optional binary body: sent when set (in memory or streamed), absent otherwise.
#[tokio::test]
async fn an_optional_binary_body_is_sent_only_when_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    client.append_files("log").await.unwrap();
    client.append_files("log").body(b"abc").await.unwrap();
    client
        .append_files("log")
        .body(UploadBody::stream(chunks(10)))
        .await
        .unwrap();
    let requests = received(&server).await;
    assert!(requests[0].body.is_empty());
    assert_eq!(header_of(&requests[0], "content-type"), None);
    assert_eq!(requests[1].body, b"abc");
    assert_eq!(requests[2].body.len(), 10);
    for request in &requests[1..] {
        assert_eq!(
            header_of(request, "content-type"),
            Some("application/octet-stream")
        );
    }
}

// ----- downloads --------------------------------------------------------------------------

/// A body over 32 MiB is refused by `send()`, which holds it in memory, and read whole by
/// `send_streamed()`, chunk by chunk.
#[tokio::test]
async fn a_download_larger_than_the_limit_is_read_as_a_stream() {
    let server = MockServer::start().await;
    let body = large_body();
    Mock::given(method("GET"))
        .and(path("/_apis/files/big.zip"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/zip"))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());

    let err = client.download_files("big.zip").await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");

    let mut download = client
        .download_files("big.zip")
        .send_streamed()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.content_type(), Some("application/zip"));
    assert_eq!(download.content_length(), Some(LARGE as u64));
    let mut read = 0usize;
    let mut count = 0usize;
    let mut same = true;
    while let Some(chunk) = download.next().await {
        let chunk = chunk.unwrap();
        same &= chunk
            .iter()
            .enumerate()
            .all(|(i, &b)| b == byte_at(read + i));
        read += chunk.len();
        count += 1;
    }
    assert_eq!(read, LARGE);
    assert!(same, "the body arrived changed");
    assert!(count > 1, "read in {count} chunk(s)");
}

/// `write_to` copies the body into any `AsyncWrite` (a file here) and says how much.
#[tokio::test]
async fn a_download_is_written_into_a_file() {
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..500_000).map(byte_at).collect();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/zip"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file_path = dir.path().join("download.zip");
    let mut file = tokio::fs::File::create(&file_path).await.unwrap();
    let written = client(&server, RetryPolicy::none())
        .download_files("a.zip")
        .send_streamed()
        .await
        .unwrap()
        .write_to(&mut file)
        .await
        .unwrap();
    drop(file);
    assert_eq!(written, body.len() as u64);
    assert!(std::fs::read(&file_path).unwrap() == body);
}

/// A streamed download is retried like any request until a success arrives; an error
/// status is an error, its body kept as usual.
#[tokio::test]
async fn a_streamed_download_is_retried_until_its_response_arrives() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("content", "application/zip"))
        .mount(&server)
        .await;
    let mut download = client(&server, retrying())
        .download_files("a.zip")
        .send_streamed()
        .await
        .unwrap();
    assert_eq!(download.attempts(), 2);
    assert_eq!(
        download.chunk().await.unwrap().as_deref(),
        Some(&b"content"[..])
    );
    assert_eq!(download.chunk().await.unwrap(), None);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such file"))
        .mount(&server)
        .await;
    let err = client(&server, retrying())
        .download_files("a.zip")
        .send_streamed()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.body_text(), Some("no such file"));
}

// ----- several media types ----------------------------------------------------------------

/// A body declared as JSON Patch and as JSON goes as the first by default, as the other
/// when asked; a media type the operation does not declare is refused before sending.
#[tokio::test]
async fn the_content_type_of_a_body_is_chosen_among_the_declared() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json("thing")))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let change = fixture_coverage::models::JsonPatchOperation {
        op: fixture_coverage::models::JsonPatchOperationOp::Add,
        path: "/name".into(),
        value: Some(serde_json::json!("thing")),
    };
    let changes = [change];
    client
        .reapply_things(uuid::Uuid::nil(), &changes)
        .await
        .unwrap();
    client
        .reapply_things(uuid::Uuid::nil(), &changes)
        .content_type("Application/JSON")
        .await
        .unwrap();
    let err = client
        .reapply_things(uuid::Uuid::nil(), &changes)
        .content_type("text/xml")
        .await
        .unwrap_err();
    let details = err
        .invalid_request_details()
        .expect("refused before sending");
    assert_eq!(details.field(), "Content-Type");
    assert!(
        details
            .rule()
            .contains("(application/json-patch+json, application/json), not \"text/xml\""),
        "{err}"
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the undeclared one was not sent");
    let types: Vec<_> = requests
        .iter()
        .map(|r| header_of(r, "content-type"))
        .collect();
    assert_eq!(
        types,
        [
            Some("application/json-patch+json"),
            Some("application/json")
        ]
    );
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same value either way"
    );

    // Bytes too: octet-stream by default, a zip when asked.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client
        .append_files("log")
        .body(b"PK")
        .content_type("application/zip")
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        header_of(&requests[2], "content-type"),
        Some("application/zip")
    );
}

/// A response declared in several media types: the client asks for all of those `send()`
/// reads, or for the one chosen; one of another kind (a zip rather than JSON) is read with
/// `send_streamed()`.
#[tokio::test]
async fn the_accepted_media_type_is_chosen_among_the_declared() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/files/a.bin"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("raw", "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/artifacts/drop"))
        .and(header("accept", "application/zip"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("PK zip", "application/zip"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/artifacts/drop"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json("drop")))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());

    assert_eq!(client.download_files("a.bin").await.unwrap(), "raw");
    let raw = client
        .download_files("a.bin")
        .accept("application/octet-stream")
        .await
        .unwrap();
    assert_eq!(raw, "raw");
    let err = client
        .download_files("a.bin")
        .accept("image/png")
        .await
        .unwrap_err();
    assert_eq!(
        err.invalid_request_details().map(|d| d.field()),
        Some("Accept")
    );

    let described = client.get_artifacts("drop").await.unwrap();
    assert_eq!(described.name, "drop");
    let zip = client
        .get_artifacts("drop")
        .accept("application/zip")
        .send_streamed()
        .await
        .unwrap();
    assert_eq!(zip.content_type(), Some("application/zip"));
    let mut content = Vec::new();
    zip.write_to(&mut content).await.unwrap();
    assert_eq!(content, b"PK zip");

    let accepts: Vec<_> = received(&server)
        .await
        .iter()
        .map(|r| header_of(r, "accept").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        accepts,
        [
            "application/zip, application/octet-stream",
            "application/octet-stream",
            "application/json",
            "application/zip",
        ]
    );
}

// ----- declared response headers ----------------------------------------------------------

/// Headers a success response declares are read typed; an absent one is `None`, one that
/// is not of its declared type an error naming it.
#[tokio::test]
async fn declared_response_headers_are_read_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/artifacts/counted"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v7\"")
                .insert_header("x-ms-file-count", "12")
                .set_body_json(thing_json("artifact")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/artifacts/bare"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json("artifact")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/artifacts/odd"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-file-count", "a dozen")
                .set_body_json(thing_json("artifact")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/other/pages"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-continuationtoken", "page-2")
                .set_body_json(serde_json::json!([])),
        )
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());

    let response: ApiResponse<_> = client
        .get_artifacts("counted")
        .send_with_response()
        .await
        .unwrap();
    let headers: GetArtifactsHeaders = response.declared_headers().unwrap();
    assert_eq!(
        headers,
        GetArtifactsHeaders {
            e_tag: Some("\"v7\"".to_owned()),
            x_ms_file_count: Some(12),
        }
    );

    let response = client
        .get_artifacts("bare")
        .send_with_response()
        .await
        .unwrap();
    let headers: GetArtifactsHeaders = response.declared_headers().unwrap();
    assert_eq!(headers, GetArtifactsHeaders::default());

    let response = client
        .get_artifacts("odd")
        .send_with_response()
        .await
        .unwrap();
    let err = response
        .declared_headers::<GetArtifactsHeaders>()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidHeader {
                name: "x-ms-file-count",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the response header x-ms-file-count is not a 32-bit integer, as the operation declares"
    );

    // Also on a download, and on a page of an operation that pages by this very header.
    let download = client
        .get_artifacts("counted")
        .accept("application/zip")
        .send_streamed()
        .await
        .unwrap();
    let headers: GetArtifactsHeaders = download.declared_headers().unwrap();
    assert_eq!(headers.x_ms_file_count, Some(12));
    let page = client.list_paged().send_with_response().await.unwrap();
    let headers: ListPagedHeaders = page.declared_headers().unwrap();
    assert_eq!(headers.x_ms_continuationtoken.as_deref(), Some("page-2"));
}

/// A media type chosen for an operation that pages is asked for on every page.
#[tokio::test]
async fn a_chosen_media_type_holds_for_every_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/other/pages"))
        .and(wiremock::matchers::query_param_is_missing(
            "continuationToken",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-continuationtoken", "t2")
                .set_body_raw(
                    serde_json::json!([thing_json("one")]).to_string(),
                    "text/json",
                ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/_apis/other/pages"))
        .and(wiremock::matchers::query_param("continuationToken", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            serde_json::json!([thing_json("two")]).to_string(),
            "text/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let mut items = client.list_paged().accept("text/json").items();
    let mut names = Vec::new();
    while let Some(thing) = items.next().await {
        names.push(thing.unwrap().name);
    }
    assert_eq!(names, ["one", "two"]);
    let accepts: Vec<_> = received(&server)
        .await
        .iter()
        .map(|r| header_of(r, "accept").map(str::to_owned))
        .collect();
    assert_eq!(
        accepts,
        [Some("text/json".to_owned()), Some("text/json".to_owned())]
    );
}
