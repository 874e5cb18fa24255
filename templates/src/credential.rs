//! Credentials: a personal access token or an OAuth / Microsoft Entra ID
//! bearer token.

use std::ffi::OsString;
use std::fmt;

use base64::Engine as _;
use reqwest::header::HeaderValue;

use crate::error::Error;

/// Environment variable read first by `Credential::from_env`: a personal
/// access token.
pub(crate) const PAT_ENV_VAR: &str = "AZURE_DEVOPS_PAT";
/// Environment variable read when `AZURE_DEVOPS_PAT` is unset or blank: an
/// OAuth or Microsoft Entra ID bearer token.
pub(crate) const BEARER_ENV_VAR: &str = "AZURE_DEVOPS_BEARER_TOKEN";

/// How the client authenticates.
///
/// The secret is never shown: `Debug` prints `Credential::Pat(<redacted>)` or
/// `Credential::Bearer(<redacted>)`, and the `Authorization` header built from
/// it is marked sensitive.
#[derive(Clone)]
pub struct Credential {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Pat(String),
    Bearer(String),
}

impl Credential {
    /// A personal access token, sent as HTTP Basic authentication with an
    /// empty user name: `Authorization: Basic base64(":" + pat)`.
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
    /// token).
    pub fn is_pat(&self) -> bool {
        matches!(self.kind, Kind::Pat(_))
    }

    /// The `Authorization` header value, marked sensitive.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, Error> {
        let (secret, value) = match &self.kind {
            Kind::Pat(pat) => (
                pat,
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!(":{pat}"))
                ),
            ),
            Kind::Bearer(token) => (token, format!("Bearer {token}")),
        };
        if secret.trim().is_empty() {
            return Err(Error::credential(format!(
                "the {} is empty",
                self.kind_name()
            )));
        }
        let mut header = HeaderValue::from_str(&value).map_err(|_| {
            Error::credential(format!(
                "the {} contains characters not allowed in an HTTP header",
                self.kind_name()
            ))
        })?;
        header.set_sensitive(true);
        Ok(header)
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Pat(_) => "personal access token",
            Kind::Bearer(_) => "bearer token",
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Pat(_) => f.write_str("Credential::Pat(<redacted>)"),
            Kind::Bearer(_) => f.write_str("Credential::Bearer(<redacted>)"),
        }
    }
}
