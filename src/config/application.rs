//! Applications of the service face from the admin API (`POST /applications`) and the
//! config file (`applications[]`): one path for both, as for clients and users.

use serde_json::{json, Value};

use super::apply::{tenant_index, Refusal};
use super::schema::ApplicationSpec;
use crate::shared::Shared;
use crate::store::TenantKey;
use crate::store::{ApplicationRefusal, ClaimsSource, NewApplication};

/// Registers the application `spec` declares; returns its tenant and id.
pub(crate) fn add_application(
    shared: &Shared,
    spec: &ApplicationSpec,
) -> Result<(TenantKey, String), Refusal> {
    let index = tenant_index(shared, spec.config_id.as_ref())?;
    let new = NewApplication {
        name: spec.name.0.clone(),
        secret: spec.secret.as_ref().map(|s| s.0.clone()),
        claims: spec
            .claims_url
            .as_ref()
            .map_or(ClaimsSource::Nothing, |url| {
                ClaimsSource::Url(url.0.clone())
            }),
    };
    let app = shared
        .lock()
        .add_application(index, new)
        .map_err(|refusal| match refusal {
            ApplicationRefusal::Invalid(message) => Refusal::Invalid(message),
            ApplicationRefusal::Conflict(message) => Refusal::Conflict(message),
        })?;
    Ok((index, app.id))
}

/// An application as `POST /applications` answers it: `{id, name, secret, claimsUrl,
/// configId}` (`claimsUrl` null when it has none).
pub(crate) fn application_view(shared: &Shared, index: TenantKey, id: &str) -> Value {
    let store = shared.lock();
    let tenant = &store[index];
    let app = tenant.service.applications.iter().find(|app| app.id == id);
    match app {
        Some(app) => json!({
            "id": app.id,
            "name": app.name,
            "secret": app.secret.as_str(),
            "claimsUrl": app.claims.url(),
            "configId": tenant.id,
        }),
        None => Value::Null,
    }
}
