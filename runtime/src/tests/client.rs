//! `runtime/src/client.rs`: the base URL checks of the builder.

use reqwest::Url;

use crate::client::{is_loopback, parse_base_url};

#[test]
fn loopback_detection() {
    for u in [
        "http://localhost:1",
        "http://LOCALHOST",
        "http://127.0.0.1",
        "http://127.1.2.3:9",
        "http://[::1]:8080",
    ] {
        assert!(is_loopback(&Url::parse(u).unwrap()), "{u}");
    }
    for u in [
        "http://example.com",
        "http://10.0.0.1",
        "http://[::2]",
        "http://localhost.example.com",
        "http://128.0.0.1",
    ] {
        assert!(!is_loopback(&Url::parse(u).unwrap()), "{u}");
    }
}

#[test]
fn base_url_validation() {
    assert!(parse_base_url("ftp://x").is_err());
    assert!(parse_base_url("not a url").is_err());
    assert!(parse_base_url("https://user:pw@x").is_err());
    assert!(parse_base_url("https://x/?a=b").is_err());
    assert!(parse_base_url("https://dev.azure.com/org").is_ok());
}
