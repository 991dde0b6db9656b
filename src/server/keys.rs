//! Key rotation seen from a test.

use super::MockAuth;
use crate::store::TenantKey;

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
        let (tenant, rng) = store.tenant_and_rng(TenantKey::DEFAULT);
        tenant.keys.rotate(rng)
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
        self.shared().lock()[TenantKey::DEFAULT].keys.retire_old()
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
        let (tenant, rng) = store.tenant_and_rng(TenantKey::DEFAULT);
        tenant.keys.rotate_withheld(rng)
    }

    /// Publishes the signing key that
    /// [`rotate_keys_without_publishing`](Self::rotate_keys_without_publishing) withheld;
    /// does nothing when it is already published.
    pub fn publish_signing_key(&self) {
        self.shared().lock()[TenantKey::DEFAULT]
            .keys
            .publish_signing_key();
    }

    /// The `kid` of the key that signs the default tenant's tokens now (the `kid` header of
    /// every token it issues).
    pub fn signing_key_id(&self) -> String {
        self.shared().lock()[TenantKey::DEFAULT]
            .keys
            .signing()
            .kid()
            .to_owned()
    }
}
