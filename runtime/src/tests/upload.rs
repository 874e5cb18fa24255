//! `runtime/src/upload.rs` and its use by `request.rs`: bodies in memory and streams, and
//! the media types a caller chooses (`media.rs`).

use bytes::Bytes;

use crate::operation::Operation;
use crate::request::Request;
use crate::upload::UploadBody;

fn request() -> Request {
    Request::new(Operation {
        id: "Files_Upload",
        method: reqwest::Method::PUT,
        success: &[201],
        idempotent: true,
        area: &super::AREA,
    })
}

#[test]
fn bytes_in_memory_become_the_body_whatever_they_came_as() {
    let vec = vec![1u8, 2, 3];
    for body in [
        UploadBody::from(&vec[..]),
        UploadBody::from(&vec),
        UploadBody::from(&[1u8, 2, 3]),
        UploadBody::from(vec.clone()),
        UploadBody::from(Bytes::from_static(&[1, 2, 3])),
        UploadBody::from(reqwest::Body::from(vec.clone())),
    ] {
        assert!(!body.is_stream(), "{body:?}");
        assert_eq!(format!("{body:?}"), "UploadBody(3 bytes)");
        let mut request = request();
        request.upload(&body).unwrap();
        assert_eq!(request.body.as_deref(), Some(&[1u8, 2, 3][..]));
        assert!(request.stream.is_none());
        assert!(request.has_body());
    }
}

#[test]
fn a_stream_waits_in_its_slot_until_it_is_taken_once() {
    let chunks = futures_stream(vec![Ok::<_, std::io::Error>(Bytes::from_static(b"a"))]);
    let body = UploadBody::stream(chunks);
    assert!(body.is_stream());
    assert_eq!(format!("{body:?}"), "UploadBody(stream)");
    // Building the request twice (a preview, then the send) shares the one stream.
    let mut first = request();
    first.upload(&body).unwrap();
    let mut second = request();
    second.upload(&body).unwrap();
    assert!(first.body.is_none() && first.has_body());
    let slot = second.stream.clone().unwrap();
    assert!(slot.lock().unwrap().take().is_some(), "there to take");
    assert!(
        first.stream.unwrap().lock().unwrap().take().is_none(),
        "taken once for all"
    );
}

#[test]
fn a_chosen_header_replaces_the_operation_s_or_is_added() {
    let mut request = request();
    request.header_text("Content-Type", "application/octet-stream");
    request.replace_header("content-type", "application/zip");
    request.replace_header("Accept", "text/plain");
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (*n, v.as_ref()))
        .collect();
    assert_eq!(
        headers,
        [
            ("Content-Type", "application/zip"),
            ("Accept", "text/plain")
        ]
    );
}

/// A stream of the given items, without a dependency on `futures`.
fn futures_stream<T: Send + 'static>(
    items: Vec<T>,
) -> impl futures_core::Stream<Item = T> + Send + 'static {
    struct Iter<T>(std::vec::IntoIter<T>);
    impl<T> futures_core::Stream for Iter<T> {
        type Item = T;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    // Never pinned in place: the items are moved out one by one.
    impl<T> Unpin for Iter<T> {}
    Iter(items.into_iter())
}
