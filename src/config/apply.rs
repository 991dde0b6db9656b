//! Applying declared settings, clients and users to a running server: the one path the
//! admin API and the config file share. Each step checks everything before it changes
//! anything, so a refused call leaves the server as it was.

use serde_json::{json, Value};

use super::error::ConfigError;
use super::fields::TenantId;
use super::schema::{ClientSpec, TenantSettings, UserSpec};
use crate::fixture::{ClientBuilder, UserBuilder};
use crate::shared::Shared;
use crate::store::TenantKey;
use crate::store::{Tenant, DEFAULT_TENANT_ID};
use crate::tenant::{index_of, install, unknown_tenant, TenantBuilder};
use crate::totp;
use crate::types::ClientId;

/// Why a declaration was refused; the admin API answers 400, 404 and 409 for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A value that cannot be (the message names the field).
    Invalid(String),
    /// `configId` names no tenant.
    UnknownTenant(String),
    /// An id, username or issuer path that is taken.
    Conflict(String),
}

impl Refusal {
    pub(crate) fn message(&self) -> &str {
        match self {
            Refusal::Invalid(m) | Refusal::UnknownTenant(m) | Refusal::Conflict(m) => m,
        }
    }
}

/// The index of the tenant `id` names (the default tenant when `None`).
pub(crate) fn tenant_index(shared: &Shared, id: Option<&TenantId>) -> Result<TenantKey, Refusal> {
    let id = id.map_or(DEFAULT_TENANT_ID, |id| id.0.as_str());
    let store = shared.lock();
    index_of(&store, id)
        .ok_or_else(|| Refusal::UnknownTenant(format!("configId: {}", unknown_tenant(&store, id))))
}

/// Applies `settings` to the tenant they name, creating it when there is none by that id.
pub(crate) fn configure(shared: &Shared, settings: &TenantSettings) -> Result<TenantKey, Refusal> {
    if let Some(simulation) = &settings.error_simulation {
        simulation.0.validate().map_err(Refusal::Invalid)?;
    }
    let id = settings
        .project_id
        .as_ref()
        .map_or(DEFAULT_TENANT_ID, |id| id.0.as_str());
    let index = {
        let mut store = shared.lock();
        let index = match index_of(&store, id) {
            Some(index) => {
                fixed_at_creation(&store[index], settings)?;
                index
            }
            None => {
                let mut plan = TenantBuilder::new(id);
                plan.issuer_path = settings.issuer_path.as_ref().map(|p| p.0.clone());
                if let Some(algorithm) = settings.algorithm {
                    plan.algorithm = algorithm.0;
                }
                install(&mut store, &plan, shared.clock.unix()).map_err(Refusal::Conflict)?
            }
        };
        let tenant = &mut store[index];
        if let Some(enabled) = settings.enabled {
            tenant.enabled = enabled;
        }
        if let Some(ttl) = settings.access_token_ttl {
            tenant.lifetimes.access_token = ttl.duration();
        }
        if let Some(ttl) = settings.refresh_token_ttl {
            tenant.lifetimes.refresh_token = ttl.duration();
        }
        index
    };
    if let Some(simulation) = &settings.error_simulation {
        // Checked above, so this cannot refuse.
        let _ = shared.faults.set_simulation(index, simulation.0.clone());
    }
    Ok(index)
}

/// Refuses to change what only a new tenant may set.
fn fixed_at_creation(tenant: &Tenant, settings: &TenantSettings) -> Result<(), Refusal> {
    if let Some(path) = settings.issuer_path.as_ref().map(|p| &p.0) {
        if *path != tenant.issuer_path {
            return Err(Refusal::Invalid(format!(
                "issuerPath is set only when a tenant is created; tenant {:?} keeps {:?}",
                tenant.id, tenant.issuer_path
            )));
        }
    }
    let current = tenant.keys.signing().alg();
    match settings.algorithm {
        Some(algorithm) if algorithm.0 != current => Err(Refusal::Invalid(format!(
            "algorithm is set only when a tenant is created; tenant {:?} keeps {current}",
            tenant.id
        ))),
        _ => Ok(()),
    }
}

impl ClientSpec {
    /// A contradiction between fields: the field and what is wrong with it.
    pub(crate) fn problem(&self) -> Option<(&'static str, &'static str)> {
        if self.public && self.client_secret.is_some() {
            return Some((
                "clientSecret",
                "is refused: a public client has no secret; leave clientSecret out or set public to false",
            ));
        }
        if self.grant_types.as_ref().is_some_and(Vec::is_empty) {
            return Some((
                "grantTypes",
                "must list at least one grant, e.g. [\"client_credentials\"]",
            ));
        }
        None
    }
}

/// Registers the client `spec` declares; returns its tenant and id.
pub(crate) fn add_client(
    shared: &Shared,
    spec: &ClientSpec,
) -> Result<(TenantKey, ClientId), Refusal> {
    if let Some((field, message)) = spec.problem() {
        return Err(Refusal::Invalid(
            ConfigError::at_field(field, message).describe(),
        ));
    }
    let index = tenant_index(shared, spec.config_id.as_ref())?;
    let id = match &spec.client_id {
        Some(id) => id.0.clone(),
        None => shared.lock().id("client_"),
    };
    let mut client = ClientBuilder::new(shared, index, id).name(spec.client_name.0.clone());
    if spec.public {
        client = client.public();
    }
    if let Some(secret) = &spec.client_secret {
        client = client.secret(secret.0.clone());
    }
    for uri in &spec.redirect_uris {
        client = client.redirect_uri(uri.0.clone());
    }
    for uri in &spec.post_logout_redirect_uris {
        client = client.post_logout_redirect_uri(uri.0.clone());
    }
    if spec.allow_any_loopback_port {
        client = client.allow_any_loopback_port();
    }
    if let Some(grants) = &spec.grant_types {
        client = client.grant_types(grants.iter().map(|g| g.0));
    }
    if let Some(scopes) = &spec.scopes {
        client = client.scopes(scopes.iter().map(|s| s.0.clone()));
    }
    let created = client
        .try_create()
        .map_err(|problem| Refusal::Conflict(format!("clientId: {problem}")))?;
    Ok((index, created.id().clone()))
}

/// Registers the user `spec` declares; returns its tenant and id.
pub(crate) fn add_user(shared: &Shared, spec: &UserSpec) -> Result<(TenantKey, String), Refusal> {
    let index = tenant_index(shared, spec.config_id.as_ref())?;
    let mut user = UserBuilder::new(shared, index, spec.username.0.clone())
        .password(spec.password.0.clone())
        .email(spec.email.0.clone());
    if let Some(roles) = &spec.roles {
        user = user.roles(roles.iter().map(|r| r.0.clone()));
    }
    if spec.mfa_enabled {
        user = user.mfa_totp();
    }
    for (name, value) in spec.claims.iter().flatten() {
        user = user.claim(name.clone(), value.clone());
    }
    if let Some(id) = &spec.id {
        user = user.id(id.0.clone());
    }
    if let Some(name) = &spec.name {
        user = user.name(name.0.clone());
    }
    if let Some(verified) = spec.email_verified {
        user = user.email_verified(verified);
    }
    let created = user
        .try_create()
        .map_err(|clash| Refusal::Conflict(format!("{}: {}", clash.field(), clash.describe())))?;
    Ok((index, created.id().to_owned()))
}

/// A tenant's config as `POST /config` answers it, with its default client's credentials.
pub(crate) fn tenant_view(shared: &Shared, index: TenantKey) -> Value {
    let simulation = shared.faults.simulation(index);
    let store = shared.lock();
    let tenant = &store[index];
    let client = &tenant.clients[&tenant.default_client];
    json!({
        "projectId": tenant.id,
        "configId": tenant.id,
        "enabled": tenant.enabled,
        "issuer": shared.issuer_of(tenant),
        "issuerPath": tenant.issuer_path,
        "algorithm": tenant.keys.signing().alg().as_str(),
        "accessTokenTTL": tenant.lifetimes.access_token.as_secs(),
        "refreshTokenTTL": tenant.lifetimes.refresh_token.as_secs(),
        "errorSimulation": simulation,
        "client_id": client.id.as_str(),
        "client_secret": client.secret.as_ref().map(|s| s.secret()),
    })
}

/// A client as `POST /clients` answers it.
pub(crate) fn client_view(shared: &Shared, index: TenantKey, id: &ClientId) -> Value {
    let store = shared.lock();
    let tenant = &store[index];
    let client = &tenant.clients[id];
    let mut view = json!({
        "client_id": client.id.as_str(),
        "client_name": client.name,
        "config_id": tenant.id,
        "public": client.is_public(),
        "grant_types": client.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "redirect_uris": client.redirect_uris,
        "post_logout_redirect_uris": client.post_logout_redirect_uris,
        "scopes": client.scopes,
    });
    if let Some(secret) = &client.secret {
        view["client_secret"] = json!(secret.secret());
    }
    view
}

/// A user as `POST /users` answers it: never its password or hash.
pub(crate) fn user_view(shared: &Shared, index: TenantKey, id: &str) -> Value {
    let store = shared.lock();
    let tenant = &store[index];
    let user = &tenant.users[id];
    let mut view = json!({
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "email_verified": user.email_verified,
        "name": user.name,
        "roles": user.roles,
        "claims": user.claims,
        "mfa_enabled": user.totp_secret.is_some(),
        "config_id": tenant.id,
    });
    if let Some(secret) = user.totp_secret.as_ref() {
        view["totp_secret"] = json!(totp::base32(secret));
    }
    view
}
