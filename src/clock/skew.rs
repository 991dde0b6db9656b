//! Issue skew: tokens stamped as if the issuer's clock were off, to test a verifier's
//! leeway without touching the server's own clock.

use std::time::Duration;

use serde_json::{Map, Value};

/// How far the issuer's own clock is off when it writes `iat`, `nbf`, `auth_time` and `exp`
/// into tokens, for testing a verifier's leeway. The server's own checks (expiry at
/// `/userinfo` and `/introspect`, codes, refresh tokens) keep the true server time, so a
/// token stamped more than a minute `Ahead` is not yet valid at its `/userinfo` either.
///
/// `exp` moves with `iat`, so a token keeps its lifetime: a token issued `Behind` by more
/// than a verifier's leeway looks expired to it, one issued `Ahead` looks not yet valid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssueSkew {
    /// Tokens carry the true server time (the default).
    #[default]
    None,
    /// Tokens are stamped as if issued this much later (`nbf` and `iat` in the future).
    Ahead(Duration),
    /// Tokens are stamped as if issued this much earlier.
    Behind(Duration),
}

impl IssueSkew {
    /// The shift in whole seconds.
    fn seconds(self) -> i64 {
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        match self {
            IssueSkew::None => 0,
            IssueSkew::Ahead(by) => secs(by),
            IssueSkew::Behind(by) => -secs(by),
        }
    }

    /// Shifts the time claims of a token about to be signed.
    pub(crate) fn apply(self, claims: &mut Map<String, Value>) {
        let shift = self.seconds();
        if shift == 0 {
            return;
        }
        for name in ["iat", "nbf", "auth_time", "exp"] {
            if let Some(time) = claims.get(name).and_then(Value::as_u64) {
                let shifted = time.saturating_add_signed(shift);
                claims.insert(name.into(), Value::from(shifted));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_shifts_every_time_claim_and_nothing_else() {
        let mut claims = Map::new();
        for (name, value) in [
            ("iat", 1000),
            ("nbf", 1000),
            ("exp", 4600),
            ("auth_time", 900),
            ("jti", 7),
        ] {
            claims.insert(name.into(), Value::from(value));
        }
        IssueSkew::Behind(Duration::from_secs(100)).apply(&mut claims);
        assert_eq!(claims["iat"], 900);
        assert_eq!(claims["nbf"], 900);
        assert_eq!(claims["exp"], 4500);
        assert_eq!(claims["auth_time"], 800);
        assert_eq!(claims["jti"], 7);
    }
}
