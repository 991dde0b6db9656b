//! The checks every face shares, each written once: is this password right (with the
//! lockout), is this access token active, is this the admin token. They sit below the
//! faces and above the store: they read the clock and take the store lock themselves, so
//! the slow part of a check (argon2, a signature) runs outside it.

mod access_token;
mod admin_token;
mod password;

pub(crate) use access_token::{active_access_token, proved_password};
pub(crate) use admin_token::is_admin_token;
pub(crate) use password::check_password;
