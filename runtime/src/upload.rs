//! The body of an operation that uploads bytes: [`UploadBody`], bytes in memory
//! (sent again by a retry) or a stream (sent as it is read, and so only once).

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

/// The body of an operation that uploads bytes (`application/octet-stream`,
/// `application/zip`, ...): its method takes anything that converts into one.
///
/// - Bytes in memory (`&[u8]`, `&Vec<u8>`, `Vec<u8>`, [`Bytes`]) are sent as
///   they are, and again by a retry (see [`RetryPolicy`](crate::RetryPolicy)).
/// - A stream ([`UploadBody::stream`], a `tokio::fs::File`, or a
///   `reqwest::Body` made from a stream) is sent as it is read, chunk by chunk,
///   never held whole in memory: the way to upload a large file. It can be
///   read only once, so a request with a streamed body is **never retried**:
///   a failure the client would have retried comes back as
///   [`Error::StreamNotRetried`](crate::Error::StreamNotRetried), holding
///   the failure; send the request again with a new stream if that is safe.
///   A stream is sent with chunked transfer encoding (no `Content-Length`).
///   The client's `timeout` bounds the whole exchange, upload included: give
///   a client for large uploads a longer one.
///
/// ```no_run
/// use azure_devops_runtime::UploadBody;
///
/// # async fn example() -> std::io::Result<()> {
/// let in_memory = UploadBody::from(&b"PK\x03\x04..."[..]);
/// assert!(!in_memory.is_stream());
/// let file = UploadBody::from(tokio::fs::File::open("artifact.zip").await?);
/// assert!(file.is_stream());
/// # Ok(())
/// # }
/// ```
pub struct UploadBody<'a>(Source<'a>);

enum Source<'a> {
    Borrowed(&'a [u8]),
    Shared(Bytes),
    /// Shared with the request built from it, which takes the stream out
    /// only when it is sent (a preview leaves it in place).
    Stream(StreamSlot),
}

/// Where a streamed body waits until the request is sent.
pub(crate) type StreamSlot = Arc<Mutex<Option<reqwest::Body>>>;

impl UploadBody<'static> {
    /// A body read from a stream of chunks as it is sent, for instance a
    /// `tokio_util::io::ReaderStream` over any `AsyncRead`. An item that is
    /// an error ends the upload: the request fails with an
    /// [`Error::Transport`](crate::Error::Transport) (inside
    /// [`Error::StreamNotRetried`](crate::Error::StreamNotRetried) when the
    /// client would have retried it).
    pub fn stream<S>(stream: S) -> UploadBody<'static>
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        UploadBody::from(reqwest::Body::wrap_stream(stream))
    }
}

impl UploadBody<'_> {
    /// Whether the body is a stream, sent once and never retried.
    pub fn is_stream(&self) -> bool {
        matches!(self.0, Source::Stream(_))
    }

    /// The bytes in memory, or the slot of a stream.
    pub(crate) fn parts(&self) -> Result<Bytes, StreamSlot> {
        match &self.0 {
            Source::Borrowed(bytes) => Ok(Bytes::copy_from_slice(bytes)),
            Source::Shared(bytes) => Ok(bytes.clone()),
            Source::Stream(slot) => Err(Arc::clone(slot)),
        }
    }
}

impl<'a> From<&'a [u8]> for UploadBody<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        UploadBody(Source::Borrowed(bytes))
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for UploadBody<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        UploadBody(Source::Borrowed(bytes))
    }
}

impl<'a> From<&'a Vec<u8>> for UploadBody<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        UploadBody(Source::Borrowed(bytes))
    }
}

impl From<Vec<u8>> for UploadBody<'_> {
    fn from(bytes: Vec<u8>) -> Self {
        UploadBody(Source::Shared(Bytes::from(bytes)))
    }
}

impl From<Bytes> for UploadBody<'_> {
    fn from(bytes: Bytes) -> Self {
        UploadBody(Source::Shared(bytes))
    }
}

/// A file, read as it is sent.
impl From<tokio::fs::File> for UploadBody<'_> {
    fn from(file: tokio::fs::File) -> Self {
        UploadBody::from(reqwest::Body::from(file))
    }
}

/// A `reqwest::Body`: in memory when it was made from bytes (then retried as
/// bytes are), else a stream.
impl From<reqwest::Body> for UploadBody<'_> {
    fn from(body: reqwest::Body) -> Self {
        match body.as_bytes() {
            Some(bytes) => UploadBody(Source::Shared(Bytes::copy_from_slice(bytes))),
            None => UploadBody(Source::Stream(Arc::new(Mutex::new(Some(body))))),
        }
    }
}

/// The length of bytes in memory; never a stream's content.
impl fmt::Debug for UploadBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Borrowed(bytes) => write!(f, "UploadBody({} bytes)", bytes.len()),
            Source::Shared(bytes) => write!(f, "UploadBody({} bytes)", bytes.len()),
            Source::Stream(_) => f.write_str("UploadBody(stream)"),
        }
    }
}
