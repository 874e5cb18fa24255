//! Credentials: a personal access token, an OAuth / Microsoft Entra ID
//! bearer token, or tokens that expire, from a provider or the Azure CLI
//! (fetched and refreshed by the cache in `token.rs`).

use std::ffi::OsString;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use base64::Engine as _;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;

use crate::error::Error;
use crate::token::{AccessToken, Source, TokenCache};

/// Environment variable read first by `Credential::from_env`: a personal
/// access token.
pub(crate) const PAT_ENV_VAR: &str = "AZURE_DEVOPS_PAT";
/// Environment variable read when `AZURE_DEVOPS_PAT` is unset or blank: an
/// OAuth or Microsoft Entra ID bearer token.
pub(crate) const BEARER_ENV_VAR: &str = "AZURE_DEVOPS_BEARER_TOKEN";

/// How the client authenticates.
///
/// A personal access token ([`pat`](Self::pat)) or a bearer token
/// ([`bearer`](Self::bearer)) is sent as it is on every request. Tokens that
/// expire come from a [`token_provider`](Self::token_provider) or the
/// [Azure CLI](Self::azure_cli): the token is fetched when the first request
/// needs it (not when the client is built), shared by every request of the
/// clients using the credential (and its clones), fetched by one request at a
/// time while the others wait for it, and refreshed 5 minutes before it
/// expires (or, for a token with less than 10 minutes left when fetched,
/// halfway through that time). When the service answers `401` to such a
/// token, the client fetches a new one and sends the request once more; that
/// second sending is not an attempt of the
/// [`RetryPolicy`](crate::RetryPolicy), and a second `401` is the error. A
/// `401` to a personal access token or a bearer token is returned at once.
///
/// The secret is never shown: `Debug` prints `Credential::Pat(<redacted>)`,
/// `Credential::Bearer(<redacted>)`, `Credential::TokenProvider(..)` or
/// `Credential::AzureCli`, and the `Authorization` header is marked
/// sensitive.
#[derive(Clone)]
pub struct Credential {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Pat(String),
    Bearer(String),
    /// A caller's token provider; the clones of the credential share the
    /// cache, and so the token.
    Provider(Arc<TokenCache>),
    /// The Azure CLI, through the same cache.
    AzureCli(Arc<TokenCache>),
    /// An `azure_core` `TokenCredential`, through the same cache.
    #[cfg(feature = "azure-identity")]
    TokenCredential(Arc<TokenCache>),
}

/// Azure DevOps' scope for Entra ID tokens: its resource id and `/.default`.
#[cfg(feature = "azure-identity")]
const AZURE_DEVOPS_SCOPE: &str = "499b84ac-1321-427f-aa17-267ca6975798/.default";

/// Where a client gets the `Authorization` header of each request; built
/// once by the client builder's `build()`.
pub(crate) enum Authorization {
    /// A personal access token or bearer token: the same header every time,
    /// built once.
    Fixed(HeaderValue),
    /// Tokens that expire, from the credential's cache, per attempt.
    Renewed(Arc<TokenCache>),
}

impl Authorization {
    /// Whether tokens are fetched and renewed (so that a `401` is worth one
    /// more sending with a new token).
    pub(crate) fn renews(&self) -> bool {
        matches!(self, Authorization::Renewed(_))
    }

    /// After `error`, whether to send the request once more with a new token:
    /// the service answered `401` to the token of fetch `token_fetch` of the
    /// cache (it may have been revoked or expired early). That token is then
    /// forgotten, so that the next attempt fetches a new one.
    pub(crate) fn renew_rejected(&self, error: &Error, token_fetch: u64) -> bool {
        let Authorization::Renewed(tokens) = self else {
            return false;
        };
        if !matches!(error, Error::Http { status, .. } if *status == StatusCode::UNAUTHORIZED) {
            return false;
        }
        #[cfg(feature = "tracing")]
        tracing::info!("the service rejected the token (401): sending again with a new one");
        tokens.reject(token_fetch);
        true
    }
}

impl Credential {
    /// A personal access token, sent as HTTP Basic authentication with an
    /// empty user name: `Authorization: Basic base64(":" + pat)`.
    ///
    /// `Debug` never shows the secret:
    ///
    /// ```
    /// use azure_devops_runtime::Credential;
    ///
    /// let credential = Credential::pat("s3cr3t-pat");
    /// assert!(credential.is_pat());
    /// assert!(!format!("{credential:?}").contains("s3cr3t"));
    /// ```
    pub fn pat(pat: impl Into<String>) -> Credential {
        Credential {
            kind: Kind::Pat(pat.into()),
        }
    }

    /// An OAuth 2.0 or Microsoft Entra ID access token, sent as
    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Credential {
        Credential {
            kind: Kind::Bearer(token.into()),
        }
    }

    /// Tokens that expire, from `provider`: an async function returning an
    /// [`AccessToken`] (its secret and expiry), sent as
    /// `Authorization: Bearer <token>`. See [`Credential`] for when it is
    /// called: on first use, before the token expires, after a `401`, one
    /// call at a time.
    ///
    /// The error may be any error type, or a `String` or `&str`: anything
    /// that converts into `Box<dyn std::error::Error + Send + Sync>`. A
    /// request whose token cannot be had is not sent: it fails with
    /// [`Error::Credential`], whose message reads `the token provider failed:
    /// ` followed by the provider's error (so that error should not hold a
    /// secret). The requests that were waiting for that call get the same
    /// error; a later request calls the provider again. The provider should
    /// bound its own time: a request waits for it.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use std::time::{Duration, SystemTime};
    /// use azure_devops_runtime::{AccessToken, Credential};
    ///
    /// async fn fetch_token() -> Result<AccessToken, std::io::Error> {
    ///     // Ask an identity service; here, a token valid for an hour.
    ///     let expires_at = SystemTime::now() + Duration::from_secs(3600);
    ///     Ok(AccessToken::new("eyJ0eXAi...", expires_at))
    /// }
    ///
    /// // Given to a generated crate's `Client::new` or `Client::builder`.
    /// let credential = Credential::token_provider(fetch_token);
    /// # let _ = credential;
    /// ```
    pub fn token_provider<F, Fut, E>(provider: F) -> Credential
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<AccessToken, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let source: Source = Box::new(move || {
            let call = provider();
            Box::pin(async move {
                call.await
                    .map_err(|error| format!("the token provider failed: {}", error.into()))
            })
        });
        Credential {
            kind: Kind::Provider(Arc::new(TokenCache::new("the token provider", source))),
        }
    }

    /// Tokens of the account signed in to the Azure CLI (`az login`), from
    /// `az account get-access-token --resource
    /// 499b84ac-1321-427f-aa17-267ca6975798 --output json` (Azure DevOps'
    /// resource; `az.cmd` on Windows), run the way
    /// [`token_provider`](Self::token_provider) calls a provider: when a
    /// request needs a token, and stopped after 30 s.
    ///
    /// Nothing is run here: the CLI's absence shows at the first request,
    /// as an [`Error::Credential`] telling that `az` was not found on
    /// `PATH`, that it failed (with its exit status and message, e.g. to run
    /// `az login`), that it took too long, or that its output was not a
    /// token.
    pub fn azure_cli() -> Credential {
        let source: Source = Box::new(|| Box::pin(crate::azure_cli::access_token()));
        Credential {
            kind: Kind::AzureCli(Arc::new(TokenCache::new("the Azure CLI", source))),
        }
    }

    /// Tokens of any `azure_core` [`TokenCredential`](azure_core::credentials::TokenCredential)
    /// (feature `azure-identity`): the `azure_identity` crate's managed identity,
    /// workload identity federation, service principal, Azure Pipelines or developer
    /// tools credentials, or one of your own. Asked for Azure DevOps' scope
    /// (`499b84ac-1321-427f-aa17-267ca6975798/.default`) the way
    /// [`token_provider`](Self::token_provider) calls a provider: on first use, before
    /// the token expires, once more after a `401`, one call at a time; its tokens are
    /// cached here whatever the credential caches itself.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use azure_devops_runtime::Credential;
    ///
    /// # fn example(identity: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) {
    /// // `identity`: say `azure_identity::ManagedIdentityCredential::new(None)?`.
    /// let credential = Credential::token_credential(identity);
    /// # let _ = credential;
    /// # }
    /// ```
    #[cfg(feature = "azure-identity")]
    pub fn token_credential(
        credential: Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Credential {
        let source: Source = Box::new(move || {
            let credential = Arc::clone(&credential);
            Box::pin(async move {
                let token = credential
                    .get_token(&[AZURE_DEVOPS_SCOPE], None)
                    .await
                    .map_err(|error| format!("the Azure identity credential failed: {error}"))?;
                let seconds = u64::try_from(token.expires_on.unix_timestamp()).unwrap_or(0);
                let expires_at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
                Ok(AccessToken::new(token.token.secret(), expires_at))
            })
        });
        Credential {
            kind: Kind::TokenCredential(Arc::new(TokenCache::new(
                "the Azure identity credential",
                source,
            ))),
        }
    }

    /// Reads the credential from the environment.
    ///
    /// `AZURE_DEVOPS_PAT` (a personal access token) wins when it is set and
    /// not blank; otherwise `AZURE_DEVOPS_BEARER_TOKEN` (a bearer token) is
    /// used. Surrounding whitespace is removed from the value.
    ///
    /// # Errors
    ///
    /// [`Error::Credential`] naming both variables when neither is set to a
    /// non-blank value, or when a value is not valid Unicode.
    pub fn from_env() -> Result<Credential, Error> {
        Credential::from_lookup(|name| std::env::var_os(name))
    }

    /// [`Credential::from_env`] with a custom variable lookup.
    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Credential, Error> {
        let read = |name: &str| -> Result<Option<String>, Error> {
            match lookup(name) {
                None => Ok(None),
                Some(raw) => match raw.into_string() {
                    Ok(s) => {
                        let trimmed = s.trim();
                        if trimmed.is_empty() {
                            Ok(None)
                        } else {
                            Ok(Some(trimmed.to_owned()))
                        }
                    }
                    Err(_) => Err(Error::credential(format!(
                        "environment variable {name} is not valid Unicode"
                    ))),
                },
            }
        };
        if let Some(pat) = read(PAT_ENV_VAR)? {
            return Ok(Credential::pat(pat));
        }
        if let Some(token) = read(BEARER_ENV_VAR)? {
            return Ok(Credential::bearer(token));
        }
        let state = |name: &str| match lookup(name) {
            None => "not set",
            Some(_) => "empty",
        };
        Err(Error::credential(format!(
            "no Azure DevOps credential in the environment: set {PAT_ENV_VAR} to a personal \
             access token or {BEARER_ENV_VAR} to a bearer token ({PAT_ENV_VAR} is {}, \
             {BEARER_ENV_VAR} is {})",
            state(PAT_ENV_VAR),
            state(BEARER_ENV_VAR)
        )))
    }

    /// Whether this is a personal access token (as opposed to a bearer
    /// token or tokens from a provider or the Azure CLI).
    pub fn is_pat(&self) -> bool {
        matches!(self.kind, Kind::Pat(_))
    }

    /// How a client gets its `Authorization` header: a personal access token
    /// or bearer token becomes its header here, once.
    ///
    /// # Errors
    ///
    /// [`Error::Credential`] when a personal access token or bearer token is
    /// empty or holds characters not allowed in an HTTP header.
    pub(crate) fn authorization(&self) -> Result<Authorization, Error> {
        let (what, secret, value) = match &self.kind {
            Kind::Pat(pat) => (
                "personal access token",
                pat,
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!(":{pat}"))
                ),
            ),
            Kind::Bearer(token) => ("bearer token", token, format!("Bearer {token}")),
            Kind::Provider(tokens) | Kind::AzureCli(tokens) => {
                return Ok(Authorization::Renewed(Arc::clone(tokens)));
            }
            #[cfg(feature = "azure-identity")]
            Kind::TokenCredential(tokens) => {
                return Ok(Authorization::Renewed(Arc::clone(tokens)));
            }
        };
        if secret.trim().is_empty() {
            return Err(Error::credential(format!("the {what} is empty")));
        }
        let mut header = HeaderValue::from_str(&value).map_err(|_| {
            Error::credential(format!(
                "the {what} contains characters not allowed in an HTTP header"
            ))
        })?;
        header.set_sensitive(true);
        Ok(Authorization::Fixed(header))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            Kind::Pat(_) => "Credential::Pat(<redacted>)",
            Kind::Bearer(_) => "Credential::Bearer(<redacted>)",
            Kind::Provider(_) => "Credential::TokenProvider(..)",
            Kind::AzureCli(_) => "Credential::AzureCli",
            #[cfg(feature = "azure-identity")]
            Kind::TokenCredential(_) => "Credential::TokenCredential(..)",
        })
    }
}
