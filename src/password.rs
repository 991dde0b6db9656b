//! Password hashing: real argon2id PHC strings, with test-grade cost by default.
//!
//! The crate's default parameters cost ~600 ms per hash + verify in a debug build; m = 16 KiB,
//! t = 1, p = 1 costs about 1–2 ms and still yields a `$argon2id$` string any verifier accepts.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use rand::RngCore;

fn hasher() -> Argon2<'static> {
    let params = Params::new(16, 1, 1, None).expect("valid argon2 parameters");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// Hashes `password` with a fresh random salt.
pub(crate) fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters")
        .to_string()
}

/// Checks `password` against a PHC string (in constant time, inside argon2).
pub(crate) fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = super::hash("password123");
        assert!(phc.starts_with("$argon2id$"));
        assert!(super::verify("password123", &phc));
        assert!(!super::verify("password124", &phc));
    }
}
