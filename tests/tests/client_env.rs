//! `Credential::from_env`. Environment variables are process-global, so this
//! file holds a single test that is the only one touching them.

use token_administration::{Client, Credential, Error};

const PAT_VAR: &str = "AZURE_DEVOPS_PAT";
const BEARER_VAR: &str = "AZURE_DEVOPS_BEARER_TOKEN";

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary has a single test, so no other thread reads
    // or writes the environment meanwhile.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn from_env_reads_pat_then_bearer_and_fails_clearly() {
    set(PAT_VAR, None);
    set(BEARER_VAR, None);
    let err = Credential::from_env().unwrap_err();
    assert!(matches!(err, Error::Credential { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(PAT_VAR), "{message}");
    assert!(message.contains(BEARER_VAR), "{message}");
    assert!(message.contains("not set"), "{message}");

    // An empty (blank) value counts as unset, and the message says so.
    set(PAT_VAR, Some("  "));
    let message = Credential::from_env().unwrap_err().to_string();
    assert!(message.contains("AZURE_DEVOPS_PAT is empty"), "{message}");

    set(BEARER_VAR, Some("SECRET-BEARER-1"));
    let credential = Credential::from_env().unwrap();
    assert!(!credential.is_pat());
    assert!(!format!("{credential:?}").contains("SECRET"));

    // The PAT wins when both are set.
    set(PAT_VAR, Some("SECRET-PAT-12345"));
    let credential = Credential::from_env().unwrap();
    assert!(credential.is_pat());
    let client = Client::builder(credential).build().unwrap();
    assert!(!format!("{client:?}").contains("SECRET"));

    set(PAT_VAR, None);
    set(BEARER_VAR, None);
}
