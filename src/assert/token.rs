//! [`TokenAssertion`]: chainable checks over one token's verified claims.

use std::fmt::Display;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::check::active_access_token;
use crate::keys::{KeySet, SigningKey};
use crate::mint::{self, Claims, Rejection};
use crate::shared::{Shared, TenantRef};
use crate::store::TenantKey;
use crate::types::Redacted;

/// Assertions over one token whose signature this server checked first. Made by
/// [`MockAuth::assert_token`]; each method panics with `expected …, found …` and the
/// token's claims, and returns `&Self` to chain.
#[derive(Debug)]
pub struct TokenAssertion<'a> {
    shared: &'a Shared,
    tenant: TenantKey,
    token: Redacted<String>,
    claims: Claims,
}

impl<'a> TokenAssertion<'a> {
    #[track_caller]
    pub(crate) fn verify(shared: &'a Shared, tenant: TenantKey, token: &str) -> Self {
        let (keys, client_keys) = {
            let store = shared.lock();
            let t = &store[tenant];
            let client_keys: Vec<KeySet> = t
                .clients
                .values()
                .filter_map(|c| c.secret.as_ref())
                .map(|s| KeySet::new(SigningKey::client_secret(s.secret().as_bytes())))
                .collect();
            (t.keys.clone(), client_keys)
        };
        let verified = mint::verify(&keys, token).or_else(|rejection| {
            // An HS256 id_token carries no kid: its client's secret MACed it.
            let unkeyed =
                matches!(mint::decode_unverified(token), Ok((h, _)) if !h.contains_key("kid"));
            client_keys
                .iter()
                .filter(|_| unkeyed)
                .find_map(|keys| mint::verify(keys, token).ok())
                .ok_or(rejection)
        });
        match verified {
            Ok(claims) => Self {
                shared,
                tenant,
                token: Redacted(token.to_owned()),
                claims,
            },
            Err(rejection) => fail_unverified(token, rejection),
        }
    }

    /// The verified claims, for reading what no assertion covers.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// `sub` is `expected`, or is the id of the user whose username or email is `expected`.
    #[track_caller]
    pub fn subject(&self, expected: &str) -> &Self {
        let sub = self.text("sub");
        let user_id = {
            let store = self.shared.lock();
            store[self.tenant].find_user(expected).map(|u| u.id.clone())
        };
        if sub == Some(expected) || (user_id.is_some() && sub == user_id.as_deref()) {
            return self;
        }
        let wanted = match user_id {
            Some(id) if id != expected => {
                format!("sub {expected:?} (user {expected:?} has sub {id:?})")
            }
            _ => format!("sub {expected:?}"),
        };
        self.fail(wanted, self.found("sub"))
    }

    /// The token was issued to this client: `client_id` (access tokens) or `azp`
    /// (id_tokens) is `client_id`.
    #[track_caller]
    pub fn client(&self, client_id: &str) -> &Self {
        let name = if self.claims.contains_key("client_id") {
            "client_id"
        } else {
            "azp"
        };
        if self.text(name) != Some(client_id) {
            self.fail(format!("{name} {client_id:?}"), self.found(name));
        }
        self
    }

    /// `scope` includes every one of `scopes` (it may hold more).
    #[track_caller]
    pub fn scopes<I, S>(&self, scopes: I) -> &Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let expected: Vec<String> = scopes.into_iter().map(|s| s.as_ref().to_owned()).collect();
        let granted: Vec<&str> = self.text("scope").unwrap_or("").split(' ').collect();
        if !expected.iter().all(|s| granted.contains(&s.as_str())) {
            self.fail(format!("scopes {expected:?}"), self.found("scope"));
        }
        self
    }

    /// `aud` is `audience` or, as an array, includes it.
    #[track_caller]
    pub fn audience(&self, audience: &str) -> &Self {
        let included = match self.claims.get("aud") {
            Some(Value::String(one)) => one == audience,
            Some(Value::Array(many)) => many.iter().any(|a| a.as_str() == Some(audience)),
            _ => false,
        };
        if !included {
            self.fail(format!("aud to include {audience:?}"), self.found("aud"));
        }
        self
    }

    /// The claim `name` equals `value` (compared as JSON).
    #[track_caller]
    pub fn claim(&self, name: &str, value: impl Into<Value>) -> &Self {
        let value = value.into();
        if self.claims.get(name) != Some(&value) {
            self.fail(format!("{name} {value}"), self.found(name));
        }
        self
    }

    /// `exp` is at most `within` after the server's now (by its clock, so
    /// [`MockAuth::advance`] counts). An expired token passes; use [`active`](Self::active)
    /// for "not expired".
    #[track_caller]
    pub fn expires_within(&self, within: Duration) -> &Self {
        let now = self.shared.clock.unix();
        let deadline = now.saturating_add(within.as_secs());
        match self.claims.get("exp").and_then(Value::as_u64) {
            Some(exp) if exp <= deadline => self,
            Some(exp) => self.fail(
                format!(
                    "exp within {}s of the server's now ({deadline})",
                    within.as_secs()
                ),
                format!("exp {exp} ({}s from now)", exp - now),
            ),
            None => self.fail(
                format!(
                    "exp within {}s of the server's now ({deadline})",
                    within.as_secs()
                ),
                "no exp claim",
            ),
        }
    }

    /// The server would accept it now as an access token: issuer, expiry, `nbf`, audience
    /// and revocation, as `/introspect` checks them.
    #[track_caller]
    pub fn active(&self) -> &Self {
        if let Err(reason) = active_access_token(self.shared, &self.tenant_ref(), &self.token) {
            self.fail(
                "an active access token",
                format!("an inactive one: {reason}"),
            );
        }
        self
    }

    /// It was revoked: by `/revoke`, `/logout`, refresh-token replay or
    /// [`Forgery::Revoked`](crate::Forgery::Revoked).
    #[track_caller]
    pub fn revoked(&self) -> &Self {
        let revoked = {
            let store = self.shared.lock();
            let ledger = &store[self.tenant].ledger;
            ledger.access_is_revoked(self.text("jti").unwrap_or_default(), self.text("sid"))
        };
        if !revoked {
            self.fail("a revoked token", "one that is not revoked");
        }
        self
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// `name value` as the token has it, or `no name claim`.
    fn found(&self, name: &str) -> String {
        match self.claims.get(name) {
            Some(value) => format!("{name} {value}"),
            None => format!("no {name} claim"),
        }
    }

    fn tenant_ref(&self) -> TenantRef {
        let store = self.shared.lock();
        let tenant = &store[self.tenant];
        TenantRef {
            index: self.tenant,
            issuer: self.shared.issuer_of(tenant),
            enabled: tenant.enabled,
        }
    }

    #[track_caller]
    fn fail(&self, expected: impl Display, found: impl Display) -> ! {
        panic!(
            "expected {expected}, found {found}\ntoken claims:\n{}",
            pretty(&self.claims)
        )
    }
}

/// The panic for a token this server did not sign, with what it claims to say.
#[track_caller]
fn fail_unverified(token: &str, rejection: Rejection) -> ! {
    let evidence = match mint::decode_unverified(token) {
        Ok((header, claims)) => format!(
            "token header (unverified):\n{}\ntoken claims (unverified):\n{}",
            pretty(&header),
            pretty(&claims)
        ),
        Err(_) => format!("token: {token:?}"),
    };
    panic!(
        "expected a token signed by this server, found one that fails verification: {}\n{evidence}",
        rejection.describe()
    )
}

fn pretty(claims: &Claims) -> String {
    serde_json::to_string_pretty(claims).expect("JSON map serializes")
}
