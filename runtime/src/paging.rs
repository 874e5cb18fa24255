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
//!
//! A listing can be resumed: [`Pages::checkpoint`] and [`Items::checkpoint`]
//! say where it stands (the token of the page to read next, and how many of
//! that page's items were taken), a [`Checkpoint`] to save, and the request
//! builder's `pages_from()` and `items_from()` start from one.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::client::ClientCore;
use crate::error::Error;
use crate::media::Choices;
use crate::operation::{Call, Endpoint};
use crate::options::CallOptions;
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

    /// The continuation token the caller set, where the pages start.
    #[doc(hidden)]
    fn start_token(&self) -> Option<&str>;

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
        let page_token = self.params.start_token().map(str::to_owned);
        Pages {
            client: self.client,
            params: self.params,
            choices: self.choices,
            options: self.options,
            state: State::Start,
            page_token,
            complete: false,
            seen: HashSet::new(),
            pages: 0,
        }
    }

    /// The pages from where `checkpoint` says a listing stood (see
    /// [`Pages::checkpoint`]), as [`pages`](Self::pages) reads them.
    pub fn pages_from(mut self, checkpoint: Checkpoint) -> Pages<'a, E> {
        if let Some(token) = checkpoint.token {
            self.params.continue_from(token);
        }
        self.pages()
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
            page_len: 0,
            skip: 0,
        }
    }

    /// The items from where `checkpoint` says a listing stood (see
    /// [`Items::checkpoint`]): its page read again, the items of it taken
    /// before left out. That assumes the service sends the page with the
    /// same items again, as Azure DevOps does for a continuation token.
    pub fn items_from(self, checkpoint: Checkpoint) -> Items<'a, E> {
        let skip = checkpoint.skip;
        Items {
            pages: self.pages_from(checkpoint),
            current: Vec::new().into_iter(),
            page_len: 0,
            skip,
        }
    }
}

/// Where a listing stands, to save and resume from after a failure or a
/// restart: from [`Pages::checkpoint`] or [`Items::checkpoint`], given back
/// to the request builder's `pages_from()` or `items_from()`. Serializes as
/// `{"token": "...", "skip": 3}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// The continuation token of the page to read next; `None` for the first
    /// page.
    pub token: Option<String>,
    /// How many items of that page were taken already (always 0 for pages).
    #[serde(default)]
    pub skip: usize,
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
    /// The caller's options of the call, for every page.
    options: Option<Box<CallOptions>>,
    state: State<'a>,
    /// The token of the page last asked for (`None`: the first page).
    page_token: Option<String>,
    /// Whether the last page was read: nothing is left to resume.
    complete: bool,
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
                    self.page_token = Some(token.clone());
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
            .and_then(|()| self.choices.apply(&mut request))
            .and_then(|()| match &self.options {
                Some(options) => options.apply(&mut request),
                None => Ok(()),
            });
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
            None => {
                self.complete = true;
                State::Done
            }
            Some(token) if token.is_empty() => {
                self.complete = true;
                State::Done
            }
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

    /// Where the listing stands: the page to read next (after a failure, the
    /// page that failed), to save and resume from with the request builder's
    /// `pages_from()`; `None` once the last page was read.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        let token = match &self.state {
            State::Next(token) => Some(token.clone()),
            _ if self.complete => return None,
            _ => self.page_token.clone(),
        };
        Some(Checkpoint { token, skip: 0 })
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
    /// How many items the page being read has.
    page_len: usize,
    /// How many items of the first page to leave out (a resumed listing's).
    skip: usize,
}

impl<E: PagedItems> Unpin for Items<'_, E> {}

impl<E: PagedItems> Items<'_, E> {
    /// The next entry, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<E::Item, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Where the listing stands: the page of the next item and how many of
    /// its items were taken, to save and resume from with the request
    /// builder's `items_from()`; `None` once every item was taken.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        if self.current.len() == 0 {
            let mut checkpoint = self.pages.checkpoint()?;
            // Not read yet: a resumed listing still leaves those out.
            checkpoint.skip = self.skip;
            return Some(checkpoint);
        }
        Some(Checkpoint {
            token: self.pages.page_token.clone(),
            skip: self.page_len - self.current.len(),
        })
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<E::Item, Error>>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(self.pages.poll_page(cx)) {
                Some(Ok(page)) => {
                    let items = E::items(page);
                    self.page_len = items.len();
                    self.current = items.into_iter();
                    // Taken before the listing was resumed.
                    for _ in 0..std::mem::take(&mut self.skip) {
                        self.current.next();
                    }
                }
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
