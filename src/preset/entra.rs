//! Microsoft Entra ID (v2.0 endpoints): issuer `/{tenant}/v2.0`; `tid`, `oid`, `ver: "2.0"`,
//! `azp`; delegated scopes in `scp` (space-separated), app roles in `roles`.

use aws_lc_rs::digest;
use serde_json::json;

use super::{add, segment_problem, Claims, TokenContext};

/// The Entra ID preset; made by [`Preset::entra`](super::Preset::entra).
///
/// User tokens carry `scp` (the granted scopes, space-separated, in place of `scope`),
/// `roles` (the user's roles as app roles, left out when there are none), `oid` (a GUID
/// derived from the user's id, stable across tokens), `tid`, `azp` and `ver: "2.0"`.
/// Client-credentials tokens are app tokens: `idtyp: app`, `oid` = `sub` = the client's
/// service principal (a GUID derived from the client id), and no `scp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entra {
    tenant_id: String,
}

impl Entra {
    /// The directory `tenant_id`.
    ///
    /// # Panics
    /// If `tenant_id` is not a URL-safe path segment.
    pub fn new(tenant_id: impl Into<String>) -> Self {
        let tenant_id = tenant_id.into();
        let example = "9188040d-6c67-4c5b-b112-36a304b66dad";
        if let Some(problem) = segment_problem("Entra tenant id", &tenant_id, example) {
            panic!("{problem}");
        }
        Self { tenant_id }
    }

    /// The directory (`tid`).
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    pub(crate) fn issuer_path(&self) -> String {
        format!("/{}/v2.0", self.tenant_id)
    }

    pub(crate) fn shape_access(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        self.common(claims, token);
        claims.insert("azp".into(), json!(token.client_id));
        add(claims, "azpacr", json!("1"));
        claims.remove("client_id");
        let scope = claims.remove("scope");
        match token.user {
            Some(_) => {
                if let Some(scope) = scope {
                    add(claims, "scp", scope);
                }
            }
            None => {
                let app = guid(&format!("app:{}", token.client_id));
                claims.insert("oid".into(), json!(app));
                claims.insert("sub".into(), json!(app));
                add(claims, "idtyp", json!("app"));
            }
        }
    }

    pub(crate) fn shape_id(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        self.common(claims, token);
    }

    /// What both kinds of token carry.
    fn common(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        add(claims, "ver", json!("2.0"));
        add(claims, "tid", json!(self.tenant_id));
        if claims
            .get("roles")
            .and_then(|r| r.as_array())
            .is_some_and(Vec::is_empty)
        {
            claims.remove("roles");
        }
        if let Some(user) = token.user {
            add(claims, "oid", json!(guid(&format!("user:{}", user.id))));
            add(claims, "name", json!(user.name));
        }
    }
}

/// A GUID derived from `name` (SHA-256, formatted as a version-5-style UUID), so the same
/// user or client always gets the same object id.
fn guid(name: &str) -> String {
    let hash = digest::digest(&digest::SHA256, name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash.as_ref()[..16]);
    crate::types::uuid_text(bytes, 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_stable_guids() {
        let oid = guid("user:abc");
        assert_eq!(oid, guid("user:abc"));
        assert_ne!(oid, guid("user:abd"));
        assert_eq!(oid.len(), 36);
        assert_eq!(oid.matches('-').count(), 4);
        assert_eq!(&oid[14..15], "5");
    }
}
