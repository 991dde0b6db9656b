//! Key rotation: a new key signs, old keys stay published until retired, and a key that
//! signs before it is published (the JWKS lagging behind the signer, as a cached JWKS or a
//! slow rollout makes it) for testing a client's JWKS-refetch logic.

use std::sync::Arc;

use rand::RngCore;

use super::{pool_key, KeySet, POOL_SIZE};

impl KeySet {
    /// Makes the next pool key (with a new `kid`) the signing key and publishes it first;
    /// the previous keys stay published. Returns the new `kid`.
    pub(crate) fn rotate(&mut self, rng: &mut impl RngCore) -> String {
        let kid = self.rotate_withheld(rng);
        self.publish_signing_key();
        kid
    }

    /// Like [`rotate`](Self::rotate), but the new key is not in the JWKS until
    /// [`publish_signing_key`](Self::publish_signing_key).
    pub(crate) fn rotate_withheld(&mut self, rng: &mut impl RngCore) -> String {
        let next = (self.signing.pool_index + 1) % POOL_SIZE;
        let key = Arc::new(pool_key(self.signing.alg, next, rng));
        self.signing = key;
        self.signing.kid.clone()
    }

    /// Puts the signing key into the JWKS (first) if it is not there yet.
    pub(crate) fn publish_signing_key(&mut self) {
        if !self.published.iter().any(|k| Arc::ptr_eq(k, &self.signing)) {
            self.published.insert(0, self.signing.clone());
        }
    }

    /// Unpublishes every key but the signing one (which it publishes, if a rotation withheld
    /// it): tokens they signed stop verifying. Returns the retired `kid`s.
    pub(crate) fn retire_old(&mut self) -> Vec<String> {
        let signing = self.signing.clone();
        let retired = self
            .published
            .iter()
            .filter(|k| !Arc::ptr_eq(k, &signing))
            .map(|k| k.kid.clone())
            .collect();
        self.published = vec![signing];
        retired
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng as _;

    use super::*;
    use crate::types::Algorithm;

    fn published_kids(keys: &KeySet) -> Vec<String> {
        keys.jwks()["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn rotation_takes_the_next_pool_key_and_keeps_the_old_one_published() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut keys = KeySet::new(pool_key(Algorithm::ES256, 3, &mut rng));
        let old = keys.signing();
        let new_kid = keys.rotate(&mut rng);
        assert_eq!(keys.signing().pool_index, 0, "the pool wraps around");
        assert!(new_kid.starts_with("es256-"), "{new_kid}");
        assert_eq!(
            published_kids(&keys),
            [new_kid.clone(), old.kid().to_owned()]
        );
        assert!(keys.find(Some(old.kid())).is_some());
        assert_eq!(keys.retire_old(), [old.kid().to_owned()]);
        assert!(keys.find(Some(old.kid())).is_none());
        assert_eq!(published_kids(&keys), [new_kid]);
    }

    #[test]
    fn a_withheld_key_signs_and_verifies_here_but_is_not_published() {
        let mut rng = StdRng::seed_from_u64(2);
        let mut keys = KeySet::new(pool_key(Algorithm::RS256, 0, &mut rng));
        let old_kid = keys.signing().kid().to_owned();
        let withheld = keys.rotate_withheld(&mut rng);
        assert_eq!(published_kids(&keys), [old_kid.as_str()]);
        assert!(keys.find(Some(&withheld)).is_some());
        keys.publish_signing_key();
        keys.publish_signing_key();
        assert_eq!(published_kids(&keys), [withheld, old_kid]);
    }
}
