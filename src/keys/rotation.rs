//! Key rotation: a new key signs, old keys stay published until retired, and a key that
//! signs before it is published (the JWKS lagging behind the signer, as a cached JWKS or a
//! slow rollout makes it) for testing a client's JWKS-refetch logic.

use std::sync::Arc;

use rand::RngCore;

use super::{pool_key, KeySet, POOL_SIZE};
use crate::server::MockAuth;

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

impl MockAuth {
    /// Rotates the default tenant's signing key: the next key of the bundled pool, under a
    /// new `kid`, signs every token from now on and is published first in the JWKS. Tokens
    /// signed by the previous key keep verifying (it stays published) until
    /// [`retire_old_keys`](Self::retire_old_keys). Returns the new `kid`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let auth = mockauth::MockAuth::start().await;
    /// let old_kid = auth.signing_key_id();
    /// let new_kid = auth.rotate_keys();
    /// assert_ne!(old_kid, new_kid);
    ///
    /// let jwks: serde_json::Value = reqwest::get(auth.jwks_url()).await.unwrap().json().await.unwrap();
    /// let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    /// assert_eq!(kids, [new_kid.as_str(), old_kid.as_str()]);
    /// # }
    /// ```
    pub fn rotate_keys(&self) -> String {
        let mut store = self.shared().lock();
        let store = &mut *store;
        store.tenants[0].keys.rotate(&mut store.rng)
    }

    /// Unpublishes every key of the default tenant except the one that signs now. Tokens
    /// signed by a retired key stop verifying, both at this server (`/userinfo` answers 401,
    /// `/introspect` says `active: false`) and for a client that refetches the JWKS.
    /// Returns the retired `kid`s.
    ///
    /// ```
    /// # fn main() {
    /// let auth = mockauth::MockAuth::start_blocking();
    /// let old_kid = auth.signing_key_id();
    /// auth.rotate_keys();
    /// assert_eq!(auth.retire_old_keys(), [old_kid]);
    /// # }
    /// ```
    pub fn retire_old_keys(&self) -> Vec<String> {
        self.shared().lock().tenants[0].keys.retire_old()
    }

    /// The key-id mismatch scenario: rotates to a new signing key but leaves it out of the
    /// JWKS, so tokens name a `kid` that the JWKS does not have, even after a refetch (this
    /// server still accepts them itself, as a real issuer knows its own key). Use it to test
    /// that a client refetches the JWKS on an unknown `kid`, rejects the token cleanly when
    /// the refetch does not help, and does not refetch in a loop. End it with
    /// [`publish_signing_key`](Self::publish_signing_key). Returns the new `kid`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let auth = mockauth::MockAuth::start().await;
    /// let withheld = auth.rotate_keys_without_publishing();
    /// let jwks = reqwest::get(auth.jwks_url()).await.unwrap().text().await.unwrap();
    /// assert!(!jwks.contains(&withheld));
    ///
    /// auth.publish_signing_key();
    /// let jwks = reqwest::get(auth.jwks_url()).await.unwrap().text().await.unwrap();
    /// assert!(jwks.contains(&withheld));
    /// # }
    /// ```
    pub fn rotate_keys_without_publishing(&self) -> String {
        let mut store = self.shared().lock();
        let store = &mut *store;
        store.tenants[0].keys.rotate_withheld(&mut store.rng)
    }

    /// Publishes the signing key that
    /// [`rotate_keys_without_publishing`](Self::rotate_keys_without_publishing) withheld;
    /// does nothing when it is already published.
    pub fn publish_signing_key(&self) {
        self.shared().lock().tenants[0].keys.publish_signing_key();
    }

    /// The `kid` of the key that signs the default tenant's tokens now (the `kid` header of
    /// every token it issues).
    pub fn signing_key_id(&self) -> String {
        self.shared().lock().tenants[0]
            .keys
            .signing()
            .kid()
            .to_owned()
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
