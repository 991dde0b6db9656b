//! Turning a granted authorization into tokens: claims under the lock, signatures after it.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::domain::Domain;
use super::scope;
use crate::keys::{left_half_hash, SigningKey};
use crate::mint;
use crate::preset::{self, TokenContext, TokenUser};
use crate::store::{Client, Family, NewRefresh, SignIn, User};
use crate::types::Algorithm;

/// What the OIDC face's refresh tokens start with.
pub(crate) const REFRESH_PREFIX: &str = "rt_";

/// Who a token is about.
#[derive(Debug, Clone)]
pub(crate) enum Subject {
    /// A user; tokens belong to a family (session) that logout and replay detection revoke.
    User {
        user: Box<User>,
        family: String,
        auth_time: u64,
        nonce: Option<String>,
        /// How the user signed in (kept by the family, so refreshes inherit it).
        sign_in: SignIn,
    },
    /// The client itself (client_credentials, or an assertion whose `sub` is the client).
    Client,
}

/// Everything about a token response except the signatures.
#[derive(Debug)]
pub(crate) struct TokenPlan {
    key: Arc<SigningKey>,
    id_key: Arc<SigningKey>,
    access: Map<String, Value>,
    id: Option<Map<String, Value>>,
    refresh: Option<String>,
    expires_in: u64,
    scope: String,
    /// Whom the tokens are for, for the journal (claims may be shaped by a preset).
    client_id: String,
    username: Option<String>,
}

impl TokenPlan {
    /// The client the tokens are issued to.
    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The user the tokens are about; `None` when they are about the client itself.
    pub(crate) fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The access token's claims, for in-process minting (`issue_token.rs`) to adjust
    /// audience, lifetime and extra claims before signing.
    pub(crate) fn access_claims_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.access
    }

    /// The id_token's claims, when the plan has one.
    pub(crate) fn id_claims_mut(&mut self) -> Option<&mut Map<String, Value>> {
        self.id.as_mut()
    }

    /// The `expires_in` of the answer, when minting changed the access token's lifetime.
    pub(crate) fn set_expires_in(&mut self, seconds: u64) {
        self.expires_in = seconds;
    }

    /// Signs the tokens (call this after releasing the store lock) and builds the
    /// RFC 6749 §5.1 answer.
    pub(crate) fn sign(self) -> Value {
        let access_token = mint::sign(&self.key, mint::ACCESS_TOKEN_TYP, &self.access);
        let mut answer = json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": self.scope,
        });
        if let Some(refresh) = self.refresh {
            answer["refresh_token"] = Value::String(refresh);
        }
        if let Some(mut id) = self.id {
            id.insert(
                "at_hash".into(),
                Value::String(left_half_hash(self.key.alg(), access_token.as_bytes())),
            );
            answer["id_token"] = Value::String(mint::sign(&self.id_key, mint::ID_TOKEN_TYP, &id));
        }
        answer
    }
}

/// Records the tokens of one issuance and returns what to sign.
pub(crate) fn plan(
    d: &mut Domain<'_>,
    client: &Client,
    subject: &Subject,
    scopes: Vec<String>,
) -> TokenPlan {
    let now = d.now;
    let jti = d.store.id("");
    let lifetimes = d.tenant().lifetimes;
    let key = d.tenant().keys.signing();
    // OIDC Core §10.1: an HS256 id_token is MACed with the client's own secret, the one key
    // the client can check it with.
    let id_key = match (&client.secret, key.alg()) {
        (Some(secret), Algorithm::HS256) => {
            Arc::new(SigningKey::client_secret(secret.secret().as_bytes()))
        }
        _ => key.clone(),
    };
    let scope_text = scopes.join(" ");
    let exp = now.saturating_add(lifetimes.access_token.as_secs());

    let mut access = Map::new();
    access.insert("iss".into(), json!(d.issuer));
    access.insert("aud".into(), json!(client.id.as_str()));
    access.insert("exp".into(), json!(exp));
    access.insert("iat".into(), json!(now));
    access.insert("nbf".into(), json!(now));
    access.insert("jti".into(), json!(jti));
    access.insert("client_id".into(), json!(client.id.as_str()));
    access.insert("scope".into(), json!(scope_text));

    let (mut id, refresh) = match subject {
        Subject::Client => {
            access.insert("sub".into(), json!(client.id.as_str()));
            (None, None)
        }
        Subject::User {
            user,
            family,
            auth_time,
            nonce,
            sign_in,
        } => {
            access.insert("sub".into(), json!(user.id));
            access.insert("sid".into(), json!(family));
            access.insert("auth_time".into(), json!(auth_time));
            access.insert("preferred_username".into(), json!(user.username));
            access.insert("roles".into(), json!(user.roles));
            for (k, v) in &user.claims {
                access.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let refresh_expires = now.saturating_add(lifetimes.refresh_token.as_secs());
            let tenant = d.tenant;
            d.tenant_mut()
                .ledger
                .families
                .entry(family.clone())
                .or_insert_with(|| Family {
                    auth_time: *auth_time,
                    sign_in: *sign_in,
                    ..Family::default()
                })
                .issued_until(exp);
            let refresh = if client.allows_grant(crate::types::GrantType::RefreshToken) {
                let grant = NewRefresh {
                    holder: client.id.as_str(),
                    user_id: &user.id,
                    scope: scopes.clone(),
                    expires_at: refresh_expires,
                };
                d.store.issue_refresh(tenant, REFRESH_PREFIX, family, grant)
            } else {
                None
            };
            let id = scope::has(&scopes, "openid").then(|| {
                id_claims(
                    d.issuer,
                    client,
                    user,
                    &scopes,
                    family,
                    *auth_time,
                    nonce.as_deref(),
                    now,
                    now.saturating_add(lifetimes.id_token.as_secs()),
                )
            });
            (id, refresh)
        }
    };
    // The one hook for per-server shapes: a provider preset's claims, then the issue skew.
    let token = TokenContext {
        issuer: d.issuer,
        client_id: client.id.as_str(),
        user: match subject {
            Subject::User { user, .. } => Some(TokenUser {
                id: &user.id,
                username: &user.username,
                name: &user.name,
                email: &user.email,
                email_verified: user.email_verified,
                roles: &user.roles,
                claims: &user.claims,
            }),
            Subject::Client => None,
        },
        scopes: &scopes,
    };
    let (preset, skew) = (d.tenant().preset.as_ref(), d.store.issue_skew);
    preset::shape_tokens(preset, skew, &token, &mut access, id.as_mut());
    let tenant = d.tenant;
    d.store.note_issuance(tenant, now);
    TokenPlan {
        key,
        id_key,
        access,
        id,
        refresh,
        expires_in: lifetimes.access_token.as_secs(),
        scope: scope_text,
        client_id: client.id.as_str().to_owned(),
        username: match subject {
            Subject::User { user, .. } => Some(user.username.clone()),
            Subject::Client => None,
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn id_claims(
    issuer: &str,
    client: &Client,
    user: &User,
    scopes: &[String],
    sid: &str,
    auth_time: u64,
    nonce: Option<&str>,
    now: u64,
    exp: u64,
) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(issuer));
    claims.insert("sub".into(), json!(user.id));
    claims.insert("aud".into(), json!([client.id.as_str()]));
    claims.insert("azp".into(), json!(client.id.as_str()));
    claims.insert("exp".into(), json!(exp));
    claims.insert("iat".into(), json!(now));
    claims.insert("auth_time".into(), json!(auth_time));
    claims.insert("sid".into(), json!(sid));
    if let Some(nonce) = nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    // Claims by scope, OIDC Core §5.4.
    let profile = user.profile();
    if scope::has(scopes, "profile") {
        claims.insert("name".into(), profile["name"].clone());
        claims.insert(
            "preferred_username".into(),
            profile["preferred_username"].clone(),
        );
    }
    if scope::has(scopes, "email") {
        claims.insert("email".into(), profile["email"].clone());
        claims.insert("email_verified".into(), profile["email_verified"].clone());
    }
    claims.insert("roles".into(), json!(user.roles));
    for (k, v) in &user.claims {
        claims.entry(k.clone()).or_insert_with(|| v.clone());
    }
    claims
}
