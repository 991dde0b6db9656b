//! Okta custom authorization servers: issuer `/oauth2/{server}`; access tokens with `cid`,
//! `uid`, `scp` (an array), `ver: 1` and the server's audience (`api://default`).

use serde_json::json;

use super::{add, segment_problem, Claims, TokenContext};

/// The Okta preset; made by [`Preset::okta`](super::Preset::okta) for the `default`
/// authorization server, or `Preset::Okta(Okta::authorization_server("aus…"))` for another.
///
/// Access tokens carry `cid` (the client), `uid` (the user's id), `sub` = the user's login
/// (its email, or its username when it has none), `scp` (an array, in place of `scope`),
/// `aud` = the server's audience and `ver: 1`; the user's roles are its `groups`. id_tokens
/// keep `sub` = the user's id and add `ver: 1`, `amr` and `groups`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Okta {
    server: String,
    audience: String,
}

impl Default for Okta {
    /// The `default` authorization server, audience `api://default`.
    fn default() -> Self {
        Self::authorization_server("default")
    }
}

impl Okta {
    /// The custom authorization server `server` (issuer `/oauth2/{server}`), audience
    /// `api://{server}` unless [`audience`](Self::audience) says otherwise.
    ///
    /// # Panics
    /// If `server` is not a URL-safe path segment.
    pub fn authorization_server(server: impl Into<String>) -> Self {
        let server = server.into();
        if let Some(problem) = segment_problem("Okta authorization server", &server, "default") {
            panic!("{problem}");
        }
        Self {
            audience: format!("api://{server}"),
            server,
        }
    }

    /// The `aud` of access tokens (what the resource server is configured to expect).
    #[must_use]
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = audience.into();
        self
    }

    /// The `aud` of access tokens.
    pub(crate) fn audience_name(&self) -> &str {
        &self.audience
    }

    pub(crate) fn issuer_path(&self) -> String {
        format!("/oauth2/{}", self.server)
    }

    pub(crate) fn shape_access(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        claims.insert("ver".into(), json!(1));
        claims.insert("aud".into(), json!(self.audience));
        claims.insert("cid".into(), json!(token.client_id));
        claims.remove("client_id");
        claims.remove("scope");
        claims.insert("scp".into(), json!(token.scopes));
        if let Some(user) = token.user {
            let login = if user.email.is_empty() {
                &user.username
            } else {
                &user.email
            };
            claims.insert("sub".into(), json!(login));
            add(claims, "uid", json!(user.id));
            claims.remove("preferred_username");
        }
        groups(claims);
    }

    pub(crate) fn shape_id(&self, claims: &mut Claims, _token: &TokenContext<'_>) {
        claims.insert("ver".into(), json!(1));
        add(claims, "amr", json!(["pwd"]));
        groups(claims);
    }
}

/// Roles become `groups` (what an Okta groups claim carries).
fn groups(claims: &mut Claims) {
    if let Some(roles) = claims.remove("roles") {
        add(claims, "groups", roles);
    }
}
