//! Choosing among the media types an operation declares: the `Content-Type`
//! of a body the service takes in several ([`ContentTypes`], the request
//! builder's `content_type()`) and the `Accept` of responses it sends in
//! several ([`AcceptTypes`], `accept()`).

use crate::error::Error;
use crate::operation::{Call, Endpoint};
use crate::request::Request;

/// An operation whose request body the service takes in several media types
/// of the same kind (say `application/json` and
/// `application/json-patch+json`, or `application/octet-stream` and
/// `application/zip`). The client sends the first its description lists;
/// the request builder's `content_type()` chooses another.
pub trait ContentTypes: Endpoint {
    /// The declared media types of the body, the default first.
    #[doc(hidden)]
    const CONTENT_TYPES: &'static [&'static str];
}

/// An operation whose success responses the service sends in several media
/// types. By default the client asks (`Accept`) for every type of the kind
/// `send()` reads (JSON, text or bytes); the request builder's `accept()`
/// asks for one.
pub trait AcceptTypes: Endpoint {
    /// The declared media types of the success responses.
    #[doc(hidden)]
    const ACCEPT: &'static [&'static str];
}

/// The media types a caller chose, applied when the request is built.
#[derive(Debug, Default)]
pub struct Choices {
    content_type: Option<Choice>,
    accept: Option<Choice>,
}

/// A media type asked for, and those the operation declares.
#[derive(Debug)]
struct Choice {
    asked: String,
    declared: &'static [&'static str],
}

impl Choice {
    /// The declared media type asked for (ASCII case ignored), or why not.
    fn resolve(&self, header: &str) -> Result<&'static str, Error> {
        self.declared
            .iter()
            .find(|m| m.eq_ignore_ascii_case(self.asked.trim()))
            .copied()
            .ok_or_else(|| {
                Error::invalid_request(
                    header,
                    format!(
                        "must be a media type the operation declares ({}), not {:?}",
                        self.declared.join(", "),
                        self.asked
                    ),
                )
            })
    }
}

impl Choices {
    /// Sets the chosen headers on the request the operation built.
    pub(crate) fn apply(&self, request: &mut Request) -> Result<(), Error> {
        if let Some(choice) = &self.content_type {
            request.replace_header("Content-Type", choice.resolve("Content-Type")?);
        }
        if let Some(choice) = &self.accept {
            request.replace_header("Accept", choice.resolve("Accept")?);
        }
        Ok(())
    }
}

impl<E: ContentTypes> Call<'_, E> {
    /// Sends the body as `media` (`Content-Type`), one of the media types the
    /// operation declares for it (its method's docs list them), rather than
    /// the first. The body itself is the same value.
    ///
    /// A media type the operation does not declare makes
    /// [`send`](Call::send) fail with [`Error::InvalidRequest`] before
    /// anything is sent.
    pub fn content_type(mut self, media: &str) -> Self {
        self.choices.content_type = Some(Choice {
            asked: media.to_owned(),
            declared: E::CONTENT_TYPES,
        });
        self
    }
}

impl<E: AcceptTypes> Call<'_, E> {
    /// Asks for the response as `media` only (`Accept`), one of the media
    /// types the operation declares (its method's docs list them). The
    /// service's choice is in the response's `Content-Type`.
    ///
    /// [`send`](Call::send) reads the body as the operation's output type: to
    /// read a body of another kind (a zip rather than JSON, say), use
    /// `send_streamed()` where the operation has it. A
    /// media type the operation does not declare makes `send` fail with
    /// [`Error::InvalidRequest`] before anything is sent.
    pub fn accept(mut self, media: &str) -> Self {
        self.choices.accept = Some(Choice {
            asked: media.to_owned(),
            declared: E::ACCEPT,
        });
        self
    }
}
