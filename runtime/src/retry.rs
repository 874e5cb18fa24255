//! Everything about retrying: the [`RetryPolicy`], which failures are worth
//! retrying, exponential backoff with jitter, the rate-limit headers Azure
//! DevOps sends (`Retry-After`, `X-RateLimit-*`), the retry loop of a
//! request, and the throttle shared by all requests of a client.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::client::ClientCore;
use crate::error::Error;
use crate::request::Prepared;
use crate::response::RawResponse;

/// How failed requests are retried.
///
/// A request is retried when the connection could not be made, or the
/// service answered `408`, `429` or `503` (it did not act on the request).
/// Idempotent operations (GET, HEAD, PUT, DELETE, OPTIONS, and operations the
/// spec marks `x-idempotent: true`) are also retried after a `500`, `502` or
/// `504`, a timeout, or a connection dropped before the whole response
/// arrived: failures that may come after the service did the work, so that a
/// retry may send the request twice. No other status is retried: in
/// particular `400`, `401`, `403` and `404` are returned at once (but a `401`
/// to a token from a provider or the Azure CLI is sent once more with a new
/// token, outside these attempts: see [`Credential`](crate::Credential)).
/// Use [`RetryPolicy::none`] to turn retries off.
///
/// A request whose body is a stream ([`UploadBody`](crate::UploadBody)) is
/// never retried, nor sent again after a `401`: the first attempt consumed the
/// stream. A failure that would have been retried comes back as
/// [`Error::StreamNotRetried`](crate::Error::StreamNotRetried). A download
/// read as a stream ([`Download`](crate::Download)) is retried like any
/// request until its response arrives; a failure while reading its body is
/// the caller's to handle.
///
/// Between attempts the client waits for the longest of:
/// - the exponential backoff `initial_backoff * 2^(retry - 1)` capped at
///   `max_backoff`, with jitter (a random value between half and all of it);
/// - the `Retry-After` header (seconds or HTTP-date);
/// - the `X-RateLimit-Delay` header (fractional seconds).
///
/// Retrying stops after `max_attempts` attempts, or earlier when the next wait
/// would take the total time spent waiting beyond `max_total_wait`; the error
/// then is [`Error::RetriesExhausted`](crate::Error::RetriesExhausted) with
/// the number of attempts made and the last error.
///
/// # Example
///
/// A bulk job that would rather wait longer than fail, given to a generated
/// crate's `ClientBuilder::retry`:
///
/// ```
/// use std::time::Duration;
/// use azure_devops_runtime::RetryPolicy;
///
/// let patient = RetryPolicy {
///     max_attempts: 8,
///     max_total_wait: Duration::from_secs(300),
///     ..RetryPolicy::default()
/// };
/// assert_eq!(patient.initial_backoff, Duration::from_millis(500));
/// assert!(RetryPolicy::is_retryable_status(reqwest::StatusCode::TOO_MANY_REQUESTS));
/// assert!(!RetryPolicy::is_retryable_status(reqwest::StatusCode::UNAUTHORIZED));
/// assert_eq!(RetryPolicy::none().max_attempts, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Maximum number of attempts, the first one included (`1` = no retry;
    /// `0` is treated as `1`). Default: `4`.
    pub max_attempts: u32,
    /// Upper bound of the total time spent waiting between attempts.
    /// Default: 60 s.
    pub max_total_wait: Duration,
    /// Backoff before the first retry; doubled for each further retry.
    /// Default: 500 ms.
    pub initial_backoff: Duration,
    /// Upper bound of the computed backoff (not of `Retry-After`, which is
    /// honoured up to `max_total_wait`). Default: 30 s.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: exactly one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether a response with this status is worth retrying
    /// (`408`, `429`, `500`, `502`, `503`, `504`).
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// The effective maximum number of attempts (at least 1).
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// The backoff before retry number `retry` (1 for the first retry),
    /// without jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let factor = 1u32 << exponent;
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// The backoff before retry number `retry` with "equal jitter": a
    /// random duration between half and all of [`Self::backoff`].
    pub(crate) fn jittered_backoff(&self, retry: u32) -> Duration {
        let full = self.backoff(retry);
        let half = full / 2;
        let spread = u64::try_from((full - half).as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=spread))
    }

    /// How long to wait before retry number `retry`, given the rate-limit
    /// headers of the last response, if any.
    pub(crate) fn wait_before(&self, retry: u32, rate_limit: Option<&RateLimit>) -> Duration {
        let mut wait = self.jittered_backoff(retry);
        if let Some(rl) = rate_limit {
            if let Some(d) = rl.retry_after {
                wait = wait.max(d);
            }
            if let Some(d) = rl.delay {
                wait = wait.max(d);
            }
        }
        wait
    }
}

/// Whether to retry the request that failed with `error`. A request that is
/// not idempotent is retried only when the service cannot have acted on it:
/// the connection was never made, or the answer was `408`, `429` or `503`. A
/// timeout, a dropped connection, `500`, `502` or `504` may come after the
/// service did the work, so only idempotent requests are retried then.
pub(crate) fn is_retryable(error: &Error, idempotent: bool) -> bool {
    match error {
        Error::Transport { source, .. } => {
            source.is_connect() || (idempotent && is_retryable_transport(source))
        }
        Error::Http { status, .. } => {
            RetryPolicy::is_retryable_status(*status)
                && (idempotent || matches!(status.as_u16(), 408 | 429 | 503))
        }
        Error::RetriesExhausted { last, .. } | Error::StreamNotRetried { last } => {
            is_retryable(last, idempotent)
        }
        _ => false,
    }
}

/// Whether a transport error is worth retrying: connect errors, timeouts,
/// and failures while sending the request or reading the response
/// (connection reset or closed). Not: errors building the request,
/// redirect errors.
pub(crate) fn is_retryable_transport(e: &reqwest::Error) -> bool {
    e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() || e.is_decode()
}

/// Rate-limit information from the response headers.
///
/// Every field is parsed leniently: a missing or malformed header gives
/// `None`. Azure DevOps sends the `X-RateLimit-*` headers when a request was
/// delayed or is close to being throttled, and `Retry-After` on `429` (and
/// sometimes `503` or a delayed `200`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-RateLimit-Resource`: the service and kind of threshold reached.
    pub resource: Option<String>,
    /// `X-RateLimit-Delay`: how long the request was (or should be) delayed;
    /// sent as fractional seconds.
    pub delay: Option<Duration>,
    /// `X-RateLimit-Limit`: total number of throughput units allowed before
    /// delays are imposed.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: throughput units remaining before delays.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when usage returns to 0, in Unix epoch seconds.
    pub reset: Option<u64>,
    /// `Retry-After`: how long to wait before retrying, from either form of
    /// the header (delay in seconds, or an HTTP-date, converted to the time
    /// remaining when the response was received).
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Parses the rate-limit headers of a response.
    pub(crate) fn from_headers(headers: &HeaderMap) -> RateLimit {
        // One pass over the response's few headers instead of six hashed lookups: this
        // runs on every response. As with `HeaderMap::get`, the first value of a
        // name counts.
        let mut seen = [false; 6];
        let mut rate_limit = RateLimit::default();
        for (name, value) in headers {
            let slot = match name.as_str() {
                "x-ratelimit-resource" => 0,
                "x-ratelimit-delay" => 1,
                "x-ratelimit-limit" => 2,
                "x-ratelimit-remaining" => 3,
                "x-ratelimit-reset" => 4,
                "retry-after" => 5,
                _ => continue,
            };
            if std::mem::replace(&mut seen[slot], true) {
                continue;
            }
            let Some(text) = value.to_str().ok().map(str::trim).filter(|s| !s.is_empty()) else {
                continue;
            };
            match slot {
                0 => rate_limit.resource = Some(text.to_owned()),
                1 => rate_limit.delay = parse_seconds(text),
                2 => rate_limit.limit = parse_count(text),
                3 => rate_limit.remaining = parse_count(text),
                4 => rate_limit.reset = parse_count(text),
                _ => rate_limit.retry_after = parse_retry_after(text, SystemTime::now()),
            }
        }
        rate_limit
    }

    /// `X-RateLimit-Reset` as a point in time.
    pub fn reset_time(&self) -> Option<SystemTime> {
        self.reset
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
    }

    /// Whether no rate-limit header was present.
    pub fn is_empty(&self) -> bool {
        *self == RateLimit::default()
    }
}

/// Parses a non-negative number of seconds, possibly fractional ("1.5").
pub(crate) fn parse_seconds(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let secs = value.parse::<f64>().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(secs).ok()
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP-date (a date in
/// the past means "now", i.e. zero).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Some(d) = parse_seconds(value) {
        return Some(d);
    }
    let at = httpdate::parse_http_date(value.trim()).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses a non-negative count; a fractional value is rounded down.
fn parse_count(value: &str) -> Option<u64> {
    if let Ok(n) = value.parse::<u64>() {
        return Some(n);
    }
    let f = value.parse::<f64>().ok()?;
    if f.is_finite() && f >= 0.0 && f < u64::MAX as f64 {
        // Truncation is the intent: round a fractional count down.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = f as u64;
        Some(n)
    } else {
        None
    }
}

impl ClientCore {
    /// Sends a prepared request until it succeeds, fails in a way not worth
    /// retrying, or the policy's bounds are reached.
    pub(crate) async fn execute_with_retries(
        &self,
        mut prepared: Prepared,
    ) -> Result<RawResponse, Error> {
        let policy = self.inner.retry;
        let max_attempts = policy.attempts();
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        // Whether the request was already sent again with a new token after a
        // `401`: once at most, outside the policy's attempts.
        let mut renewed = false;
        loop {
            attempt += 1;
            // Honour a throttle another request of this client was told about,
            // as far as this request's waiting budget allows.
            if let Some(wait) = self.throttle_wait()
                && waited.saturating_add(wait) <= policy.max_total_wait
            {
                tokio::time::sleep(wait).await;
                waited += wait;
            }
            #[cfg(feature = "tracing")]
            if attempt > 1 {
                prepared
                    .span
                    .record("http.request.resend_count", attempt - 1);
            }
            let last = attempt >= max_attempts && (renewed || !self.inner.authorization.renews());
            let error = match self.attempt(&mut prepared, last).await {
                Ok(mut response) => {
                    response.attempts = attempt;
                    response.sent = Some(self.sent_ids(&mut prepared));
                    return Ok(response);
                }
                Err(error) => error,
            };
            let renew = !renewed
                && self
                    .inner
                    .authorization
                    .renew_rejected(&error, prepared.token_fetch);
            // A streamed body is gone with the attempt: nothing can send it again.
            if !prepared.replayable()
                && (renew
                    || (attempt < max_attempts
                        && is_retryable(&error, prepared.request.operation.idempotent)))
            {
                return Err(Error::StreamNotRetried {
                    last: Box::new(error),
                });
            }
            if renew {
                renewed = true;
                // The same attempt again, with the new token.
                attempt -= 1;
                continue;
            }
            if !is_retryable(&error, prepared.request.operation.idempotent) {
                return Err(error);
            }
            self.note_throttle(error.rate_limit());
            if attempt >= max_attempts {
                return Err(if max_attempts > 1 {
                    Error::RetriesExhausted {
                        attempts: attempt,
                        last: Box::new(error),
                    }
                } else {
                    error
                });
            }
            let wait = policy.wait_before(attempt, error.rate_limit());
            if waited.saturating_add(wait) > policy.max_total_wait {
                #[cfg(feature = "tracing")]
                tracing::warn!(
                    attempt,
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "not retrying: the wait would exceed the retry budget"
                );
                return Err(Error::RetriesExhausted {
                    attempts: attempt,
                    last: Box::new(error),
                });
            }
            #[cfg(feature = "tracing")]
            tracing::info!(
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            waited += wait;
        }
    }

    /// How long the shared throttle still holds, if it does.
    fn throttle_wait(&self) -> Option<Duration> {
        let until = (*self.inner.throttled_until.lock().ok()?)?;
        let now = Instant::now();
        (until > now).then(|| until - now)
    }

    /// Records the delay a throttled response asked for, for every request
    /// of this client.
    fn note_throttle(&self, rate_limit: Option<&RateLimit>) {
        let Some(rl) = rate_limit else { return };
        let Some(delay) = rl.retry_after.max(rl.delay) else {
            return;
        };
        let until = Instant::now() + delay;
        if let Ok(mut slot) = self.inner.throttled_until.lock()
            && slot.is_none_or(|current| current < until)
        {
            *slot = Some(until);
        }
    }
}
