//! Pre-generated test keys shipped inside the crate.
//!
//! Generating an RSA-2048 key costs 0.1–6 s in a debug build, far beyond a 1 ms start, so
//! servers take their keys from this fixed pool instead. The keys are public by nature (they
//! are in this crate's source): tokens they sign prove nothing outside a test. Each key is
//! parsed at most once per process and then shared.

use std::sync::{Arc, OnceLock};

use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};

/// How many keys of each algorithm the pool holds.
pub(crate) const POOL_SIZE: usize = 4;

const RSA_DER: [&[u8]; POOL_SIZE] = [
    include_bytes!("bundled/rsa1.der"),
    include_bytes!("bundled/rsa2.der"),
    include_bytes!("bundled/rsa3.der"),
    include_bytes!("bundled/rsa4.der"),
];
const EC_DER: [&[u8]; POOL_SIZE] = [
    include_bytes!("bundled/ec1.der"),
    include_bytes!("bundled/ec2.der"),
    include_bytes!("bundled/ec3.der"),
    include_bytes!("bundled/ec4.der"),
];
const ED_DER: [&[u8]; POOL_SIZE] = [
    include_bytes!("bundled/ed1.der"),
    include_bytes!("bundled/ed2.der"),
    include_bytes!("bundled/ed3.der"),
    include_bytes!("bundled/ed4.der"),
];

static RSA: [OnceLock<Arc<RsaKeyPair>>; POOL_SIZE] = [const { OnceLock::new() }; POOL_SIZE];
static EC: [OnceLock<Arc<EcdsaKeyPair>>; POOL_SIZE] = [const { OnceLock::new() }; POOL_SIZE];
static ED: [OnceLock<Arc<Ed25519KeyPair>>; POOL_SIZE] = [const { OnceLock::new() }; POOL_SIZE];

// The bundled DER files are checked by the unit test below, so a parse failure here is a
// broken build, not bad input.
pub(crate) fn rsa(index: usize) -> Arc<RsaKeyPair> {
    let i = index % POOL_SIZE;
    RSA[i]
        .get_or_init(|| Arc::new(RsaKeyPair::from_pkcs8(RSA_DER[i]).expect("bundled RSA key")))
        .clone()
}

pub(crate) fn ec(index: usize) -> Arc<EcdsaKeyPair> {
    let i = index % POOL_SIZE;
    EC[i]
        .get_or_init(|| {
            Arc::new(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, EC_DER[i])
                    .expect("bundled P-256 key"),
            )
        })
        .clone()
}

pub(crate) fn ed(index: usize) -> Arc<Ed25519KeyPair> {
    let i = index % POOL_SIZE;
    ED[i]
        .get_or_init(|| {
            Arc::new(
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(ED_DER[i]).expect("bundled Ed25519 key"),
            )
        })
        .clone()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_bundled_key_parses() {
        for i in 0..super::POOL_SIZE {
            super::rsa(i);
            super::ec(i);
            super::ed(i);
        }
    }
}
