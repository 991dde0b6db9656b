//! Discovery ([OIDC Discovery §3](https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata),
//! [RFC 8414](https://www.rfc-editor.org/rfc/rfc8414)) and the JWKS.

use serde_json::json;

use crate::error::OAuthError;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};
use crate::types::GrantType;

/// `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.
pub(crate) fn openid_configuration(
    shared: &Shared,
    tenant: &TenantRef,
    _req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let alg = shared.with_tenant(tenant, |t| t.keys.signing().alg());
    // Endpoints hang below the issuer, whose trailing slash (Auth0's) is not doubled.
    let i = tenant.issuer.trim_end_matches('/');
    Ok(json(
        200,
        &json!({
            "issuer": tenant.issuer,
            "authorization_endpoint": format!("{i}/authorize"),
            "token_endpoint": format!("{i}/token"),
            "userinfo_endpoint": format!("{i}/userinfo"),
            "jwks_uri": format!("{i}/.well-known/jwks.json"),
            "introspection_endpoint": format!("{i}/introspect"),
            "revocation_endpoint": format!("{i}/revoke"),
            "end_session_endpoint": format!("{i}/logout"),
            "grant_types_supported": GrantType::ALL.map(GrantType::as_str),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "subject_types_supported": ["public"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "id_token_signing_alg_values_supported": [alg.as_str()],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "claims_supported": [
                "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "sid",
                "name", "preferred_username", "email", "email_verified", "roles"
            ],
            "authorization_response_iss_parameter_supported": true,
            "claims_parameter_supported": false,
            "request_parameter_supported": false,
        }),
    ))
}

/// `/.well-known/jwks.json`.
pub(crate) fn jwks(
    shared: &Shared,
    tenant: &TenantRef,
    _req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    Ok(json(200, &shared.with_tenant(tenant, |t| t.keys.jwks())))
}
