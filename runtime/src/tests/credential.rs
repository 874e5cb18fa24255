//! `runtime/src/credential.rs`: the `Authorization` header and the environment.

use std::ffi::OsString;

use reqwest::header::HeaderValue;

use crate::credential::{Authorization, BEARER_ENV_VAR, Credential, PAT_ENV_VAR};
use crate::error::Error;

/// The fixed header of a personal access token or bearer token.
fn header(credential: &Credential) -> Result<HeaderValue, Error> {
    match credential.authorization()? {
        Authorization::Fixed(value) => Ok(value),
        Authorization::Renewed(_) => panic!("a fixed credential has a fixed header"),
    }
}

#[test]
fn pat_header_is_basic_with_empty_user() {
    let h = header(&Credential::pat("abc")).unwrap();
    assert_eq!(h.to_str().unwrap(), "Basic OmFiYw==");
    assert!(h.is_sensitive());
    assert!(!format!("{h:?}").contains("OmFiYw"));
}

#[test]
fn bearer_header() {
    let h = header(&Credential::bearer("tok")).unwrap();
    assert_eq!(h.to_str().unwrap(), "Bearer tok");
    assert!(h.is_sensitive());
}

#[test]
fn rejects_empty_and_bad_chars() {
    assert!(header(&Credential::pat(" ")).is_err());
    let err = header(&Credential::bearer("a\nb")).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("a\nb"));
}

#[test]
fn lookup_prefers_pat_then_bearer() {
    let c = Credential::from_lookup(|n| {
        (n == PAT_ENV_VAR || n == BEARER_ENV_VAR).then(|| OsString::from(" x "))
    })
    .unwrap();
    assert!(c.is_pat());
    assert_eq!(header(&c).unwrap().to_str().unwrap(), "Basic Ong=");
    let c = Credential::from_lookup(|n| match n {
        PAT_ENV_VAR => Some(OsString::new()),
        BEARER_ENV_VAR => Some(OsString::from("t")),
        _ => None,
    })
    .unwrap();
    assert!(!c.is_pat());
    let err = Credential::from_lookup(|n| (n == PAT_ENV_VAR).then(OsString::new))
        .unwrap_err()
        .to_string();
    assert!(err.contains("AZURE_DEVOPS_PAT is empty"), "{err}");
    assert!(
        err.contains("AZURE_DEVOPS_BEARER_TOKEN is not set"),
        "{err}"
    );
}

#[test]
fn token_credentials_are_renewed_and_never_shown() {
    let provider = Credential::token_provider(|| async { Err::<crate::AccessToken, _>("no") });
    assert!(matches!(
        provider.authorization(),
        Ok(Authorization::Renewed(_))
    ));
    assert!(!provider.is_pat());
    assert_eq!(format!("{provider:?}"), "Credential::TokenProvider(..)");
    let cli = Credential::azure_cli();
    assert!(matches!(cli.authorization(), Ok(Authorization::Renewed(_))));
    assert_eq!(format!("{cli:?}"), "Credential::AzureCli");
}
