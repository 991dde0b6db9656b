//! In-process minting: `auth.issue_token()…` builds a token with the same `grant::plan`
//! the token endpoint uses, records it in the ledger the same way, and signs it with the
//! server's current key. A resource server's test then needs no login flow, and the
//! server's own `/introspect`, `/userinfo` and revocation treat the token like any other.

mod issued_tokens;

pub use issued_tokens::IssuedTokens;

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::forge::{self, Forgery};
use crate::grant::{plan, Domain, Subject, TokenPlan};
use crate::keys::KeySet;
use crate::shared::Shared;
use crate::store::TenantKey;
use crate::store::{Client, SignIn, Tenant, User};
use crate::types::ClientId;

/// Claims the server sets itself, with the builder method (or forgery) that changes each.
const RESERVED_CLAIMS: [(&str, &str); 10] = [
    ("iss", ".forge(Forgery::WrongIssuer)"),
    ("sub", ".user(..) or .client(..)"),
    ("aud", ".audience(..)"),
    ("exp", ".lifetime(..) or .forge(Forgery::Expired)"),
    ("iat", ".lifetime(..)"),
    ("nbf", ".forge(Forgery::NotYetValid)"),
    ("jti", "nothing: revocation keys on it"),
    ("client_id", ".client(..)"),
    ("scope", ".scopes(..)"),
    (
        "sid",
        "nothing: logout and refresh-token revocation key on it",
    ),
];

/// What a token minted in process is about and how it looks. Made by
/// [`MockAuth::issue_token`]; ends with [`access_token`](Self::access_token),
/// [`tokens`](Self::tokens) or [`forge`](Self::forge).
#[derive(Debug)]
#[must_use = "nothing is issued until .access_token(), .tokens() or .forge(..)"]
pub struct TokenBuilder<'a> {
    shared: &'a Shared,
    tenant: TenantKey,
    user: Option<String>,
    client: Option<String>,
    scopes: Option<Vec<String>>,
    audiences: Vec<String>,
    claims: Map<String, Value>,
    lifetime: Option<Duration>,
}

impl<'a> TokenBuilder<'a> {
    pub(crate) fn new(shared: &'a Shared, tenant: TenantKey) -> Self {
        Self {
            shared,
            tenant,
            user: None,
            client: None,
            scopes: None,
            audiences: Vec::new(),
            claims: Map::new(),
            lifetime: None,
        }
    }

    /// The user the token is about, by username, email or id. It must exist
    /// (`auth.user(..).create()`); its roles and claims go into the token as at login.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The client the token is issued to (default: the default client). Without
    /// [`user`](Self::user) the token is the client's own, as `client_credentials` issues
    /// it: `sub` is the client id, and there is no id_token or refresh token.
    pub fn client(mut self, client_id: impl Into<String>) -> Self {
        self.client = Some(client_id.into());
        self
    }

    /// The granted scopes (default: all of the client's). Any scope goes, registered with
    /// the client or not: a resource server's test decides what it needs. With `openid`
    /// and a user, [`tokens`](Self::tokens) has an id_token too.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The access token's `aud` (default: the client id). Call it again for several
    /// audiences (`aud` becomes an array). The server's own endpoints accept the token.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// A claim of the access token (and of the id_token, if any), replacing a user claim
    /// of the same name.
    ///
    /// # Panics
    /// For a claim the server sets itself (`iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, `jti`,
    /// `client_id`, `scope`, `sid`); the message names the method that changes it.
    #[track_caller]
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        if let Some((_, instead)) = RESERVED_CLAIMS.iter().find(|(n, _)| *n == name) {
            panic!(
                "claim {name:?} is set by the server; to change it use {instead} on auth.issue_token()"
            );
        }
        self.claims.insert(name, value.into());
        self
    }

    /// The access token's lifetime (default: the server's access token TTL): `exp` is
    /// `iat` plus this.
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// Issues the tokens and returns the access token (a JWT).
    ///
    /// # Panics
    /// If the user or the client does not exist; the message says how to create it.
    #[track_caller]
    pub fn access_token(self) -> String {
        self.tokens().into_access_token()
    }

    /// Issues the tokens and returns all of them, as the token endpoint would answer.
    ///
    /// # Panics
    /// If the user or the client does not exist; the message says how to create it.
    #[track_caller]
    pub fn tokens(self) -> IssuedTokens {
        let (plan, _) = self.plan(None);
        IssuedTokens::from_answer(&plan.sign())
    }

    /// Issues an access token that is wrong in exactly one way, for a negative test; see
    /// [`Forgery`] for each kind and [`Forgery::ALL`] to try them all.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{Forgery, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// for forgery in Forgery::ALL {
    ///     let token = auth.issue_token().forge(forgery);
    ///     let status = reqwest::Client::new()
    ///         .get(auth.userinfo_url())
    ///         .bearer_auth(&token)
    ///         .send().await.unwrap()
    ///         .status();
    ///     assert_eq!(status, 401, "{forgery}");
    /// }
    /// # }
    /// ```
    ///
    /// # Panics
    /// If the user or the client does not exist, and for
    /// [`Forgery::AlgorithmConfusion`] on an HS256 server (it has no public key).
    #[track_caller]
    pub fn forge(self, forgery: Forgery) -> String {
        let (plan, keys) = self.plan(Some(forgery));
        let token = IssuedTokens::from_answer(&plan.sign()).into_access_token();
        forge::after_signing(forgery, token, &keys)
    }

    /// Plans the tokens under the store lock exactly as the token endpoint does, then
    /// applies this builder's audience, lifetime, claims and the claim-level forgery.
    #[track_caller]
    fn plan(&self, forgery: Option<Forgery>) -> (TokenPlan, KeySet) {
        let now = self.shared.clock.unix();
        let mut store = self.shared.lock();
        let issuer = self.shared.issuer_of(&store[self.tenant]);
        let (client, subject) = {
            let tenant = &store[self.tenant];
            let client = self.resolve_client(tenant);
            let user = self.resolve_user(tenant);
            (client, user)
        };
        let subject = match subject {
            Some(user) => Subject::User {
                user: Box::new(user),
                family: store.id("sid_"),
                auth_time: now,
                nonce: None,
                sign_in: SignIn::Assumed,
            },
            None => Subject::Client,
        };
        let scopes = self.scopes.clone().unwrap_or_else(|| client.scopes.clone());
        let mut domain = Domain {
            store: &mut store,
            tenant: self.tenant,
            now,
            issuer: &issuer,
        };
        let mut plan = plan(&mut domain, &client, &subject, scopes);
        self.shape(&mut plan);
        let tenant = &mut store[self.tenant];
        for audience in &self.audiences {
            if !tenant
                .clients
                .contains_key(&ClientId::new(audience.as_str()))
            {
                tenant.ledger.minted_audiences.insert(audience.clone());
            }
        }
        if let Some(forgery) = forgery {
            forge::before_signing(forgery, plan.access_claims_mut(), &mut tenant.ledger, now);
        }
        (plan, tenant.keys.clone())
    }

    /// Audience, lifetime and extra claims on top of what the token endpoint would issue.
    fn shape(&self, plan: &mut TokenPlan) {
        if let Some(lifetime) = self.lifetime {
            let access = plan.access_claims_mut();
            let iat = access.get("iat").and_then(Value::as_u64).unwrap_or(0);
            access.insert("exp".into(), json!(iat.saturating_add(lifetime.as_secs())));
            plan.set_expires_in(lifetime.as_secs());
        }
        match self.audiences.as_slice() {
            [] => {}
            [one] => {
                plan.access_claims_mut().insert("aud".into(), json!(one));
            }
            many => {
                plan.access_claims_mut().insert("aud".into(), json!(many));
            }
        }
        for (name, value) in &self.claims {
            plan.access_claims_mut().insert(name.clone(), value.clone());
            if let Some(id) = plan.id_claims_mut() {
                id.insert(name.clone(), value.clone());
            }
        }
    }

    #[track_caller]
    fn resolve_client(&self, tenant: &Tenant) -> Client {
        let id = match &self.client {
            Some(id) => id.as_str(),
            None => tenant.default_client.as_str(),
        };
        match tenant.client(id) {
            Ok(client) => client.clone(),
            Err(_) => panic!(
                "issue_token: no client {id:?} on this server; create it with auth.client({id:?}).create()"
            ),
        }
    }

    /// The user the token is about; `None` for a token of the client itself.
    #[track_caller]
    fn resolve_user(&self, tenant: &Tenant) -> Option<User> {
        let name = match (&self.user, &self.client) {
            (Some(name), _) => name.as_str(),
            (None, Some(_)) => return None,
            (None, None) => tenant.default_user.as_str(),
        };
        match tenant.find_user(name) {
            Some(user) => Some(user.clone()),
            None => panic!(
                "issue_token: no user {name:?} on this server; create it with auth.user({name:?}).create()"
            ),
        }
    }
}
