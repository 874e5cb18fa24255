//! `runtime/src/token.rs`: when a token is refreshed, and its `Debug`.

use std::time::{Duration, UNIX_EPOCH};

use crate::token::{AccessToken, REFRESH_WINDOW, refresh_at};

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn long_tokens_are_refreshed_five_minutes_before_they_expire() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(REFRESH_WINDOW, 5 * MINUTE);
    assert_eq!(refresh_at(now, now + 60 * MINUTE), now + 55 * MINUTE);
    assert_eq!(refresh_at(now, now + 10 * MINUTE), now + 5 * MINUTE);
}

#[test]
fn short_tokens_are_refreshed_halfway_through_their_life() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(refresh_at(now, now + 4 * MINUTE), now + 2 * MINUTE);
    assert_eq!(
        refresh_at(now, now + Duration::from_millis(200)),
        now + Duration::from_millis(100)
    );
    // Expired already: due at once.
    assert_eq!(refresh_at(now, now - MINUTE), now - MINUTE);
    assert_eq!(refresh_at(UNIX_EPOCH, UNIX_EPOCH), UNIX_EPOCH);
}

#[test]
fn debug_shows_the_expiry_never_the_secret() {
    let token = AccessToken::new(
        "SECRET-TOKEN-123",
        UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    );
    let shown = format!("{token:?}");
    assert_eq!(
        shown,
        r#"AccessToken { secret: "<redacted>", expires_at: "2023-11-14T22:13:20Z" }"#
    );
    assert_eq!(
        token.expires_at(),
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    );
    let before_1970 = AccessToken::new("SECRET-TOKEN-123", UNIX_EPOCH - MINUTE);
    assert!(!format!("{before_1970:?}").contains("SECRET"));
}
