//! The resource owner password credentials grant
//! ([RFC 6749 §4.3](https://www.rfc-editor.org/rfc/rfc6749#section-4.3)), with an
//! MFA challenge for users who have a second factor, and the step that completes it.

use serde_json::{json, Value};
use subtle::ConstantTimeEq as _;

use super::domain::Domain;
use super::issue::{self, Subject, TokenPlan};
use super::scope;
use crate::error::OAuthError;
use crate::http::body::Params;
use crate::store::{Client, LoginRefusal, MfaChallenge, SignIn, User};
use crate::totp;

/// Tokens, or a challenge the user must answer first.
#[derive(Debug)]
pub(crate) enum PasswordOutcome {
    Tokens(TokenPlan),
    /// 403 `{error: "mfa_required", mfa_token, mfa_methods, _sandbox_mfa_code}`.
    MfaRequired(Value),
}

/// Issues for the password the request carried. The check ran before this, outside the
/// lock (argon2 is slow): `checked` is its outcome, `None` when a field was missing.
pub(crate) fn exchange(
    d: &mut Domain<'_>,
    client: &Client,
    params: &Params,
    checked: Option<Result<User, LoginRefusal>>,
) -> Result<PasswordOutcome, OAuthError> {
    params.require("username")?;
    params.require("password")?;
    let scopes = scope::resolve(client, params.get("scope"))?;
    let checked =
        checked.ok_or_else(|| OAuthError::invalid_grant("invalid username or password"))?;
    let user = checked.map_err(|refusal| OAuthError::invalid_grant(refusal.describe()))?;
    if user.totp_secret.is_some() {
        let mfa_token = d.store.token("mfatk_");
        let code = d.store.digits();
        let challenge = MfaChallenge {
            user_id: user.id.clone(),
            client_id: client.id.clone(),
            scope: scopes,
            sandbox_code: code.clone().into(),
            expires_at: d
                .now
                .saturating_add(d.tenant().lifetimes.mfa_challenge.as_secs()),
            failed_attempts: 0,
        };
        d.tenant_mut()
            .ledger
            .mfa
            .insert(mfa_token.clone(), challenge);
        return Ok(PasswordOutcome::MfaRequired(json!({
            "error": "mfa_required",
            "error_description": "this user has MFA: POST mfa_token and a code to /mfa/verify",
            "mfa_token": mfa_token,
            "mfa_methods": ["totp"],
            "_sandbox_mfa_code": code,
        })));
    }
    let family = d.store.id("sid_");
    let subject = Subject::User {
        user: Box::new(user),
        family,
        auth_time: d.now,
        nonce: None,
        sign_in: SignIn::Password,
    };
    Ok(PasswordOutcome::Tokens(issue::plan(
        d, client, &subject, scopes,
    )))
}

/// How many wrong codes a challenge survives.
const MAX_MFA_ATTEMPTS: u32 = 5;

/// Completes an MFA challenge with the sandbox code or a current TOTP code (each works once).
pub(crate) fn verify_mfa(
    d: &mut Domain<'_>,
    mfa_token: &str,
    code: &str,
    client_id: Option<&str>,
) -> Result<TokenPlan, OAuthError> {
    let now = d.now;
    let ledger = &mut d.tenant_mut().ledger;
    let Some(challenge) = ledger.mfa.get(mfa_token).cloned() else {
        return Err(OAuthError::invalid_grant(
            "unknown or already used mfa_token",
        ));
    };
    if challenge.expires_at <= now {
        ledger.mfa.remove(mfa_token);
        return Err(OAuthError::invalid_grant(
            "mfa_token has expired; log in again",
        ));
    }
    if client_id.is_some_and(|id| id != challenge.client_id.as_str()) {
        return Err(OAuthError::invalid_grant(format!(
            "mfa_token was issued to client {:?}",
            challenge.client_id.as_str()
        )));
    }
    let user = d
        .tenant()
        .user(&challenge.user_id)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_grant("the user of this mfa_token no longer exists"))?;
    let sandbox_ok = bool::from(code.as_bytes().ct_eq(challenge.sandbox_code.as_bytes()));
    let totp_step = user
        .totp_secret
        .as_deref()
        .and_then(|secret| matching_step(secret, code, now));
    let last_step = d.tenant().ledger.last_totp_step.get(&user.id).copied();
    let totp_ok = totp_step.is_some_and(|step| last_step.is_none_or(|last| step > last));
    let ledger = &mut d.tenant_mut().ledger;
    if !(sandbox_ok || totp_ok) {
        let entry = ledger.mfa.get_mut(mfa_token).expect("challenge read above");
        entry.failed_attempts += 1;
        if entry.failed_attempts >= MAX_MFA_ATTEMPTS {
            ledger.mfa.remove(mfa_token);
            return Err(OAuthError::invalid_grant(
                "invalid MFA code; too many attempts, log in again",
            ));
        }
        return Err(OAuthError::invalid_grant("invalid MFA code"));
    }
    if let (false, Some(step)) = (sandbox_ok, totp_step) {
        ledger.last_totp_step.insert(user.id.clone(), step);
    }
    ledger.mfa.remove(mfa_token);
    let client = d.tenant().client(challenge.client_id.as_str())?.clone();
    let family = d.store.id("sid_");
    let subject = Subject::User {
        user: Box::new(user),
        family,
        auth_time: now,
        nonce: None,
        sign_in: SignIn::PasswordAndOtp,
    };
    Ok(issue::plan(d, &client, &subject, challenge.scope))
}

/// The time step (now, or one step either side for clock drift) whose code is `code`.
fn matching_step(secret: &[u8], code: &str, now: u64) -> Option<u64> {
    let current = now / totp::STEP_SECONDS;
    [current, current.saturating_sub(1), current + 1]
        .into_iter()
        .find(|&step| totp::code_at_step(secret, step) == code)
}
