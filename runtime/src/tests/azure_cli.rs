//! `runtime/src/azure_cli.rs`: reading what `az account get-access-token` prints. Running
//! it (a fake `az` on `PATH`) is tested end to end in `tests/tests/client_azure_cli.rs`.

use std::time::{Duration, UNIX_EPOCH};

use chrono::TimeZone as _;

use crate::azure_cli::{ARGS, AZURE_DEVOPS_RESOURCE, parse};

const EXPIRES: u64 = 1_900_000_000;

#[test]
fn asks_for_a_token_of_azure_devops_as_json() {
    assert_eq!(
        ARGS.join(" "),
        "account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --output json"
    );
    assert_eq!(
        AZURE_DEVOPS_RESOURCE,
        "499b84ac-1321-427f-aa17-267ca6975798"
    );
}

#[test]
fn expires_on_as_a_number_or_a_string() {
    for json in [
        format!(r#"{{"accessToken":"SECRET-A","expires_on":{EXPIRES},"tokenType":"Bearer"}}"#),
        format!(r#"{{"accessToken":"SECRET-A","expires_on":"{EXPIRES}"}}"#),
        // Newer versions print both; expires_on wins.
        format!(
            r#"{{"accessToken":"SECRET-A","expiresOn":"2001-01-01 00:00:00.000000","expires_on":{EXPIRES}}}"#
        ),
    ] {
        let token = parse(json.as_bytes()).unwrap();
        assert_eq!(
            token.expires_at(),
            UNIX_EPOCH + Duration::from_secs(EXPIRES),
            "{json}"
        );
    }
}

#[test]
fn expires_on_is_local_time() {
    let naive = chrono::NaiveDate::from_ymd_opt(2030, 3, 4)
        .unwrap()
        .and_hms_micro_opt(5, 6, 7, 890_000)
        .unwrap();
    let expected = chrono::Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap()
        .timestamp();
    for text in ["2030-03-04 05:06:07.890000", "2030-03-04 05:06:07"] {
        let json = format!(r#"{{"accessToken":"SECRET-A","expiresOn":"{text}"}}"#);
        let token = parse(json.as_bytes()).unwrap();
        assert_eq!(
            token.expires_at(),
            UNIX_EPOCH + Duration::from_secs(u64::try_from(expected).unwrap()),
            "{text}"
        );
    }
}

#[test]
fn unreadable_output_is_an_error_without_the_output() {
    for (json, expected) in [
        ("SECRET-A", "is not JSON"),
        (r#"{"token":"SECRET-A"}"#, "has no accessToken"),
        (r#"{"accessToken":7}"#, "has no accessToken"),
        (
            r#"{"accessToken":"SECRET-A"}"#,
            "no readable expires_on or expiresOn",
        ),
        (
            r#"{"accessToken":"SECRET-A","expires_on":"soon"}"#,
            "no readable expires_on",
        ),
        (
            r#"{"accessToken":"SECRET-A","expiresOn":"tomorrow"}"#,
            "no readable expires_on or expiresOn",
        ),
    ] {
        let message = parse(json.as_bytes()).unwrap_err();
        assert!(message.contains(expected), "{json}: {message}");
        assert!(message.contains("az account get-access-token"), "{message}");
        assert!(!message.contains("SECRET"), "{message}");
    }
}
