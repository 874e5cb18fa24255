//! Paging by continuation token, written once for every operation that pages:
//! [`Pages`] (one decoded page at a time) and [`Items`] (the entries of the
//! pages' `value` lists, one at a time), reached through `.pages()` and
//! `.items()` on the operation's request builder.
//!
//! An operation pages when it takes a `continuationToken` query parameter;
//! the token of the next page comes from the page's `continuationToken`
//! property or, when its body has none, from the `x-ms-continuationtoken`
//! response header. The generated code of such an operation is only the two
//! small impls below ([`Paged`], [`PagedItems`]); sending, retrying and
//! stopping are here.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::client::ClientCore;
use crate::error::Error;
use crate::media::Choices;
use crate::operation::{Call, Endpoint};
use crate::request::Request;
use crate::response::RawResponse;

/// The response header that carries the next page's token when the body
/// does not.
const CONTINUATION_HEADER: &str = "x-ms-continuationtoken";

/// The parameters of an operation that pages by continuation token.
///
/// The crate's own paging operations are the only implementations.
pub trait Paged: Endpoint {
    /// Asks for the page that `token` continues from.
    #[doc(hidden)]
    fn continue_from(&mut self, token: String);

    /// The token of the page after `page` when the page carries it; by
    /// default none, and the `x-ms-continuationtoken` header is read.
    #[doc(hidden)]
    fn next_token(page: &Self::Output) -> Option<String> {
        let _ = page;
        None
    }
}

/// A paging operation whose pages hold a list of entries.
///
/// The crate's own paging operations are the only implementations.
pub trait PagedItems: Paged {
    /// One entry of a page's list.
    type Item;

    /// The entries of one page, in order.
    #[doc(hidden)]
    fn items(page: Self::Output) -> Vec<Self::Item>;
}

impl<'a, E: Paged> Call<'a, E> {
    /// Sends the request and the ones after it, a page at a time, until a
    /// page names no next one.
    ///
    /// Read the pages with [`Pages::next`] or as a
    /// [`Stream`](futures_core::Stream). Each page goes through the client's
    /// retries; a page that fails ends the paging with its error.
    pub fn pages(self) -> Pages<'a, E> {
        Pages {
            client: self.client,
            params: self.params,
            choices: self.choices,
            state: State::Start,
            seen: HashSet::new(),
            pages: 0,
        }
    }
}

impl<'a, E: PagedItems> Call<'a, E> {
    /// Sends the request and the ones after it, and yields the entries of
    /// every page's list, one at a time, in order.
    ///
    /// Read them with [`Items::next`] or as a
    /// [`Stream`](futures_core::Stream). The next page is only asked for once
    /// the entries of the one before are taken. Errors as for
    /// [`pages`](Self::pages).
    pub fn items(self) -> Items<'a, E> {
        Items {
            pages: self.pages(),
            current: Vec::new().into_iter(),
        }
    }
}

/// The pages of a paging operation, from the `pages()` of its request
/// builder.
///
/// It stops after the page that names no next page (no token, `null`, or
/// empty), and fails with [`Error::Paging`] instead of looping when the
/// service names a page it sent before.
#[must_use = "pages do nothing until read"]
pub struct Pages<'a, E: Paged> {
    client: &'a ClientCore,
    params: E,
    /// The media types the caller chose, for every page.
    choices: Choices,
    state: State<'a>,
    /// Every token asked for so far.
    seen: HashSet<String>,
    /// How many pages were read.
    pages: usize,
}

type Pending<'a> = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send + 'a>>;

enum State<'a> {
    /// Nothing sent yet.
    Start,
    /// A page is on its way.
    Sending(Pending<'a>),
    /// The next page is asked for by this token.
    Next(String),
    /// The next call yields this error, then the paging ends.
    Failed(Error),
    Done,
}

// `Pages` never pins what it holds in place: the request in flight is boxed
// and the parameters are only ever used by reference or moved.
impl<E: Paged> Unpin for Pages<'_, E> {}

impl<E: Paged> Pages<'_, E> {
    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<E::Output, Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<E::Output, Error>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(error) => return Poll::Ready(Some(Err(error))),
                State::Start => self.send(),
                State::Next(token) => {
                    self.params.continue_from(token);
                    self.send();
                }
                State::Sending(mut pending) => {
                    let response = match pending.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = State::Sending(pending);
                            return Poll::Pending;
                        }
                        Poll::Ready(response) => response,
                    };
                    return Poll::Ready(Some(self.read(response)));
                }
            }
        }
    }

    /// Builds the request of the next page and starts sending it; a request
    /// that fails its checks is the next call's error.
    fn send(&mut self) {
        let mut request = Request::new(E::OPERATION);
        let built = self
            .params
            .build(&mut request)
            .and_then(|()| self.choices.apply(&mut request));
        self.state = match built {
            Ok(()) => {
                let client = self.client;
                State::Sending(Box::pin(async move { client.execute(request).await }))
            }
            Err(error) => State::Failed(error),
        };
    }

    /// Decodes a page and decides what comes after it.
    fn read(&mut self, response: Result<RawResponse, Error>) -> Result<E::Output, Error> {
        let response = response?;
        let page = E::decode(&response)?;
        self.pages += 1;
        let token = E::next_token(&page).or_else(|| response.continuation_header());
        self.state = match token {
            None => State::Done,
            Some(token) if token.is_empty() => State::Done,
            Some(token) if !self.seen.insert(token.clone()) => State::Failed(Error::paging(
                E::OPERATION.id,
                format!(
                    "page {} names a continuation token the service sent before; \
                     stopping instead of reading the same pages again",
                    self.pages
                ),
            )),
            Some(token) => State::Next(token),
        };
        Ok(page)
    }
}

impl<E: Paged> futures_core::Stream for Pages<'_, E> {
    type Item = Result<E::Output, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

impl<E: Paged> fmt::Debug for Pages<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Start => "not started",
            State::Sending(_) => "sending",
            State::Next(_) => "between pages",
            State::Failed(_) => "failed",
            State::Done => "done",
        };
        // Tokens stay out: they are opaque and of no use to a reader.
        f.debug_struct("Pages")
            .field("operation", &E::OPERATION.id)
            .field("pages_read", &self.pages)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// The entries of every page of a paging operation, from the `items()` of
/// its request builder.
#[must_use = "items do nothing until read"]
pub struct Items<'a, E: PagedItems> {
    pages: Pages<'a, E>,
    /// What is left of the page being read.
    current: std::vec::IntoIter<E::Item>,
}

impl<E: PagedItems> Unpin for Items<'_, E> {}

impl<E: PagedItems> Items<'_, E> {
    /// The next entry, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<E::Item, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<E::Item, Error>>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(self.pages.poll_page(cx)) {
                Some(Ok(page)) => self.current = E::items(page).into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<E: PagedItems> futures_core::Stream for Items<'_, E> {
    type Item = Result<E::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<E: PagedItems> fmt::Debug for Items<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("left_in_page", &self.current.len())
            .finish()
    }
}

impl RawResponse {
    /// The next page's token from the `x-ms-continuationtoken` header, for
    /// pages that do not carry it in the body.
    fn continuation_header(&self) -> Option<String> {
        let value = self.headers.get(CONTINUATION_HEADER)?.to_str().ok()?;
        Some(value.to_owned())
    }
}
