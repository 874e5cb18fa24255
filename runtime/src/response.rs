//! A response: reading it with the body limits, into a [`RawResponse`] for
//! the operation to decode, or into an error; and the [`ApiResponse`] a
//! caller receives.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::correlation::{Correlation, Sent, SentIds};
use crate::error::{Error, body_to_text};
use crate::headers::ResponseHeaders;
use crate::retry::RateLimit;

/// Largest success body the client reads (32 MiB).
pub(crate) const SUCCESS_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// How much of an error response body is kept (64 KiB); the rest is dropped
/// and [`Error::is_body_truncated`] says so.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A response whose status is one the operation declares as success, with
/// its whole body, for the operation's [`Endpoint::decode`](crate::Endpoint).
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The response with its body unread, for a [`Download`](crate::Download).
    pub(crate) unread: Option<reqwest::Response>,
    pub(crate) rate_limit: RateLimit,
    /// How many attempts it took (set by the retry loop).
    pub(crate) attempts: u32,
    /// The ids the request was sent with (set by the retry loop).
    pub(crate) sent: Option<SentIds>,
}

impl RawResponse {
    /// Reads one HTTP response: with a status among `success`, the response
    /// and its whole body (at most `SUCCESS_BODY_LIMIT` bytes), or with the
    /// body left unread when `streamed`; with any other status, [`Error::Http`]
    /// keeping at most `ERROR_BODY_LIMIT` bytes of it.
    pub(crate) async fn read(
        mut response: reqwest::Response,
        success: &[u16],
        streamed: bool,
        sent: Sent<'_>,
    ) -> Result<RawResponse, Error> {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let rate_limit = RateLimit::from_headers(&headers);

        if !success.contains(&status.as_u16()) {
            // An error status: keep at most ERROR_BODY_LIMIT bytes. A failure
            // while reading the body still reports the status received.
            let (body, truncated, read_error) = read_capped(&mut response, ERROR_BODY_LIMIT).await;
            #[cfg(feature = "tracing")]
            tracing::debug!(
                status = status.as_u16(),
                body_truncated = truncated,
                "error response"
            );
            return Err(Error::http(
                status,
                &body,
                truncated || read_error.is_some(),
                rate_limit,
                Correlation::of_response(&headers, Some(sent)),
            ));
        }

        if streamed {
            // Read by the caller, chunk by chunk and without the limit.
            return Ok(RawResponse {
                status,
                headers,
                body: Bytes::new(),
                unread: Some(response),
                rate_limit,
                attempts: 1,
                sent: None,
            });
        }
        if response
            .content_length()
            .is_some_and(|len| len > SUCCESS_BODY_LIMIT as u64)
        {
            return Err(Error::BodyTooLarge {
                status,
                limit: SUCCESS_BODY_LIMIT,
                rate_limit: Box::new(rate_limit),
                correlation: Box::new(Correlation::of_response(&headers, Some(sent))),
            });
        }
        // A 204, or any empty body, needs no read.
        let (body, truncated, read_error) = if response.content_length() == Some(0) {
            (Vec::new(), false, None)
        } else {
            read_capped(&mut response, SUCCESS_BODY_LIMIT).await
        };
        if let Some(error) = read_error {
            return Err(Error::transport(error)
                .with_correlation(Correlation::of_response(&headers, Some(sent))));
        }
        if truncated {
            return Err(Error::BodyTooLarge {
                status,
                limit: SUCCESS_BODY_LIMIT,
                rate_limit: Box::new(rate_limit),
                correlation: Box::new(Correlation::of_response(&headers, Some(sent))),
            });
        }
        Ok(RawResponse {
            status,
            headers,
            body: Bytes::from(body),
            unread: None,
            rate_limit,
            attempts: 1,
            sent: None,
        })
    }

    /// The ids of the request and of the response.
    pub(crate) fn correlation(&self) -> Correlation {
        Correlation::of_response(&self.headers, self.sent.as_ref().map(SentIds::borrow))
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Decodes the body as JSON. Lenient where the service is: Azure DevOps
    /// sends a list (or a dictionary) as `{"count": n, "value": ..}` where
    /// descriptions declare the list itself, so a body of just those two
    /// properties that does not decode is read as its `value`; an error then
    /// names the item of `value` that does not decode.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let first = match serde_json::from_slice(&self.body) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        // The wrapper read as it streams; on any failure, the reading below works out
        // which error to report.
        let mut wrapped_body = serde_json::Deserializer::from_slice(&self.body);
        if let Ok(value) = crate::json::read_wrapped(&mut wrapped_body)
            && wrapped_body.end().is_ok()
        {
            return Ok(value);
        }
        let source = match wrapped(&self.body) {
            Some(value) => match serde_json::from_value(value) {
                Ok(value) => return Ok(value),
                // A type that reads the wrapper itself failed inside it (its error
                // names a property): that error says what is wrong.
                Err(_) if first.to_string().starts_with("at .") => first,
                Err(error) => wrapped_error::<T>(&self.body).unwrap_or(error),
            },
            None => first,
        };
        let truncated = self.body.len() > ERROR_BODY_LIMIT;
        let kept = if truncated {
            Bytes::copy_from_slice(self.body.get(..ERROR_BODY_LIMIT).unwrap_or_default())
        } else {
            self.body.clone()
        };
        Err(Error::Decode {
            status: self.status,
            body: kept,
            body_truncated: truncated,
            source,
            rate_limit: Box::new(self.rate_limit.clone()),
            correlation: Box::new(self.correlation()),
        })
    }

    /// The body as text; bytes that are not UTF-8 are replaced (U+FFFD).
    pub fn text(&self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as it came (shared, not copied).
    pub fn bytes(&self) -> Result<Bytes, Error> {
        Ok(self.body.clone())
    }

    /// Wraps the decoded value with the response's status and headers.
    pub(crate) fn into_api_response<T>(self, value: T) -> ApiResponse<T> {
        let correlation = self.correlation();
        ApiResponse {
            status: self.status,
            headers: self.headers,
            rate_limit: self.rate_limit,
            attempts: self.attempts,
            correlation,
            value,
        }
    }

    /// The error for a success status the operation has no handling for.
    pub fn unexpected(&self) -> Error {
        let truncated = self.body.len() > ERROR_BODY_LIMIT;
        let kept = self.body.get(..ERROR_BODY_LIMIT).unwrap_or(&self.body);
        Error::UnexpectedStatus {
            status: self.status,
            body: body_to_text(kept),
            body_truncated: truncated,
            rate_limit: Box::new(self.rate_limit.clone()),
            correlation: Box::new(self.correlation()),
        }
    }
}

/// A successful response: the decoded value with the status and headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    attempts: u32,
    correlation: Correlation,
    value: T,
}

impl<T> ApiResponse<T> {
    /// How many attempts the request took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The ids of the request and of the service's response (`ActivityId`,
    /// `X-TFS-Session`, `X-VSS-E2EID`).
    pub fn correlation(&self) -> &Correlation {
        &self.correlation
    }

    /// The headers the operation declares on its success responses, typed:
    /// `H` is the operation's headers type (such as `GetThingHeaders`), named
    /// in its method's docs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHeader`] when a declared header's value is not of its
    /// declared type.
    pub fn declared_headers<H: ResponseHeaders>(&self) -> Result<H, Error> {
        H::read(&self.headers)
    }

    /// The rate-limit headers of the response (Azure DevOps may send them,
    /// and `Retry-After`, on a delayed success too).
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Takes the decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }
}

/// Reads at most `limit` bytes of the body. Returns the bytes, whether the
/// body was longer, and the error that stopped reading, if any.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> (Vec<u8>, bool, Option<reqwest::Error>) {
    let mut buf = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit.saturating_sub(buf.len());
                if chunk.len() > room {
                    buf.extend_from_slice(chunk.get(..room).unwrap_or_default());
                    return (buf, true, None);
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return (buf, false, None),
            Err(error) => return (buf, false, Some(error)),
        }
    }
}

/// The `value` of a body that is a collection wrapper: an object of just
/// `count` (a number) and `value` (an array or an object).
fn wrapped(body: &[u8]) -> Option<serde_json::Value> {
    let serde_json::Value::Object(mut wrapper) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    let counted = wrapper
        .get("count")
        .is_some_and(serde_json::Value::is_number);
    let value = wrapper.remove("value")?;
    (counted && wrapper.len() == 1 && (value.is_array() || value.is_object())).then_some(value)
}

/// Why a wrapper's `value` does not decode as a `T`, at the first item (or
/// entry) that does not: each is decoded alone, as a list (or map) of one.
/// Worked out on the error path only, from the body again.
fn wrapped_error<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<serde_json::Error> {
    let single: Vec<(String, serde_json::Value)> = match wrapped(body)? {
        serde_json::Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| (format!("[{i}]"), serde_json::Value::Array(vec![item])))
            .collect(),
        serde_json::Value::Object(entries) => entries
            .into_iter()
            .map(|(key, entry)| {
                let one = serde_json::Map::from_iter([(key.clone(), entry)]);
                (format!("[{key:?}]"), serde_json::Value::Object(one))
            })
            .collect(),
        _ => return None,
    };
    single.into_iter().find_map(|(at, one)| {
        let error = serde_json::from_value::<T>(one).err()?;
        let message = error.to_string();
        let rest = message
            .strip_prefix("at ")
            .filter(|r| r.starts_with('.'))
            .map_or_else(|| format!(": {message}"), str::to_owned);
        Some(<serde_json::Error as serde::de::Error>::custom(
            format_args!("at .value{at}{rest}"),
        ))
    })
}
