//! The ids that tie a request to the service's logs, as Microsoft's own clients send them:
//! `X-TFS-Session` (one per [`Client`](crate::Client), or the caller's), `X-VSS-E2EID` (one
//! per request, the same on its retries, or the caller's), and the `ActivityId` the service
//! answers with, which is what Microsoft support asks for. [`Correlation`] is what an
//! [`Error`](crate::Error) or an [`ApiResponse`](crate::ApiResponse) keeps of them.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// `X-TFS-Session`: the session a request belongs to.
pub(crate) const SESSION: HeaderName = HeaderName::from_static("x-tfs-session");
/// `X-VSS-E2EID`: the request's end-to-end id.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-vss-e2eid");
/// `ActivityId`: the service's id of the request.
const ACTIVITY_ID: &str = "activityid";

/// The ids of one request: what to quote to Microsoft support, or to find the request in
/// the service's logs and in the caller's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Correlation {
    /// `ActivityId`: the service's id of the request, from its response.
    pub activity_id: Option<String>,
    /// `X-TFS-Session`: the session of the request (the client's, or the one set on it).
    pub session_id: Option<String>,
    /// `X-VSS-E2EID`: the request's end-to-end id, the same on its retries.
    pub request_id: Option<String>,
}

/// The ids a request was sent with, borrowed from the client and the request while it is
/// sent: copied only into an error.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent<'a> {
    pub(crate) session: &'a HeaderValue,
    pub(crate) request: Option<&'a HeaderValue>,
}

/// The ids a request was sent with, kept by a response for its caller.
#[derive(Debug, Clone)]
pub(crate) struct SentIds {
    pub(crate) session: HeaderValue,
    pub(crate) request: Option<HeaderValue>,
}

impl SentIds {
    pub(crate) fn borrow(&self) -> Sent<'_> {
        Sent {
            session: &self.session,
            request: self.request.as_ref(),
        }
    }
}

impl Correlation {
    /// The ids of a response: the service's (it answers with all three), else those the
    /// request was sent with.
    pub(crate) fn of_response(headers: &HeaderMap, sent: Option<Sent<'_>>) -> Correlation {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let sent_text =
            |value: Option<&HeaderValue>| value.and_then(|v| v.to_str().ok()).map(str::to_owned);
        Correlation {
            activity_id: text(ACTIVITY_ID),
            session_id: text(SESSION.as_str()).or_else(|| sent_text(sent.map(|s| s.session))),
            request_id: text(REQUEST_ID.as_str())
                .or_else(|| sent_text(sent.and_then(|s| s.request))),
        }
    }

    /// The ids a request was sent with, when no response came.
    pub(crate) fn of_request(sent: Sent<'_>) -> Correlation {
        Correlation::of_response(&HeaderMap::new(), Some(sent))
    }

    /// Whether no id is known.
    pub fn is_empty(&self) -> bool {
        *self == Correlation::default()
    }
}

/// `activity id A, request id R, session S`: the ids known, for messages.
impl fmt::Display for Correlation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = [
            ("activity id", &self.activity_id),
            ("request id", &self.request_id),
            ("session", &self.session_id),
        ];
        let mut first = true;
        for (label, value) in ids {
            if let Some(value) = value {
                if !first {
                    f.write_str(", ")?;
                }
                write!(f, "{label} {value}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// A new random id in the form of a version 4 uuid, as a header value (a client's
/// session id).
pub(crate) fn new_id() -> HeaderValue {
    let mut buffer = uuid::Uuid::encode_buffer();
    let text = random_uuid().hyphenated().encode_lower(&mut buffer);
    // A hyphenated uuid is always a valid header value.
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("0"))
}

/// A random version 4 uuid from the thread's fast generator: ids need to be unique, not
/// unguessable.
fn random_uuid() -> uuid::Uuid {
    let bits = fastrand::u128(..);
    // The version (4) and variant (RFC 4122) bits of a random uuid.
    let bits = (bits & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    uuid::Uuid::from_u128(bits)
}

/// The ids of a client's requests (`X-VSS-E2EID`): a random uuid of the client's whose last
/// twelve hex digits count its requests, so that each request's id costs a copy and a few
/// digits rather than random bits and a formatting (it is on every request's path).
pub(crate) struct RequestIds {
    /// The client's random uuid, hyphenated.
    base: [u8; 36],
    next: std::sync::atomic::AtomicU64,
}

impl RequestIds {
    pub(crate) fn new() -> RequestIds {
        let mut base = [0u8; 36];
        let mut buffer = uuid::Uuid::encode_buffer();
        base.copy_from_slice(
            random_uuid()
                .hyphenated()
                .encode_lower(&mut buffer)
                .as_bytes(),
        );
        RequestIds {
            base,
            next: std::sync::atomic::AtomicU64::new(fastrand::u64(..)),
        }
    }

    /// The next request's id.
    pub(crate) fn next(&self) -> HeaderValue {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut id = self.base;
        // The last group: 12 hex digits, the low 48 bits of the count.
        for (i, digit) in id[24..].iter_mut().enumerate() {
            *digit = HEX[((n >> (44 - 4 * i)) & 0xf) as usize];
        }
        HeaderValue::from_bytes(&id).unwrap_or_else(|_| HeaderValue::from_static("0"))
    }
}

/// `id` as a header value, when it is one (no control characters).
pub(crate) fn header_value(what: &str, id: &str) -> Result<HeaderValue, crate::Error> {
    HeaderValue::from_str(id).map_err(|_| {
        crate::Error::invalid_request(
            what,
            "must not contain control characters (not a valid HTTP header value)",
        )
    })
}
