//! The token endpoint's grants: one file per grant, and the one `match` that picks it.

pub(crate) mod authorization_code;
mod client_auth;
mod client_credentials;
mod domain;
mod issue;
mod jwt_bearer;
mod password;
mod refresh_token;
mod scope;

pub(crate) use client_auth::{authenticate, PresentedClient, SecretRule};
pub(crate) use domain::Domain;
pub(crate) use issue::{plan, Subject, TokenPlan, REFRESH_PREFIX};
pub(crate) use password::verify_mfa;

use serde_json::Value;

use crate::error::{ErrorCode, OAuthError};
use crate::http::body::Params;
use crate::store::{LoginRefusal, User};
use crate::types::GrantType;

/// What the token endpoint answers.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// 200 with a token set (after signing).
    Tokens(TokenPlan),
    /// 403 `mfa_required` with the challenge.
    MfaRequired(Value),
}

/// One token request, decided under the store lock.
///
/// `password_check` is the outcome of the password grant's check, made beforehand outside
/// the lock (argon2 is the slowest step of a login).
pub(crate) fn token(
    d: &mut Domain<'_>,
    mut presented: PresentedClient,
    params: &Params,
    password_check: Option<Result<User, LoginRefusal>>,
) -> Result<Outcome, OAuthError> {
    let wire = params.require("grant_type")?;
    let grant = GrantType::parse(wire).ok_or_else(|| {
        OAuthError::new(
            ErrorCode::UnsupportedGrantType,
            format!(
                "grant_type {wire:?} is not supported; use one of {:?}",
                GrantType::ALL.map(GrantType::as_str)
            ),
        )
    })?;
    let rule = if grant == GrantType::JwtBearer {
        if presented.client_id().is_none() {
            presented.body_id = jwt_bearer::claimed_client(params)?;
        }
        SecretRule::ProvenElsewhere
    } else {
        SecretRule::Required
    };
    let client = authenticate(d.tenant(), &presented, rule)?;
    if !client.allows_grant(grant) {
        return Err(OAuthError::new(
            ErrorCode::UnauthorizedClient,
            format!(
                "client {:?} may not use the {wire} grant; it has {:?}",
                client.id.as_str(),
                client.grant_types
            ),
        ));
    }
    let plan = match grant {
        GrantType::AuthorizationCode => authorization_code::exchange(d, &client, params)?,
        GrantType::ClientCredentials => client_credentials::exchange(d, &client, params)?,
        GrantType::Password => match password::exchange(d, &client, params, password_check)? {
            password::PasswordOutcome::Tokens(plan) => plan,
            password::PasswordOutcome::MfaRequired(body) => return Ok(Outcome::MfaRequired(body)),
        },
        GrantType::RefreshToken => refresh_token::exchange(d, &client, params)?,
        GrantType::JwtBearer => jwt_bearer::exchange(d, &client, params)?,
    };
    Ok(Outcome::Tokens(plan))
}
