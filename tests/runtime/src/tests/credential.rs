//! `templates/src/credential.rs`: the `Authorization` header and the environment.

use std::ffi::OsString;

use crate::credential::{BEARER_ENV_VAR, Credential, PAT_ENV_VAR};

#[test]
fn pat_header_is_basic_with_empty_user() {
    let h = Credential::pat("abc").header_value().unwrap();
    assert_eq!(h.to_str().unwrap(), "Basic OmFiYw==");
    assert!(h.is_sensitive());
    assert!(!format!("{h:?}").contains("OmFiYw"));
}

#[test]
fn bearer_header() {
    let h = Credential::bearer("tok").header_value().unwrap();
    assert_eq!(h.to_str().unwrap(), "Bearer tok");
    assert!(h.is_sensitive());
}

#[test]
fn rejects_empty_and_bad_chars() {
    assert!(Credential::pat(" ").header_value().is_err());
    let err = Credential::bearer("a\nb").header_value().unwrap_err();
    assert!(!format!("{err} {err:?}").contains("a\nb"));
}

#[test]
fn lookup_prefers_pat_then_bearer() {
    let c = Credential::from_lookup(|n| {
        (n == PAT_ENV_VAR || n == BEARER_ENV_VAR).then(|| OsString::from(" x "))
    })
    .unwrap();
    assert!(c.is_pat());
    assert_eq!(c.header_value().unwrap().to_str().unwrap(), "Basic Ong=");
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
