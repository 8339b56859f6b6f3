//! Accounts as the store's tests make them: without the web's password hashing or links.

use dakwacht_core::access::Role;
use dakwacht_store::{Invitation, LinkFor, LinkRequest, NewActivationLink, NewUser};

/// An account with a password (the hash is a placeholder: the store does not check it).
pub fn new_user(username: &str, role: Role, organisation: Option<&str>) -> NewUser {
    NewUser {
        username: username.to_string(),
        role,
        organisation: organisation.map(str::to_string),
        password_hash: "$argon2id$test".to_string(),
    }
}

/// An activation link whose token hash is `hash-of-{token}`, ending `hours` from now (in the
/// past when negative).
pub fn link(token: &str, hours: i64) -> NewActivationLink {
    NewActivationLink {
        token_hash: format!("hash-of-{token}"),
        expires_at: jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(hours))
            .unwrap()
            .to_string(),
    }
}

/// An account made in the browser of `organisation`, with a link for a day.
pub fn invitation(
    username: &str,
    role: Role,
    organisation: &str,
    by_administrator: bool,
) -> Invitation {
    Invitation {
        username: username.to_string(),
        role,
        organisation: Some(organisation.to_string()),
        by_administrator,
        link: link(username, 24),
    }
}

/// A request for a new first-password link of `username`, asked by an administrator
/// (`organisation` `None`) or a coordinator of `organisation`.
pub fn first_password_link<'a>(
    username: &'a str,
    organisation: Option<&'a str>,
) -> LinkRequest<'a> {
    LinkRequest {
        username,
        purpose: LinkFor::FirstPassword,
        organisation,
        by_administrator: organisation.is_none(),
    }
}
