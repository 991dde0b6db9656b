//! Checks across the entries of a config file, which no single field can make: every tenant
//! declared once, clients and users in declared tenants, no id or username twice.

use std::collections::{BTreeMap, BTreeSet};

use super::error::ConfigError;
use super::schema::FileSchema;
use crate::store::DEFAULT_TENANT_ID;
use crate::tenant::default_issuer_path;

/// The first problem of `file`, named by field.
pub(crate) fn check(file: &FileSchema) -> Result<(), ConfigError> {
    let faces = file
        .faces
        .iter()
        .enumerate()
        .map(|(i, spec)| spec.to_face(i))
        .collect::<Result<Vec<_>, _>>()?;
    crate::mount::check_mounts(&faces)
        .map_err(|problem| ConfigError::at_field("faces", problem))?;
    let mut tenants: BTreeMap<&str, usize> = BTreeMap::new();
    let default_path = file.issuer_path.as_ref().map_or("", |p| p.0.as_str());
    let mut paths: BTreeMap<String, String> = BTreeMap::new();
    paths.insert(default_path.to_owned(), "the default tenant".to_owned());
    for (i, tenant) in file.tenants.iter().enumerate() {
        let Some(id) = tenant.project_id.as_ref().map(|id| id.0.as_str()) else {
            return Err(ConfigError::at_field(
                format!("tenants[{i}].projectId"),
                "missing field",
            ));
        };
        let field = format!("tenants[{i}].projectId");
        if id == DEFAULT_TENANT_ID {
            return Err(ConfigError::at_field(
                field,
                "\"default\" is the default tenant; put its settings at the top level of the file",
            ));
        }
        if let Some(first) = tenants.insert(id, i) {
            return Err(ConfigError::at_field(
                field,
                format!("{id:?} is declared twice (also tenants[{first}])"),
            ));
        }
        let path = tenant
            .issuer_path
            .as_ref()
            .map_or_else(|| default_issuer_path(id), |p| p.0.clone());
        let owner = format!("tenants[{i}]");
        if let Some(other) = paths.insert(path.clone(), owner) {
            return Err(ConfigError::at_field(
                format!("tenants[{i}].issuerPath"),
                format!("{path:?} is also the issuer path of {other}; pick another"),
            ));
        }
    }
    let known = |id: Option<&str>, field: String| match id {
        Some(id) if id != DEFAULT_TENANT_ID && !tenants.contains_key(id) => {
            Err(ConfigError::at_field(
                field,
                format!("no tenant {id:?} is declared; add {{\"projectId\": {id:?}}} to tenants"),
            ))
        }
        _ => Ok(()),
    };
    let mut client_ids = BTreeSet::new();
    for (i, client) in file.clients.iter().enumerate() {
        let tenant = client.config_id.as_ref().map(|id| id.0.as_str());
        known(tenant, format!("clients[{i}].configId"))?;
        if let Some((field, message)) = client.problem() {
            return Err(ConfigError::at_field(
                format!("clients[{i}].{field}"),
                message,
            ));
        }
        if let Some(id) = &client.client_id {
            let key = (tenant.unwrap_or(DEFAULT_TENANT_ID), id.0.as_str());
            if !client_ids.insert(key) {
                return Err(ConfigError::at_field(
                    format!("clients[{i}].clientId"),
                    format!("{:?} is declared twice in tenant {:?}", key.1, key.0),
                ));
            }
        }
    }
    super::fault_spec::check(&file.faults)?;
    let mut usernames = BTreeSet::new();
    for (i, user) in file.users.iter().enumerate() {
        let tenant = user.config_id.as_ref().map(|id| id.0.as_str());
        known(tenant, format!("users[{i}].configId"))?;
        let name = user.username.0.as_str();
        if name == crate::store::DEFAULT_USERNAME {
            return Err(ConfigError::at_field(
                format!("users[{i}].username"),
                "\"testuser\" is every tenant's default user already; pick another username",
            ));
        }
        let key = (tenant.unwrap_or(DEFAULT_TENANT_ID), name);
        if !usernames.insert(key) {
            return Err(ConfigError::at_field(
                format!("users[{i}].username"),
                format!("{name:?} is declared twice in tenant {:?}", key.0),
            ));
        }
    }
    let (mut app_names, mut app_secrets) = (BTreeSet::new(), BTreeSet::new());
    for (i, app) in file.applications.iter().enumerate() {
        let tenant = app.config_id.as_ref().map(|id| id.0.as_str());
        known(tenant, format!("applications[{i}].configId"))?;
        let tenant = tenant.unwrap_or(DEFAULT_TENANT_ID);
        if !app_names.insert((tenant, app.name.0.as_str())) {
            return Err(ConfigError::at_field(
                format!("applications[{i}].name"),
                format!("{:?} is declared twice in tenant {tenant:?}", app.name.0),
            ));
        }
        if let Some(secret) = &app.secret {
            if !app_secrets.insert((tenant, secret.0.as_str())) {
                return Err(ConfigError::at_field(
                    format!("applications[{i}].secret"),
                    format!("is also another application's secret in tenant {tenant:?}; the secret names the application, so give each its own"),
                ));
            }
        }
    }
    Ok(())
}
