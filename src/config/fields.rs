//! Field values of the admin API and the config file that carry a rule: each deserializes
//! only when it keeps it, and says otherwise in words that name the fix. Checks run inside
//! serde visitors, so serde_json and toml attach the line of the offending value.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::fault::ErrorSimulation;
use crate::fixture::redirect_uri_problem;
use crate::tenant::{id_problem, issuer_path_problem};
use crate::types::{Algorithm, GrantType};

/// The longest lifetime accepted (the builder's cap too).
const MAX_SECONDS: u64 = crate::store::Lifetimes::MAX.as_secs();

/// A string checked by `Rule::check`; the rule's `EXPECTING` goes into type errors.
pub(crate) struct Checked<Rule>(pub(crate) String, PhantomData<Rule>);

/// A rule for a [`Checked`] string.
pub(crate) trait Rule {
    const EXPECTING: &'static str;
    fn check(value: &str) -> Option<String>;
}

impl<R> Clone for Checked<R> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

impl<R> fmt::Debug for Checked<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<'de, R: Rule> Deserialize<'de> for Checked<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CheckedVisitor<R>(PhantomData<R>);
        impl<R: Rule> Visitor<'_> for CheckedVisitor<R> {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(R::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
                match R::check(value) {
                    Some(problem) => Err(E::custom(problem)),
                    None => Ok(value.to_owned()),
                }
            }
        }
        let value = deserializer.deserialize_string(CheckedVisitor::<R>(PhantomData))?;
        Ok(Self(value, PhantomData))
    }
}

/// A tenant id: `projectId`, `configId`.
#[derive(Debug)]
pub(crate) enum TenantIdRule {}
impl Rule for TenantIdRule {
    const EXPECTING: &'static str = "a tenant id such as \"acme\"";
    fn check(value: &str) -> Option<String> {
        id_problem(value)
    }
}
pub(crate) type TenantId = Checked<TenantIdRule>;

/// An issuer path: `issuerPath`.
#[derive(Debug)]
pub(crate) enum IssuerPathRule {}
impl Rule for IssuerPathRule {
    const EXPECTING: &'static str = "an issuer path such as \"/realms/acme\"";
    fn check(value: &str) -> Option<String> {
        issuer_path_problem(value)
    }
}
pub(crate) type IssuerPath = Checked<IssuerPathRule>;

/// Any string but the empty one: names, ids, secrets, passwords.
#[derive(Debug)]
pub(crate) enum NonEmptyRule {}
impl Rule for NonEmptyRule {
    const EXPECTING: &'static str = "a non-empty string";
    fn check(value: &str) -> Option<String> {
        value.is_empty().then(|| "must not be empty".to_owned())
    }
}
pub(crate) type NonEmpty = Checked<NonEmptyRule>;

/// An email address, checked only for the shape `local@domain`.
#[derive(Debug)]
pub(crate) enum EmailRule {}
impl Rule for EmailRule {
    const EXPECTING: &'static str = "an email address";
    fn check(value: &str) -> Option<String> {
        let ok = value
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
        (!ok || value.chars().any(char::is_whitespace)).then(|| {
            format!("must be an email address such as \"alice@example.test\", found {value:?}")
        })
    }
}
pub(crate) type Email = Checked<EmailRule>;

/// A registered redirect URI.
#[derive(Debug)]
pub(crate) enum RedirectUriRule {}
impl Rule for RedirectUriRule {
    const EXPECTING: &'static str = "an absolute URI such as \"http://127.0.0.1:3000/callback\"";
    fn check(value: &str) -> Option<String> {
        redirect_uri_problem(value)
    }
}
pub(crate) type RedirectUri = Checked<RedirectUriRule>;

/// An application's `claimsUrl`: plain `http://`, and only with the `claims-url` feature.
#[derive(Debug)]
pub(crate) enum ClaimsUrlRule {}
impl Rule for ClaimsUrlRule {
    const EXPECTING: &'static str = "an http:// URL such as \"http://127.0.0.1:3000/auth/claims\"";
    fn check(value: &str) -> Option<String> {
        crate::store::claims_url_problem(value)
    }
}
pub(crate) type ClaimsUrl = Checked<ClaimsUrlRule>;

/// One scope token ([RFC 6749 §3.3](https://www.rfc-editor.org/rfc/rfc6749#section-3.3)).
#[derive(Debug)]
pub(crate) enum ScopeRule {}
impl Rule for ScopeRule {
    const EXPECTING: &'static str = "a scope such as \"openid\"";
    fn check(value: &str) -> Option<String> {
        let ok = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\');
        (!ok).then(|| format!("must be one scope without spaces or quotes, found {value:?}"))
    }
}
pub(crate) type Scope = Checked<ScopeRule>;

/// `grantTypes[i]`: a grant by its wire name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GrantName(pub(crate) GrantType);

impl<'de> Deserialize<'de> for GrantName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Debug)]
        enum GrantRule {}
        impl Rule for GrantRule {
            const EXPECTING: &'static str = "a grant type such as \"client_credentials\"";
            fn check(value: &str) -> Option<String> {
                GrantType::parse(value).is_none().then(|| {
                    let names: Vec<&str> = GrantType::ALL.map(GrantType::as_str).to_vec();
                    format!("must be one of {}; found {value:?}", names.join(", "))
                })
            }
        }
        let name = Checked::<GrantRule>::deserialize(deserializer)?;
        Ok(Self(GrantType::parse(&name.0).expect("checked above")))
    }
}

/// `algorithm`: a JWS algorithm by its `alg` name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AlgorithmName(pub(crate) Algorithm);

const ALGORITHMS: [Algorithm; 4] = [
    Algorithm::RS256,
    Algorithm::ES256,
    Algorithm::EdDSA,
    Algorithm::HS256,
];

impl<'de> Deserialize<'de> for AlgorithmName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Debug)]
        enum AlgorithmRule {}
        impl Rule for AlgorithmRule {
            const EXPECTING: &'static str = "an algorithm such as \"RS256\"";
            fn check(value: &str) -> Option<String> {
                (!ALGORITHMS.iter().any(|a| a.as_str() == value))
                    .then(|| format!("must be one of RS256, ES256, EdDSA, HS256; found {value:?}"))
            }
        }
        let name = Checked::<AlgorithmRule>::deserialize(deserializer)?;
        let found = ALGORITHMS.into_iter().find(|a| a.as_str() == name.0);
        Ok(Self(found.expect("checked above")))
    }
}

/// `accessTokenTTL`, `refreshTokenTTL`: a positive whole number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seconds(pub(crate) u64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecondsVisitor;
        fn problem<E: de::Error>(found: impl fmt::Display) -> E {
            E::custom(format!(
                "must be a positive integer of seconds (at most {MAX_SECONDS}), found {found}"
            ))
        }
        impl Visitor<'_> for SecondsVisitor {
            type Value = u64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a positive integer of seconds")
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
                match value {
                    1..=MAX_SECONDS => Ok(value),
                    _ => Err(problem(value)),
                }
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
                u64::try_from(value).map_or_else(|_| Err(problem(value)), |v| self.visit_u64(v))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<u64, E> {
                Err(problem(value))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<u64, E> {
                Err(problem(format_args!("{value:?}")))
            }
        }
        deserializer.deserialize_u64(SecondsVisitor).map(Seconds)
    }
}

impl Seconds {
    pub(crate) fn duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.0)
    }
}

/// `errorSimulation`: the fault engine's [`ErrorSimulation`], range-checked while parsing.
#[derive(Debug, Clone)]
pub(crate) struct Simulation(pub(crate) ErrorSimulation);

impl<'de> Deserialize<'de> for Simulation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SimulationVisitor;
        impl<'de> Visitor<'de> for SimulationVisitor {
            type Value = ErrorSimulation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object {enabled, errorRate, errorTypes, delayMs}")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ErrorSimulation, A::Error> {
                let simulation =
                    ErrorSimulation::deserialize(de::value::MapAccessDeserializer::new(map))?;
                // Its messages start with "errorSimulation."; the path already says where.
                simulation.validate().map_err(|problem| {
                    let relative = problem.strip_prefix("errorSimulation").unwrap_or(&problem);
                    de::Error::custom(relative)
                })?;
                Ok(simulation)
            }
        }
        deserializer
            .deserialize_map(SimulationVisitor)
            .map(Simulation)
    }
}
