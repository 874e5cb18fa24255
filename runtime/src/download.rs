//! Success bodies read as a stream of chunks: [`StreamedResponse`], the
//! operations that have it, the request builder's `send_streamed()` and
//! [`Download`], the response with its body unread.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::error::Error;
use crate::headers::ResponseHeaders;
use crate::operation::{Call, Endpoint};
use crate::retry::RateLimit;

/// An operation whose success body is text or bytes (a log, a file, a zip),
/// or may be when asked for with the request builder's `accept()`: besides
/// `send()`, which reads the whole body into memory (at most 32 MiB), it can
/// be read as a stream with `send_streamed()`.
pub trait StreamedResponse: Endpoint {}

impl<E: StreamedResponse> Call<'_, E> {
    /// Sends the request and returns the success response with its body
    /// unread: a [`Download`], read chunk by chunk as it arrives (a
    /// [`Stream`] of [`Bytes`], [`Download::chunk`], or
    /// [`Download::write_to`] a file), with no limit on its size.
    ///
    /// The request is retried as [`send`](Self::send) retries it, until a
    /// response with a success status arrives; a failure while reading the
    /// body is returned by the stream and not retried. The client's
    /// `timeout` bounds the whole exchange,
    /// the body included: give a client for large downloads a longer one.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), but for the body's size and decoding.
    pub async fn send_streamed(self) -> Result<Download, Error> {
        let mut request = self.request()?;
        request.streamed_response = true;
        let response = self.client.execute(request).await?;
        let Some(unread) = response.unread else {
            // `execute` leaves the body of a streamed request unread.
            return Err(Error::invalid_request(
                "response",
                "was read although it was asked for as a stream",
            ));
        };
        Ok(Download {
            status: response.status,
            headers: response.headers,
            rate_limit: response.rate_limit,
            attempts: response.attempts,
            body: Box::pin(unread.bytes_stream()),
        })
    }
}

/// A success response whose body is read as it arrives, from the request
/// builder's `send_streamed()`: a
/// [`Stream`] of chunks (`Result<Bytes, Error>`, a failure being
/// [`Error::Transport`]), never held whole in memory.
pub struct Download {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    attempts: u32,
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
}

impl Download {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The media type the service sent (`Content-Type`), if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(header::CONTENT_TYPE)?.to_str().ok()
    }

    /// The length of the body the service announced (`Content-Length`), if
    /// it did.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The rate-limit headers of the response.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// How many attempts the request took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The headers the operation declares, typed (see
    /// [`ApiResponse::declared_headers`](crate::ApiResponse::declared_headers)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHeader`] when a declared header's value is not of its
    /// declared type.
    pub fn declared_headers<H: ResponseHeaders>(&self) -> Result<H, Error> {
        H::read(&self.headers)
    }

    /// The next chunk of the body, `None` at its end.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the connection fails (or the client's
    /// timeout passes) before the whole body arrived.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        std::future::poll_fn(|cx| self.body.as_mut().poll_next(cx))
            .await
            .transpose()
            .map_err(Error::transport)
    }

    /// Writes the whole body into `writer` as it arrives (and flushes it);
    /// returns how many bytes were written.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when reading the body fails, [`Error::Write`]
    /// when writing fails; what was written before stays written.
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let mut written: u64 = 0;
        while let Some(chunk) = self.chunk().await? {
            writer
                .write_all(&chunk)
                .await
                .map_err(|source| Error::Write { source })?;
            written += chunk.len() as u64;
        }
        writer
            .flush()
            .await
            .map_err(|source| Error::Write { source })?;
        Ok(written)
    }
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.body
            .as_mut()
            .poll_next(cx)
            .map(|chunk| chunk.map(|c| c.map_err(Error::transport)))
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}
