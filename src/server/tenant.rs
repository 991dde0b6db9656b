//! [`Tenant`]: the handle of one tenant of a running server, and [`MockAuth`]'s verbs that
//! find or add tenants.

use super::MockAuth;
use crate::fault::ErrorSimulation;
use crate::fixture::{to_test_user, ClientBuilder, ClientCredentials, TestUser, UserBuilder};
use crate::store::TenantKey;
use crate::tenant::{index_of, install, unknown_tenant, TenantBuilder};
use crate::totp;

/// One tenant of a running server: its URLs and its fixture verbs. Made by
/// [`MockAuth::tenant`], [`MockAuth::add_tenant`] or [`MockAuth::default_tenant`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::MockAuth;
///
/// let auth = MockAuth::start().await;
/// let acme = auth.add_tenant("acme", |t| t.issuer_path("/realms/acme"));
/// let web = acme.client("web").create();
///
/// let token: serde_json::Value = reqwest::Client::new()
///     .post(acme.token_url())
///     .basic_auth(web.client_id(), web.client_secret())
///     .form(&[("grant_type", "client_credentials")])
///     .send().await.unwrap()
///     .json().await.unwrap();
/// assert_eq!(token["token_type"], "Bearer");
/// // The default tenant has never heard of "web".
/// assert!(auth.default_tenant().id() == "default");
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Tenant<'a> {
    auth: &'a MockAuth,
    index: TenantKey,
}

impl<'a> Tenant<'a> {
    /// The server and this tenant's index, for the verbs of other modules (the service
    /// face's live beside their domain, in `fixture::service`).
    pub(crate) fn parts(&self) -> (&'a MockAuth, TenantKey) {
        (self.auth, self.index)
    }

    fn read<R>(&self, f: impl FnOnce(&crate::store::Tenant) -> R) -> R {
        let store = self.auth.shared().lock();
        f(&store[self.index])
    }

    /// The tenant's id: `"default"` for the default tenant.
    pub fn id(&self) -> String {
        self.read(|t| t.id.clone())
    }

    /// `http://127.0.0.1:PORT` plus the tenant's issuer path, no trailing slash (except
    /// under [`Preset::auth0`](crate::Preset::auth0), whose issuer ends with one).
    pub fn issuer(&self) -> String {
        self.read(|t| self.auth.shared().issuer_of(t))
    }

    /// The issuer without the trailing slash an Auth0 preset gives it: where endpoints hang.
    fn endpoint_base(&self) -> String {
        self.issuer().trim_end_matches('/').to_owned()
    }

    /// `{issuer}/.well-known/openid-configuration`
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.endpoint_base())
    }
    /// `{issuer}/.well-known/jwks.json`
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.endpoint_base())
    }
    /// `{issuer}/authorize`
    pub fn authorize_url(&self) -> String {
        format!("{}/authorize", self.endpoint_base())
    }
    /// `{issuer}/token`
    pub fn token_url(&self) -> String {
        format!("{}/token", self.endpoint_base())
    }
    /// `{issuer}/userinfo`
    pub fn userinfo_url(&self) -> String {
        format!("{}/userinfo", self.endpoint_base())
    }
    /// `{issuer}/introspect`
    pub fn introspection_url(&self) -> String {
        format!("{}/introspect", self.endpoint_base())
    }
    /// `{issuer}/revoke`
    pub fn revocation_url(&self) -> String {
        format!("{}/revoke", self.endpoint_base())
    }
    /// `{issuer}/logout`
    pub fn logout_url(&self) -> String {
        format!("{}/logout", self.endpoint_base())
    }
    /// `{issuer}/mfa/verify`
    pub fn mfa_verify_url(&self) -> String {
        format!("{}/mfa/verify", self.endpoint_base())
    }

    /// The tenant's confidential default client (every grant, scopes `openid profile email
    /// offline_access`, any loopback redirect URI).
    pub fn default_client(&self) -> ClientCredentials {
        self.read(|t| ClientCredentials::of(&t.clients[&t.default_client]))
    }

    /// The tenant's default user `testuser` / `password123`.
    pub fn default_user(&self) -> TestUser {
        self.read(|t| {
            to_test_user(
                &t.users[&t.default_user],
                crate::store::DEFAULT_PASSWORD.into(),
            )
        })
    }

    /// Declares a client of this tenant; see [`ClientBuilder`].
    pub fn client(&self, client_id: impl Into<String>) -> ClientBuilder<'a> {
        ClientBuilder::new(self.auth.shared(), self.index, client_id.into())
    }

    /// Declares a user of this tenant; see [`UserBuilder`].
    pub fn user(&self, username: impl Into<String>) -> UserBuilder<'a> {
        UserBuilder::new(self.auth.shared(), self.index, username.into())
    }

    /// The TOTP code a user's authenticator app would show now (server clock).
    ///
    /// # Panics
    /// If the user does not exist in this tenant or has no MFA.
    #[track_caller]
    pub fn totp_code(&self, username: &str) -> String {
        let secret = self.read(|t| {
            let user = t.find_user(username).unwrap_or_else(|| {
                panic!("no user {username:?} in tenant {:?}; create it with .user({username:?}).create()", t.id)
            });
            user.totp_secret.0.clone().unwrap_or_else(|| {
                panic!("user {username:?} has no MFA; create it with .user({username:?}).mfa_totp().create()")
            })
        });
        let now = self.auth.shared().clock.unix();
        totp::code_at_step(&secret, now / totp::STEP_SECONDS)
    }

    /// The HS256 signing secret, when the tenant signs with
    /// [`Algorithm::HS256`](crate::Algorithm::HS256).
    pub fn hs256_secret(&self) -> Option<Vec<u8>> {
        self.read(|t| t.keys.signing().hmac_secret().map(<[u8]>::to_vec))
    }

    /// Turns on (or changes, or with [`ErrorSimulation::default`] turns off) this tenant's
    /// error simulation; see [`ErrorSimulation`].
    ///
    /// # Panics
    /// If `error_rate` is above 100, `delay_ms` above 600000 (ten minutes), or the
    /// simulation is enabled with a rate but no error types.
    #[track_caller]
    pub fn simulate_errors(&self, simulation: ErrorSimulation) {
        if let Err(problem) = self
            .auth
            .shared()
            .faults
            .set_simulation(self.index, simulation)
        {
            panic!("{problem}");
        }
    }
}

/// Tenants.
impl MockAuth {
    /// The default tenant: the one at the server root, which [`MockAuth`]'s own URLs and
    /// fixture verbs use.
    pub fn default_tenant(&self) -> Tenant<'_> {
        Tenant {
            auth: self,
            index: TenantKey::DEFAULT,
        }
    }

    /// The tenant named `id` (`"default"` is the default tenant).
    ///
    /// # Panics
    /// If there is no such tenant; see [`try_tenant`](Self::try_tenant).
    #[track_caller]
    pub fn tenant(&self, id: &str) -> Tenant<'_> {
        self.try_tenant(id).unwrap_or_else(|| {
            let store = self.shared().lock();
            panic!("{}", unknown_tenant(&store, id))
        })
    }

    /// The tenant named `id`, if there is one.
    pub fn try_tenant(&self, id: &str) -> Option<Tenant<'_>> {
        let index = index_of(&self.shared().lock(), id)?;
        Some(Tenant { auth: self, index })
    }

    /// The ids of every tenant, the default one first.
    pub fn tenant_ids(&self) -> Vec<String> {
        let store = self.shared().lock();
        store.tenants().map(|(_, t)| t.id.clone()).collect()
    }

    /// Adds a tenant to the running server; see [`TenantBuilder`] for the settings and their
    /// defaults (issuer path `/api/invoke/{id}/auth`). It starts with its own default client
    /// and `testuser`.
    ///
    /// ```
    /// # fn main() {
    /// use mockauth::MockAuth;
    ///
    /// let auth = MockAuth::start_blocking();
    /// let acme = auth.add_tenant("acme", |t| t);
    /// assert_eq!(acme.issuer(), format!("{}/api/invoke/acme/auth", auth.issuer()));
    /// assert_eq!(acme.default_user().username(), "testuser");
    /// # }
    /// ```
    ///
    /// # Panics
    /// If `id` is taken or not URL-safe, or the issuer path belongs to another tenant.
    #[track_caller]
    pub fn add_tenant(
        &self,
        id: impl Into<String>,
        settings: impl FnOnce(TenantBuilder) -> TenantBuilder,
    ) -> Tenant<'_> {
        let id = id.into();
        let mut plan = settings(TenantBuilder::new(id.clone()));
        plan.id = id;
        let now = self.shared().clock.unix();
        let installed = install(&mut self.shared().lock(), &plan, now);
        match installed {
            Ok(index) => Tenant { auth: self, index },
            Err(problem) => panic!("{problem}"),
        }
    }
}
