//! Tokens that expire: [`AccessToken`], and the cache of a credential that
//! gets them from a token source (a caller's provider, the Azure CLI). The
//! cache fetches a token on first use, shares it between every request,
//! refreshes it shortly before it expires or after the service rejected it,
//! and runs one fetch at a time however many requests need a token.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderValue;

use crate::error::Error;

/// How long before it expires a token is refreshed. A token with less than
/// twice as long left when fetched is refreshed halfway through that time
/// instead, so that a short-lived token is still used for a while.
pub(crate) const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// An access token and when it expires: what a token provider returns (see
/// [`Credential::token_provider`](crate::Credential::token_provider)).
///
/// `Debug` shows when the token expires, never the token.
#[derive(Clone)]
pub struct AccessToken {
    secret: String,
    expires_at: SystemTime,
}

impl AccessToken {
    /// A token sent as `Authorization: Bearer <secret>` (surrounding
    /// whitespace removed) until shortly before `expires_at`.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use azure_devops_runtime::AccessToken;
    ///
    /// let expires_at = SystemTime::now() + Duration::from_secs(3600);
    /// let token = AccessToken::new("eyJ0eXAi.Zm9vYmFy", expires_at);
    /// assert_eq!(token.expires_at(), expires_at);
    /// assert!(!format!("{token:?}").contains("Zm9vYmFy"));
    /// ```
    pub fn new(secret: impl Into<String>, expires_at: SystemTime) -> AccessToken {
        AccessToken {
            secret: secret.into(),
            expires_at,
        }
    }

    /// When the service stops accepting the token.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// The `Authorization` header of the token, marked sensitive, and when
    /// to refresh it. `source` names where it came from, for the errors.
    fn into_header(
        self,
        source: &str,
        fetched_at: SystemTime,
    ) -> Result<(HeaderValue, SystemTime), String> {
        let secret = self.secret.trim();
        if secret.is_empty() {
            return Err(format!("{source} returned an empty token"));
        }
        if self.expires_at <= fetched_at {
            return Err(format!(
                "{source} returned a token that expired at {}",
                show_time(self.expires_at)
            ));
        }
        let mut header = HeaderValue::from_str(&format!("Bearer {secret}")).map_err(|_| {
            format!("{source} returned a token with characters not allowed in an HTTP header")
        })?;
        header.set_sensitive(true);
        Ok((header, refresh_at(fetched_at, self.expires_at)))
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &show_time(self.expires_at))
            .finish()
    }
}

/// A point in time as RFC 3339 in UTC, for messages and `Debug`.
fn show_time(at: SystemTime) -> String {
    let utc = at.duration_since(UNIX_EPOCH).ok().and_then(|since| {
        let secs = i64::try_from(since.as_secs()).ok()?;
        chrono::DateTime::from_timestamp(secs, since.subsec_nanos())
    });
    match utc {
        Some(utc) => utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => format!("{at:?}"),
    }
}

/// When a token fetched at `fetched_at` that expires at `expires_at` is
/// refreshed: [`REFRESH_WINDOW`] before it expires, or halfway through its
/// life when that is sooner.
pub(crate) fn refresh_at(fetched_at: SystemTime, expires_at: SystemTime) -> SystemTime {
    let lifetime = expires_at
        .duration_since(fetched_at)
        .unwrap_or(Duration::ZERO);
    expires_at
        .checked_sub(REFRESH_WINDOW.min(lifetime / 2))
        .unwrap_or(fetched_at)
}

/// A fetch of a token source: the token, or the message of the
/// [`Error::Credential`] it becomes (naming the source; never the token).
pub(crate) type Fetch = Pin<Box<dyn Future<Output = Result<AccessToken, String>> + Send>>;

/// Where a cache gets its tokens.
pub(crate) type Source = Box<dyn Fn() -> Fetch + Send + Sync>;

/// The token of a credential, shared by every request of the clients using it
/// (a credential's clones share one cache).
pub(crate) struct TokenCache {
    /// The source, named in errors: "the token provider", "the Azure CLI".
    name: &'static str,
    source: Source,
    state: RwLock<State>,
    /// Held while fetching, so that there is one fetch at a time: the
    /// requests that need a token meanwhile wait for it and then use its
    /// result. A `std` lock for the state keeps a request that finds a fresh
    /// token from waiting on anything async.
    flight: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// Fetches finished so far, successful or not; numbers the tokens.
    fetches: u64,
    /// Why the last fetch failed, when it did: requests that were waiting for
    /// it get the same error rather than running the source once each.
    failure: Option<String>,
}

struct Cached {
    header: HeaderValue,
    refresh_at: SystemTime,
    /// The fetch it came from.
    fetch: u64,
}

impl TokenCache {
    pub(crate) fn new(name: &'static str, source: Source) -> TokenCache {
        TokenCache {
            name,
            source,
            state: RwLock::new(State::default()),
            flight: tokio::sync::Mutex::new(()),
        }
    }

    /// The `Authorization` header to send and the fetch its token came from
    /// (for [`reject`](Self::reject)): the cached token while it is fresh,
    /// else a new one.
    ///
    /// # Errors
    ///
    /// [`Error::Credential`] when the source fails or returns an unusable
    /// token.
    pub(crate) async fn header(&self) -> Result<(HeaderValue, u64), Error> {
        let seen = {
            let state = self.read();
            if let Some(fresh) = state.fresh(SystemTime::now()) {
                return Ok(fresh);
            }
            state.fetches
        };
        // Boxed: the usual path, a fresh token, then carries no fetch in its
        // future.
        Box::pin(self.fetch(seen)).await
    }

    /// Fetches a token, one fetch at a time. `seen` is the number of fetches
    /// finished when the caller found no fresh token.
    async fn fetch(&self, seen: u64) -> Result<(HeaderValue, u64), Error> {
        let _flight = self.flight.lock().await;
        {
            // The fetch this request waited for may have done the work.
            let state = self.read();
            if let Some(fresh) = state.fresh(SystemTime::now()) {
                return Ok(fresh);
            }
            if state.fetches != seen
                && let Some(message) = &state.failure
            {
                return Err(Error::credential(message.clone()));
            }
        }
        let token = (self.source)().await;
        let fetched_at = SystemTime::now();
        let result = token.and_then(|token| token.into_header(self.name, fetched_at));
        let mut state = self.write();
        state.fetches += 1;
        match result {
            Ok((header, refresh_at)) => {
                state.failure = None;
                state.token = Some(Cached {
                    header: header.clone(),
                    refresh_at,
                    fetch: state.fetches,
                });
                Ok((header, state.fetches))
            }
            Err(message) => {
                state.failure = Some(message.clone());
                Err(Error::credential(message))
            }
        }
    }

    /// Forgets the token of `fetch`, which the service rejected, so that the
    /// next request fetches a new one. A token fetched since is kept: several
    /// requests rejected together cause one fetch.
    pub(crate) fn reject(&self, fetch: u64) {
        let mut state = self.write();
        if state.token.as_ref().is_some_and(|t| t.fetch == fetch) {
            state.token = None;
        }
    }

    // No code panics while holding the lock, so a poisoned lock holds a
    // consistent state.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// The cached header and its fetch, if it is not due for a refresh.
    fn fresh(&self, now: SystemTime) -> Option<(HeaderValue, u64)> {
        self.token
            .as_ref()
            .filter(|token| now < token.refresh_at)
            .map(|token| (token.header.clone(), token.fetch))
    }
}
