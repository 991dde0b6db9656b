//! A registered OAuth client and the redirect-URI rules it is held to.

use std::collections::BTreeSet;

use crate::types::{ClientId, ClientSecret, GrantType};

/// Which redirect URIs a client may use ([RFC 6749 §3.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2),
/// [RFC 8252 §7.3](https://www.rfc-editor.org/rfc/rfc8252#section-7.3)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RedirectPolicy {
    /// Only the registered URIs, compared character for character.
    Exact,
    /// The registered URIs, but a loopback one may come back with any port (native apps).
    AnyLoopbackPort,
    /// Any `http` loopback URI at all, plus the registered ones (the default client).
    AnyLoopback,
}

/// A registered client.
#[derive(Clone, Debug)]
pub(crate) struct Client {
    pub(crate) id: ClientId,
    /// `None` for a public client.
    pub(crate) secret: Option<ClientSecret>,
    pub(crate) name: String,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) redirect_policy: RedirectPolicy,
    pub(crate) post_logout_redirect_uris: Vec<String>,
    pub(crate) grant_types: BTreeSet<GrantType>,
    pub(crate) scopes: Vec<String>,
}

impl super::Tenant {
    /// The one way a client enters a tenant (fixtures, config files, the admin API, the
    /// tenant's default client): registers `client`, or says its id is taken (nothing
    /// changes then).
    pub(crate) fn add_client(&mut self, client: Client) -> Result<(), String> {
        if self.clients.contains_key(&client.id) {
            return Err(format!(
                "client {:?} already exists; pick another id",
                client.id.as_str()
            ));
        }
        self.clients.insert(client.id.clone(), client);
        Ok(())
    }
}

impl Client {
    pub(crate) fn is_public(&self) -> bool {
        self.secret.is_none()
    }

    pub(crate) fn allows_grant(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    /// Whether `uri` is one this client may be redirected to after login.
    pub(crate) fn accepts_redirect(&self, uri: &str) -> bool {
        if self
            .redirect_uris
            .iter()
            .any(|registered| registered == uri)
        {
            return true;
        }
        match self.redirect_policy {
            RedirectPolicy::Exact => false,
            RedirectPolicy::AnyLoopback => Loopback::parse(uri).is_some(),
            RedirectPolicy::AnyLoopbackPort => match Loopback::parse(uri) {
                Some(presented) => self
                    .redirect_uris
                    .iter()
                    .filter_map(|r| Loopback::parse(r))
                    .any(|registered| registered.same_but_port(&presented)),
                None => false,
            },
        }
    }

    /// Whether `uri` may follow a logout. The default client takes any loopback URI.
    pub(crate) fn accepts_post_logout_redirect(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris.iter().any(|r| r == uri)
            || (self.redirect_policy == RedirectPolicy::AnyLoopback
                && Loopback::parse(uri).is_some())
    }
}

/// An `http://` URI on 127.0.0.1, `[::1]` or `localhost`, split so that ports can be ignored.
#[derive(Debug, PartialEq, Eq)]
struct Loopback<'a> {
    host: &'a str,
    rest: &'a str,
}

impl<'a> Loopback<'a> {
    fn parse(uri: &'a str) -> Option<Self> {
        let after_scheme = uri.strip_prefix("http://")?;
        let authority_end = after_scheme
            .find(['/', '?', '#'])
            .unwrap_or(after_scheme.len());
        let (authority, rest) = after_scheme.split_at(authority_end);
        if authority.contains('@') {
            return None;
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => &authority[..v6.find(']')? + 2],
            None => authority.split(':').next()?,
        };
        let port = &authority[host.len()..];
        if !(port.is_empty()
            || port
                .strip_prefix(':')
                .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit())))
        {
            return None;
        }
        matches!(host, "127.0.0.1" | "[::1]" | "localhost").then_some(Self { host, rest })
    }

    fn same_but_port(&self, other: &Loopback<'_>) -> bool {
        self.host == other.host && self.rest == other.rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(policy: RedirectPolicy, uris: &[&str]) -> Client {
        Client {
            id: ClientId::new("c"),
            secret: None,
            name: "c".into(),
            redirect_uris: uris.iter().map(|u| u.to_string()).collect(),
            redirect_policy: policy,
            post_logout_redirect_uris: vec![],
            grant_types: BTreeSet::new(),
            scopes: vec![],
        }
    }

    #[test]
    fn exact_policy_compares_character_for_character() {
        let c = client(RedirectPolicy::Exact, &["https://app.example/cb"]);
        assert!(c.accepts_redirect("https://app.example/cb"));
        assert!(!c.accepts_redirect("https://app.example/cb/"));
        assert!(!c.accepts_redirect("https://app.example/cb?x=1"));
    }

    #[test]
    fn loopback_port_exception_ignores_the_port_only() {
        let c = client(RedirectPolicy::AnyLoopbackPort, &["http://127.0.0.1/cb"]);
        assert!(c.accepts_redirect("http://127.0.0.1:51234/cb"));
        assert!(!c.accepts_redirect("http://127.0.0.1:51234/other"));
        assert!(!c.accepts_redirect("http://localhost:51234/cb"));
        assert!(!c.accepts_redirect("http://127.0.0.1.evil.example/cb"));
    }

    #[test]
    fn any_loopback_policy_takes_loopback_hosts_only() {
        let c = client(RedirectPolicy::AnyLoopback, &[]);
        assert!(c.accepts_redirect("http://localhost:3000/callback"));
        assert!(c.accepts_redirect("http://[::1]:8080/cb"));
        assert!(!c.accepts_redirect("http://127.0.0.1@evil.example/cb"));
        assert!(!c.accepts_redirect("https://evil.example/cb"));
        assert!(!c.accepts_redirect("http://localhost.evil.example/cb"));
    }
}
