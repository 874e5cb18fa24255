//! `--user`: the personal access tokens of users, listed through every page, as the
//! authorization IDs to revoke.

use serde::Serialize;
use token_administration::{Client, Error};
use uuid::Uuid;

/// One personal access token of a user, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// The user's subject descriptor, as given to `--user`.
    pub user: String,
    /// The authorization ID, what revocation takes.
    pub authorization_id: Uuid,
    /// The name the user gave the token.
    pub display_name: Option<String>,
    /// Until when the token is valid (RFC 3339).
    pub valid_to: Option<String>,
}

/// What listing the tokens of some users found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The tokens, user by user, in the service's order.
    pub tokens: Vec<Listed>,
    /// Tokens the service listed without an authorization ID (they cannot be revoked by
    /// this operation), by user.
    pub without_id: Vec<(String, usize)>,
}

/// A user whose tokens could not be listed.
#[derive(Debug)]
pub struct ListError {
    /// The subject descriptor.
    pub user: String,
    /// The client's error (never the credential).
    pub error: Error,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot list the personal access tokens of {}: {}",
            self.user, self.error
        )
    }
}

/// Lists every personal access token of each user, page after page.
///
/// # Errors
///
/// The first user whose listing fails (after the client's retries), with the error.
pub async fn list(
    client: &Client,
    users: &[String],
    is_public: bool,
) -> Result<Listing, ListError> {
    let mut listing = Listing::default();
    for user in users {
        // The body is a list the service does not document; an empty one lists them all.
        let mut items = client
            .list_personal_access_tokens(user.as_str(), &[])
            .is_public(is_public)
            .items();
        let mut without_id = 0;
        while let Some(token) = items.next().await {
            let token = token.map_err(|error| ListError {
                user: user.clone(),
                error,
            })?;
            let Some(authorization_id) = token.authorization_id else {
                without_id += 1;
                continue;
            };
            listing.tokens.push(Listed {
                user: user.clone(),
                authorization_id,
                display_name: token.display_name,
                valid_to: token.valid_to.map(|t| t.to_rfc3339()),
            });
        }
        if without_id > 0 {
            listing.without_id.push((user.clone(), without_id));
        }
    }
    Ok(listing)
}
