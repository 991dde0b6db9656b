//! Generators of hostile HTTP requests (proptest strategies) and their rendering into bytes.
//!
//! Shared, as one source, by `tests/it/fuzz.rs` (the CI-sized run) and `benches/fuzz.rs`
//! (the bench-sized run), which includes this file with `#[path]`.
//!
//! A [`Case`] is symbolic: fixture values (real tokens, ids, secrets) are named by [`Fx`]
//! and resolved only when the case is rendered, against the server of the run, so a case
//! stays printable, shrinkable and meaningful after the fixture's tokens are re-minted.
//! Secrets are [`V::Marker`]s (`SeCrEt` + 18 random characters, unique per case) or real
//! secrets of the fixture, and are only ever put where the journal must redact them:
//! parameters named as secrets (see `src/journal/redact.rs`), `Authorization` (a Bearer
//! token, a Basic password), `X-API-Key` and `x-application-secret`. Rendering lists every
//! secret it placed, for the harness to look for in the journal.
#![allow(dead_code)] // the test and the bench each use a part

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;

/// The tenants of the fuzzed server (see `harness.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Tn {
    /// The default tenant, at the server root.
    Default,
    /// `acme`, issuer path `/realms/acme`.
    Acme,
    /// `beta`, HS256, at `/api/invoke/beta/auth`.
    Beta,
}

impl Tn {
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Tn::Default => "",
            Tn::Acme => "/realms/acme",
            Tn::Beta => "/api/invoke/beta/auth",
        }
    }
}

/// Which tenant a path is below.
#[derive(Clone, Debug)]
pub(crate) enum TenantSel {
    Known(Tn),
    /// A prefix no tenant has, or one a tenant made over the admin API may have.
    Other(&'static str),
}

/// The fixture's users (`minter` and `minter-mfa` stay unnamed here so that no case locks,
/// renames or deletes the users the harness mints tokens with).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum User {
    /// `testuser` / `password123`, the default user.
    Test,
    /// `alice`, role `Editor`.
    Alice,
    /// `bob`, with MFA (TOTP).
    Bob,
}

/// The fixture's clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Client {
    /// The default tenant's default client (confidential, every grant).
    Default,
    /// `web`: confidential, code + refresh, a registered redirect and post-logout URI.
    Web,
    /// `spa`: public.
    Spa,
    /// `acme`'s default client.
    Acme,
    /// `beta`'s default client (HS256 tenant).
    Beta,
}

/// A value of the fixture, resolved when a case is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Fx {
    ClientId(Client),
    ClientSecret(Client),
    Username(User),
    UserId(User),
    Email(User),
    Password(User),
    /// The current TOTP code of `bob`.
    Totp,
    /// Access, refresh and id token of one of the minted password sessions (0..3).
    Access(u8),
    Refresh(u8),
    IdToken(u8),
    /// A `client_credentials` access token of the default client.
    ClientToken,
    /// Access tokens minted in Rust for `acme` and `beta`.
    AcmeToken,
    BetaToken,
    /// The identity face's token and refresh token (a password session of `minter`).
    IdentityToken,
    IdentityRefresh,
    /// The service face's refresh token (application `billing`).
    ServiceRefresh,
    AdminToken,
    /// An identity-face API key (`mka_…`, `Users:Manage`) and its id.
    ApiKey,
    ApiKeyId,
    /// The service application's secret and id.
    AppSecret,
    AppId,
    RoleId,
    RoleName,
    PermId,
    PermName,
    /// An authorization code made for this case (`/authorize` of the default client), with
    /// its verifier and redirect URI.
    FreshCode,
    Verifier,
    RedirectUri,
    /// An MFA challenge made for this case (password grant of `minter-mfa`), and its code.
    FreshMfaToken,
    MfaCode,
    Issuer(Tn),
    TokenUrl(Tn),
    /// The `kid` of the tenant's signing key.
    Kid(Tn),
}

impl Fx {
    /// Whether the value is a secret the journal must never show.
    pub(crate) fn is_secret(self) -> bool {
        matches!(
            self,
            Fx::ClientSecret(_)
                | Fx::Password(_)
                | Fx::Access(_)
                | Fx::Refresh(_)
                | Fx::IdToken(_)
                | Fx::ClientToken
                | Fx::AcmeToken
                | Fx::BetaToken
                | Fx::IdentityToken
                | Fx::IdentityRefresh
                | Fx::ServiceRefresh
                | Fx::AdminToken
                | Fx::ApiKey
                | Fx::AppSecret
                | Fx::FreshCode
                | Fx::Verifier
                | Fx::FreshMfaToken
        )
    }
}

/// A scalar value.
#[derive(Clone, Debug)]
pub(crate) enum V {
    Lit(String),
    /// Raw bytes, perhaps not UTF-8: percent-encoded in forms and queries, written as they
    /// are inside JSON strings and headers.
    Bytes(Vec<u8>),
    /// A secret unique to the case.
    Marker(String),
    Fix(Fx),
    Jwt(Box<Jwt>),
}

/// A JSON-able value (a form or a query writes non-strings as their JSON text).
#[derive(Clone, Debug)]
pub(crate) enum J {
    S(V),
    /// A number as written: `1e400`, `18446744073709551616`, `-0`, …
    Num(String),
    /// The server clock's now plus an offset, in Unix seconds.
    Now(i64),
    Bool(bool),
    Null,
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// A JWT made by the case: honest-looking or forged.
#[derive(Clone, Debug)]
pub(crate) struct Jwt {
    pub(crate) alg: Option<&'static str>,
    pub(crate) kid: Kid,
    pub(crate) typ: Option<&'static str>,
    pub(crate) claims: Vec<(String, J)>,
    pub(crate) sig: Sig,
}

#[derive(Clone, Debug)]
pub(crate) enum Kid {
    None,
    Real(Tn),
    Lit(String),
    /// A `kid` that is not a string.
    Number,
}

#[derive(Clone, Debug)]
pub(crate) enum Sig {
    /// `header.payload.` (as `alg: none` tokens are).
    Empty,
    /// `header.payload` (two parts).
    Missing,
    Garbage(String),
    /// HMAC-SHA-256 with a client's secret (a valid jwt-bearer assertion for that client).
    ClientSecret(Client),
    /// HMAC-SHA-256 with the HS256 tenant `beta`'s secret: a valid signature there.
    BetaSecret,
    /// HMAC-SHA-256 with a key the server does not have.
    WrongKey,
}

/// A request body.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    None,
    Form(Vec<(String, J)>, Damage),
    Json(J, Damage),
    Raw(Vec<u8>),
    /// A form of about this many bytes (around the 64 KiB limit), a secret in it.
    Big(usize, V),
}

/// What is done to a rendered body.
#[derive(Clone, Debug)]
pub(crate) enum Damage {
    None,
    /// Cut after this share (in 1/256ths) of its bytes.
    Truncate(u8),
    LeadingWhitespace,
    Bom,
    TrailingGarbage,
    /// Wrapped in this many arrays (`[[[…]]]`).
    Deep(u16),
    /// A byte that is not UTF-8 at this share of the body.
    InvalidUtf8(u8),
}

#[derive(Clone, Debug)]
pub(crate) enum CType {
    /// The one the body's kind calls for.
    Auto,
    None,
    Lit(&'static str),
    Raw(Vec<u8>),
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum BasicEnc {
    Std,
    UrlSafe,
    NoPadding,
    /// Not base64.
    Invalid,
    /// No `:` between the two parts.
    NoColon,
    /// `Basic` alone.
    Bare,
    /// Base64 of bytes that are not UTF-8.
    NotUtf8,
    /// `basic   …  ` (other case, extra spaces).
    Sloppy,
    /// Both parts form-encoded (`%XX`, `+`).
    FormEncoded,
}

#[derive(Clone, Debug)]
pub(crate) enum Auth {
    None,
    Basic {
        user: V,
        pass: V,
        enc: BasicEnc,
    },
    Bearer(V),
    /// `Bearer` with no token, or spaces only.
    EmptyBearer,
    /// Another scheme, with a secret.
    Scheme(&'static str, V),
    /// Bytes that are not visible ASCII.
    Raw(Vec<u8>),
    /// Two `Authorization` headers.
    Twice(V, V),
}

#[derive(Clone, Debug)]
pub(crate) struct Headers {
    pub(crate) content_type: CType,
    pub(crate) auth: Auth,
    pub(crate) api_key: Option<V>,
    pub(crate) app_secret: Option<V>,
    /// Any other headers, names and values as sent.
    pub(crate) extra: Vec<(String, Vec<u8>)>,
    /// `Transfer-Encoding: chunked` instead of `Content-Length`.
    pub(crate) chunked: bool,
}

/// What is done to a rendered path.
#[derive(Clone, Debug)]
pub(crate) enum PathMut {
    None,
    TrailingSlash,
    DoubleSlash,
    DotSegment,
    DotDot,
    /// One character percent-encoded.
    Encoded(u8),
    Upper,
    /// A segment of this many `a`s appended.
    Long(u32),
    Append(String),
}

/// A path parameter (`{id}` of the identity face).
#[derive(Clone, Debug)]
pub(crate) enum Id {
    Fix(Fx),
    /// As written into the path (already percent-encoded, or deliberately not).
    Raw(String),
}

/// Where a request goes.
#[derive(Clone, Debug)]
pub(crate) enum Route {
    Oidc(&'static str),
    /// Below the identity face (`/identity`); `{id}` replaced by the id.
    Identity(&'static str, Option<Id>),
    /// Below the service face (`/svc`).
    Service(&'static str),
    /// Below `/api/auth-sandbox`, at the origin whatever the tenant.
    Admin(&'static str),
    /// Any path, below the tenant's prefix.
    Random(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) method: String,
    pub(crate) tenant: TenantSel,
    pub(crate) route: Route,
    pub(crate) path_mut: PathMut,
    pub(crate) query: Vec<(String, J)>,
    /// Appended to the query as it is (`&&`, `%zz`, `=x`, …).
    pub(crate) raw_query: String,
    pub(crate) headers: Headers,
    pub(crate) body: Body,
}

impl Case {
    /// Whether a successful answer to this case may have changed a tenant's settings or the
    /// clock (the harness then puts the settings back and mints its tokens anew, so that
    /// later cases still reach deep paths).
    pub(crate) fn may_reconfigure(&self) -> bool {
        matches!(self.route, Route::Admin("/config" | "/clock"))
    }
}

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// The kind of a field: which values are realistic for it.
#[derive(Clone, Copy, Debug)]
enum K {
    Grant,
    ClientId,
    ClientSecret,
    Code,
    Redirect,
    Verifier,
    Refresh,
    Username,
    Password,
    Scope,
    Assertion,
    /// Any token: access, refresh, id or forged.
    AnyToken,
    IdTokenHint,
    MfaToken,
    MfaCode,
    ResponseType,
    Challenge,
    ChallengeMethod,
    Text,
    Email,
    UserIdOrName,
    NameList,
    Timestamp,
    Bool,
    Seconds,
    TenantId,
    IssuerPath,
    Algorithm,
    Url,
    UrlList,
    GrantList,
    ScopeList,
    ErrorSim,
    Claims,
    Endpoint,
    Status,
    Limit,
    IdentityRefresh,
    ServiceRefresh,
    AccessToken,
    Number,
}

/// A field: its name and kind.
type Field = (&'static str, K);

const AUTHORIZE: &[Field] = &[
    ("response_type", K::ResponseType),
    ("client_id", K::ClientId),
    ("redirect_uri", K::Redirect),
    ("scope", K::Scope),
    ("state", K::Text),
    ("nonce", K::Text),
    ("code_challenge", K::Challenge),
    ("code_challenge_method", K::ChallengeMethod),
    ("login_hint", K::Username),
];
const TOKEN: &[Field] = &[
    ("grant_type", K::Grant),
    ("client_id", K::ClientId),
    ("client_secret", K::ClientSecret),
    ("code", K::Code),
    ("redirect_uri", K::Redirect),
    ("code_verifier", K::Verifier),
    ("refresh_token", K::Refresh),
    ("username", K::Username),
    ("password", K::Password),
    ("scope", K::Scope),
    ("assertion", K::Assertion),
    ("client_assertion", K::Assertion),
];
const USERINFO: &[Field] = &[("access_token", K::AccessToken)];
const INTROSPECT: &[Field] = &[
    ("token", K::AnyToken),
    ("token_type_hint", K::Text),
    ("client_id", K::ClientId),
    ("client_secret", K::ClientSecret),
];
const LOGOUT: &[Field] = &[
    ("id_token_hint", K::IdTokenHint),
    ("client_id", K::ClientId),
    ("post_logout_redirect_uri", K::Redirect),
    ("state", K::Text),
];
const MFA: &[Field] = &[
    ("mfa_token", K::MfaToken),
    ("code", K::MfaCode),
    ("otp", K::MfaCode),
    ("client_id", K::ClientId),
];
const ID_LOGIN: &[Field] = &[("username", K::Username), ("password", K::Password)];
const ID_REFRESH: &[Field] = &[("refreshToken", K::IdentityRefresh)];
const ID_VALIDATE: &[Field] = &[("token", K::AnyToken)];
const ID_IMPERSONATE: &[Field] = &[("userId", K::UserIdOrName)];
const ID_USER: &[Field] = &[
    ("username", K::Username),
    ("email", K::Email),
    ("password", K::Password),
    ("firstName", K::Text),
    ("lastName", K::Text),
    ("roles", K::NameList),
    ("permissions", K::NameList),
    ("id", K::UserIdOrName),
    ("createdAt", K::Timestamp),
];
const ID_ROLE: &[Field] = &[
    ("name", K::Text),
    ("description", K::Text),
    ("permissions", K::NameList),
];
const ID_PERM: &[Field] = &[
    ("name", K::Text),
    ("description", K::Text),
    ("category", K::Text),
];
const ID_APIKEY: &[Field] = &[
    ("name", K::Text),
    ("description", K::Text),
    ("expiresAt", K::Timestamp),
    ("permissions", K::NameList),
];
const SVC_REGISTER: &[Field] = &[
    ("identifier", K::Username),
    ("password", K::Password),
    ("type", K::Text),
    ("refId", K::Text),
];
const SVC_LOGIN: &[Field] = &[("identifier", K::Username), ("password", K::Password)];
const SVC_REFRESH: &[Field] = &[("refreshToken", K::ServiceRefresh)];
const ADMIN_CONFIG: &[Field] = &[
    ("projectId", K::TenantId),
    ("configId", K::TenantId),
    ("issuerPath", K::IssuerPath),
    ("algorithm", K::Algorithm),
    ("enabled", K::Bool),
    ("accessTokenTTL", K::Seconds),
    ("refreshTokenTTL", K::Seconds),
    ("errorSimulation", K::ErrorSim),
];
const ADMIN_CLIENT: &[Field] = &[
    ("configId", K::TenantId),
    ("clientName", K::Text),
    ("clientId", K::ClientId),
    ("clientSecret", K::ClientSecret),
    ("public", K::Bool),
    ("grantTypes", K::GrantList),
    ("redirectUris", K::UrlList),
    ("postLogoutRedirectUris", K::UrlList),
    ("scopes", K::ScopeList),
    ("allowAnyLoopbackPort", K::Bool),
];
const ADMIN_USER: &[Field] = &[
    ("configId", K::TenantId),
    ("username", K::Username),
    ("email", K::Email),
    ("password", K::Password),
    ("roles", K::NameList),
    ("mfaEnabled", K::Bool),
    ("claims", K::Claims),
    ("id", K::UserIdOrName),
    ("name", K::Text),
    ("emailVerified", K::Bool),
];
const ADMIN_APP: &[Field] = &[
    ("configId", K::TenantId),
    ("name", K::Text),
    ("secret", K::ClientSecret),
    ("claimsUrl", K::Url),
];
const ADMIN_CLOCK: &[Field] = &[("advanceSeconds", K::Seconds)];
const ADMIN_REQUESTS: &[Field] = &[
    ("endpoint", K::Endpoint),
    ("client_id", K::ClientId),
    ("grant_type", K::Grant),
    ("username", K::Username),
    ("status", K::Status),
    ("limit", K::Limit),
    ("after", K::Number),
    ("configId", K::TenantId),
];
const NOTHING: &[Field] = &[];

/// How a route is usually called: its methods, and whether its parameters go in the query
/// (`GET`) or a body, as a form or JSON.
#[derive(Clone, Copy, Debug)]
struct Shape {
    methods: &'static [&'static str],
    fields: &'static [Field],
    json: bool,
    cred: Cred,
}

/// The credentials a route takes, so that most requests carry the right kind (and reach
/// the handler behind the check) while the others carry anything.
#[derive(Clone, Copy, Debug)]
enum Cred {
    Nothing,
    /// The admin token (`Authorization: Bearer`).
    Admin,
    /// The identity face's guard: the admin token, a password session's token, an API key.
    Guard,
    /// The service face's `x-application-secret`.
    App,
    /// An access token (`/userinfo`).
    Bearer,
    /// A client secret as `X-API-Key` (`/validate`).
    ClientKey,
    /// A user's Basic credentials (`/basic`).
    BasicUser,
    /// A client's Basic credentials, or none (the secret may be in the body).
    BasicClient,
}

const fn shape(methods: &'static [&'static str], fields: &'static [Field], json: bool) -> Shape {
    Shape {
        methods,
        fields,
        json,
        cred: Cred::Nothing,
    }
}

impl Shape {
    const fn with(mut self, cred: Cred) -> Self {
        self.cred = cred;
        self
    }
}

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];
const CRUD: &[&str] = &["GET", "POST", "PUT", "DELETE"];

/// The real route table of every face (src/server/router.rs, src/face/identity/mod.rs,
/// src/face/service/mod.rs): a path and how it is called.
fn routes() -> Vec<(Route, Shape)> {
    use Route::*;
    vec![
        (
            Oidc("/.well-known/openid-configuration"),
            shape(GET, NOTHING, false),
        ),
        (
            Oidc("/.well-known/oauth-authorization-server"),
            shape(GET, NOTHING, false),
        ),
        (Oidc("/.well-known/jwks.json"), shape(GET, NOTHING, false)),
        (Oidc("/authorize"), shape(GET_POST, AUTHORIZE, false)),
        (
            Oidc("/token"),
            shape(POST, TOKEN, false).with(Cred::BasicClient),
        ),
        (
            Oidc("/token"),
            shape(POST, TOKEN, true).with(Cred::BasicClient),
        ),
        (
            Oidc("/userinfo"),
            shape(GET_POST, USERINFO, false).with(Cred::Bearer),
        ),
        (
            Oidc("/introspect"),
            shape(POST, INTROSPECT, false).with(Cred::BasicClient),
        ),
        (
            Oidc("/introspect"),
            shape(POST, INTROSPECT, true).with(Cred::BasicClient),
        ),
        (
            Oidc("/revoke"),
            shape(POST, INTROSPECT, false).with(Cred::BasicClient),
        ),
        (
            Oidc("/revoke"),
            shape(POST, INTROSPECT, true).with(Cred::BasicClient),
        ),
        (Oidc("/logout"), shape(GET_POST, LOGOUT, false)),
        (Oidc("/mfa/verify"), shape(POST, MFA, false)),
        (Oidc("/mfa/verify"), shape(POST, MFA, true)),
        (
            Oidc("/validate"),
            shape(GET_POST, NOTHING, false).with(Cred::ClientKey),
        ),
        (
            Oidc("/basic"),
            shape(GET_POST, NOTHING, false).with(Cred::BasicUser),
        ),
        (Identity("/auth/login", None), shape(POST, ID_LOGIN, true)),
        (
            Identity("/auth/refresh", None),
            shape(POST, ID_REFRESH, true),
        ),
        (
            Identity("/auth/validate", None),
            shape(POST, ID_VALIDATE, true),
        ),
        (
            Identity("/auth/impersonate", None),
            shape(POST, ID_IMPERSONATE, true).with(Cred::Guard),
        ),
        (
            Identity("/users", None),
            shape(CRUD, ID_USER, true).with(Cred::Guard),
        ),
        (
            Identity("/users/{id}", None),
            shape(CRUD, ID_USER, true).with(Cred::Guard),
        ),
        (
            Identity("/users/{id}/roles", None),
            shape(GET, NOTHING, true).with(Cred::Guard),
        ),
        (
            Identity("/users/{id}/permissions", None),
            shape(GET, NOTHING, true).with(Cred::Guard),
        ),
        (
            Identity("/roles", None),
            shape(CRUD, ID_ROLE, true).with(Cred::Guard),
        ),
        (
            Identity("/roles/{id}", None),
            shape(CRUD, ID_ROLE, true).with(Cred::Guard),
        ),
        (
            Identity("/roles/{id}/permissions", None),
            shape(GET, NOTHING, true).with(Cred::Guard),
        ),
        (
            Identity("/roles/{id}/users", None),
            shape(GET, NOTHING, true).with(Cred::Guard),
        ),
        (
            Identity("/permissions", None),
            shape(CRUD, ID_PERM, true).with(Cred::Guard),
        ),
        (
            Identity("/permissions/{id}", None),
            shape(CRUD, ID_PERM, true).with(Cred::Guard),
        ),
        (
            Identity("/apikeys", None),
            shape(CRUD, ID_APIKEY, true).with(Cred::Guard),
        ),
        (
            Identity("/apikeys/{id}", None),
            shape(CRUD, ID_APIKEY, true).with(Cred::Guard),
        ),
        (
            Service("/auth/register"),
            shape(POST, SVC_REGISTER, true).with(Cred::App),
        ),
        (
            Service("/auth/login"),
            shape(POST, SVC_LOGIN, true).with(Cred::App),
        ),
        (
            Service("/auth/refresh"),
            shape(POST, SVC_REFRESH, true).with(Cred::App),
        ),
        (
            Service("/auth/revoke"),
            shape(POST, SVC_REFRESH, true).with(Cred::App),
        ),
        (
            Admin("/config"),
            shape(GET_POST, ADMIN_CONFIG, true).with(Cred::Admin),
        ),
        (
            Admin("/clients"),
            shape(POST, ADMIN_CLIENT, true).with(Cred::Admin),
        ),
        (
            Admin("/users"),
            shape(POST, ADMIN_USER, true).with(Cred::Admin),
        ),
        (
            Admin("/applications"),
            shape(POST, ADMIN_APP, true).with(Cred::Admin),
        ),
        (
            Admin("/clock"),
            shape(POST, ADMIN_CLOCK, true).with(Cred::Admin),
        ),
        (
            Admin("/requests"),
            shape(GET, ADMIN_REQUESTS, true).with(Cred::Admin),
        ),
    ]
}

/// A secret unique to the case: easy to find in the journal, never produced by anything
/// else (shrinking makes it `SeCrEt000…`, still unique to fuzzed input).
fn marker() -> BoxedStrategy<V> {
    "SeCrEt[A-Za-z0-9]{18}".prop_map(V::Marker).boxed()
}

fn lit(s: &str) -> V {
    V::Lit(s.to_owned())
}

fn s(text: &'static str) -> J {
    J::S(lit(text))
}

fn fx(value: Fx) -> J {
    J::S(V::Fix(value))
}

fn any_user() -> BoxedStrategy<User> {
    select(vec![User::Test, User::Alice, User::Bob]).boxed()
}

fn any_client() -> BoxedStrategy<Client> {
    select(vec![
        Client::Default,
        Client::Web,
        Client::Spa,
        Client::Acme,
        Client::Beta,
    ])
    .boxed()
}

/// Values no field expects: empty, long, control characters, not UTF-8, numbers out of
/// every range, the wrong JSON type.
fn hostile() -> BoxedStrategy<J> {
    prop_oneof![
        Just(s("")),
        Just(s(" ")),
        (1usize..12_000).prop_map(|n| J::S(V::Lit("a".repeat(n)))),
        Just(s("ünïcødé 🦀 \u{202e}")),
        Just(s("\u{0}\r\n\t\"\\")),
        Just(s("%zz%FF%00+&=;")),
        // JSON sent as a form splits here: `x`'s value is the rest of the JSON.
        Just(s("a&x=1")),
        Just(s("../../etc/passwd")),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(|b| J::S(V::Bytes(b))),
        select(vec![
            "1e400",
            "-1e400",
            "18446744073709551616",
            "18446744073709551615",
            "-9223372036854775809",
            "-1",
            "0",
            "-0",
            "1.5",
            "1e-400",
            "340282366920938463463374607431768211456",
        ])
        .prop_map(|n| J::Num(n.to_owned())),
        any::<bool>().prop_map(J::Bool),
        Just(J::Null),
        Just(J::Arr(vec![])),
        Just(J::Arr(vec![s("a"), J::Num("1".into()), J::Null])),
        Just(J::Obj(vec![("a".into(), s("b"))])),
        any::<i64>().prop_map(|n| J::Num(n.to_string())),
        any::<f64>()
            .prop_filter("finite", |n| n.is_finite())
            .prop_map(|n| J::Num(n.to_string())),
    ]
    .boxed()
}

/// A secret value: a marker mostly, sometimes a real one of the fixture.
fn secret(real: Vec<Fx>) -> BoxedStrategy<J> {
    if real.is_empty() {
        return marker().prop_map(J::S).boxed();
    }
    prop_oneof![
        3 => marker().prop_map(J::S),
        3 => select(real).prop_map(fx),
        1 => prop_oneof![jwt(), beta_token()].prop_map(|t| J::S(V::Jwt(Box::new(t)))),
    ]
    .boxed()
}

fn issuer_or_garbage() -> BoxedStrategy<J> {
    prop_oneof![
        4 => select(vec![Tn::Default, Tn::Acme, Tn::Beta]).prop_map(|t| fx(Fx::Issuer(t))),
        1 => select(vec!["https://evil.invalid", "", "http://127.0.0.1:1"]).prop_map(|t| J::S(lit(t))),
        1 => hostile(),
    ]
    .boxed()
}

fn time_claim() -> BoxedStrategy<J> {
    prop_oneof![
        4 => prop_oneof![Just(-7200i64), Just(-61), Just(0), Just(30), Just(61), Just(299), Just(360), Just(400), Just(86_400 * 365 * 9000)]
            .prop_map(J::Now),
        1 => select(vec!["0", "-1", "18446744073709551615", "18446744073709551616", "9223372036854775807", "-9223372036854775808", "1e400", "1.5e9", "253402300800"])
            .prop_map(|n| J::Num(n.to_owned())),
        1 => hostile(),
    ]
    .boxed()
}

fn user_ref() -> BoxedStrategy<J> {
    prop_oneof![
        3 => any_user().prop_map(|u| fx(Fx::UserId(u))),
        2 => any_user().prop_map(|u| fx(Fx::Username(u))),
        1 => any_client().prop_map(|c| fx(Fx::ClientId(c))),
        1 => hostile(),
    ]
    .boxed()
}

/// Claims of a made JWT: the registered ones, mostly sane, sometimes not, in any order.
fn claims() -> BoxedStrategy<Vec<(String, J)>> {
    let aud = prop_oneof![
        3 => any_client().prop_map(|c| fx(Fx::ClientId(c))),
        2 => select(vec![Tn::Default, Tn::Acme, Tn::Beta]).prop_map(|t| fx(Fx::TokenUrl(t))),
        1 => issuer_or_garbage(),
        1 => any_client().prop_map(|c| J::Arr(vec![fx(Fx::ClientId(c)), J::Num("7".into())])),
    ];
    let act = prop_oneof![
        Just(J::Obj(vec![("sub".into(), s("mockauth-admin"))])),
        (1usize..100).prop_map(|depth| {
            let mut act = J::Obj(vec![("sub".into(), s("x"))]);
            for _ in 0..depth {
                act = J::Obj(vec![("sub".into(), s("y")), ("act".into(), act)]);
            }
            act
        }),
        hostile(),
    ];
    (
        issuer_or_garbage(),
        user_ref(),
        aud,
        time_claim(),
        time_claim(),
        time_claim(),
        prop::option::of("[0-9a-f]{16}"),
        prop::option::of(scope()),
        prop::option::of(act),
        prop::option::of(hostile()),
        any::<u8>(),
    )
        .prop_map(
            |(iss, sub, aud, exp, iat, nbf, jti, scope, act, extra, drop)| {
                let mut claims = vec![
                    ("iss".to_owned(), iss),
                    ("sub".to_owned(), sub),
                    ("aud".to_owned(), aud),
                    ("exp".to_owned(), exp),
                    ("iat".to_owned(), iat),
                    ("nbf".to_owned(), nbf),
                ];
                if let Some(jti) = jti {
                    claims.push(("jti".into(), J::S(V::Lit(jti))));
                }
                if let Some(scope) = scope {
                    claims.push(("scope".into(), scope));
                }
                if let Some(act) = act {
                    claims.push(("act".into(), act));
                }
                if let Some(extra) = extra {
                    claims.push(("sid".into(), extra));
                }
                // Leave one registered claim out now and then.
                if drop < 6 * 16 {
                    claims.remove(usize::from(drop / 16));
                }
                claims
            },
        )
        .boxed()
}

fn jwt() -> BoxedStrategy<Jwt> {
    let alg = prop_oneof![
        3 => Just(Some("RS256")),
        3 => Just(Some("HS256")),
        1 => Just(Some("none")),
        1 => Just(Some("None")),
        1 => Just(Some("ES256")),
        1 => Just(Some("EdDSA")),
        1 => Just(Some("")),
        1 => Just(None),
    ];
    let kid = prop_oneof![
        2 => Just(Kid::None),
        3 => select(vec![Tn::Default, Tn::Acme, Tn::Beta]).prop_map(Kid::Real),
        1 => Just(Kid::Lit("rs256-00000000".into())),
        1 => (0usize..5000).prop_map(|n| Kid::Lit("k".repeat(n))),
        1 => Just(Kid::Lit("../../../dev/null".into())),
        1 => Just(Kid::Number),
    ];
    let sig = prop_oneof![
        2 => Just(Sig::Empty),
        1 => Just(Sig::Missing),
        1 => "[A-Za-z0-9_-]{0,90}".prop_map(Sig::Garbage),
        3 => any_client().prop_map(Sig::ClientSecret),
        3 => Just(Sig::BetaSecret),
        2 => Just(Sig::WrongKey),
    ];
    let typ = select(vec![Some("JWT"), Some("at+jwt"), None, Some("")]);
    (alg, kid, typ, claims(), sig)
        .prop_map(|(alg, kid, typ, claims, sig)| Jwt {
            alg,
            kid,
            typ,
            claims,
            sig,
        })
        .boxed()
}

/// A token of `beta` signed with its HS256 secret, so that it passes the signature check:
/// issuer and audience mostly right, times, subject and other claims hostile.
fn beta_token() -> BoxedStrategy<Jwt> {
    (
        prop::bool::weighted(0.7),
        user_ref(),
        time_claim(),
        time_claim(),
        time_claim(),
        prop::option::of(hostile()),
        prop::option::of(scope()),
        any::<bool>(),
        hostile(),
    )
        .prop_map(
            |(right_aud, sub, exp, iat, nbf, sid, scope, kid, other_aud)| {
                let aud = if right_aud {
                    fx(Fx::ClientId(Client::Beta))
                } else {
                    other_aud
                };
                let mut claims = vec![
                    ("iss".to_owned(), fx(Fx::Issuer(Tn::Beta))),
                    ("sub".to_owned(), sub),
                    ("aud".to_owned(), aud),
                    ("exp".to_owned(), exp),
                    ("iat".to_owned(), iat),
                    ("nbf".to_owned(), nbf),
                    ("jti".to_owned(), s("0123456789abcdef")),
                ];
                if let Some(sid) = sid {
                    claims.push(("sid".into(), sid));
                }
                if let Some(scope) = scope {
                    claims.push(("scope".into(), scope));
                }
                Jwt {
                    alg: Some("HS256"),
                    kid: if kid { Kid::Real(Tn::Beta) } else { Kid::None },
                    typ: Some("at+jwt"),
                    claims,
                    sig: Sig::BetaSecret,
                }
            },
        )
        .boxed()
}

/// A jwt-bearer assertion: HS256 with a client's secret, mostly well formed.
fn assertion() -> BoxedStrategy<Jwt> {
    (any_client(), claims(), any::<bool>(), "[a-z0-9]{16}")
        .prop_map(|(client, mut claims, honest, jti)| {
            if !honest && claims.len() > 1 {
                // The client it names signed it: the hostile claims reach the later checks.
                claims[0] = ("iss".into(), fx(Fx::ClientId(client)));
            }
            if honest {
                claims = vec![
                    ("iss".into(), fx(Fx::ClientId(client))),
                    ("sub".into(), fx(Fx::Username(User::Alice))),
                    ("aud".into(), fx(Fx::TokenUrl(Tn::Default))),
                    ("exp".into(), J::Now(120)),
                    ("jti".into(), J::S(V::Lit(jti))),
                ];
            }
            Jwt {
                alg: Some("HS256"),
                kid: Kid::None,
                typ: Some("JWT"),
                claims,
                sig: Sig::ClientSecret(client),
            }
        })
        .boxed()
}

fn scope() -> BoxedStrategy<J> {
    prop_oneof![
        3 => select(vec!["openid", "openid profile email offline_access", "openid email", "profile", "offline_access", "openid openid"]).prop_map(|t| J::S(lit(t))),
        1 => select(vec!["admin", "openid\u{0}", "openid  ", " ", "a\"b"]).prop_map(|t| J::S(lit(t))),
        1 => Just(J::Arr(vec![s("openid"), s("email")])),
        1 => hostile(),
    ]
    .boxed()
}

fn name_list() -> BoxedStrategy<J> {
    let name = prop_oneof![
        3 => select(vec!["Editor", "user", "content:write", "Users:Manage", "Roles:Manage", "Permissions:Manage", "ApiKeys:Manage"]).prop_map(|t| J::S(lit(t))),
        1 => hostile(),
    ];
    prop_oneof![
        4 => prop::collection::vec(name, 0..4).prop_map(J::Arr),
        1 => hostile(),
    ]
    .boxed()
}

fn url() -> BoxedStrategy<J> {
    prop_oneof![
        3 => select(vec![
            "http://127.0.0.1:8080/callback",
            "http://127.0.0.1:9/cb",
            "http://localhost:3000/cb",
            "http://[::1]:1/x",
            "http://127.0.0.1:9/cb#frag",
            "https://evil.invalid/cb",
            "/relative",
            "javascript:alert(1)",
            "http://127.0.0.1:9/cb?x=1",
            "http://127.0.0.1:99999/cb",
            "http://",
            "http://127.0.0.1:9/logged-out",
        ])
        .prop_map(|t| J::S(lit(t))),
        1 => hostile(),
    ]
    .boxed()
}

/// A realistic value for a field of this kind, or a hostile one.
fn value(kind: K) -> BoxedStrategy<J> {
    let real: BoxedStrategy<J> = match kind {
        K::Grant => select(vec![
            "authorization_code",
            "client_credentials",
            "password",
            "refresh_token",
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "implicit",
            "urn:ietf:params:oauth:grant-type:device_code",
            "PASSWORD",
        ])
        .prop_map(|t| J::S(lit(t)))
        .boxed(),
        K::ClientId => any_client().prop_map(|c| fx(Fx::ClientId(c))).boxed(),
        K::ClientSecret => secret(vec![
            Fx::ClientSecret(Client::Default),
            Fx::ClientSecret(Client::Web),
            Fx::ClientSecret(Client::Acme),
            Fx::ClientSecret(Client::Beta),
        ]),
        K::Code => secret(vec![Fx::FreshCode]),
        K::Verifier => secret(vec![Fx::Verifier]),
        K::Redirect | K::Url => url(),
        K::Refresh => secret(vec![
            Fx::Refresh(0),
            Fx::Refresh(1),
            Fx::Refresh(2),
            Fx::IdentityRefresh,
        ]),
        K::Username => prop_oneof![
            3 => any_user().prop_map(|u| fx(Fx::Username(u))),
            1 => any_user().prop_map(|u| fx(Fx::Email(u))),
            1 => any_user().prop_map(|u| fx(Fx::UserId(u))),
            1 => select(vec!["ALICE", "nobody", "new-user", "new.user@example.test", "a/b", "a b"]).prop_map(|t| J::S(lit(t))),
        ]
        .boxed(),
        K::Password => secret(vec![
            Fx::Password(User::Test),
            Fx::Password(User::Alice),
            Fx::Password(User::Bob),
        ]),
        K::Scope => scope(),
        K::Assertion => prop_oneof![
            3 => assertion().prop_map(|t| J::S(V::Jwt(Box::new(t)))),
            1 => secret(vec![]),
        ]
        .boxed(),
        K::AnyToken | K::AccessToken | K::IdTokenHint => secret(vec![
            Fx::Access(0),
            Fx::Access(1),
            Fx::IdToken(0),
            Fx::IdToken(2),
            Fx::Refresh(1),
            Fx::ClientToken,
            Fx::AcmeToken,
            Fx::BetaToken,
            Fx::IdentityToken,
        ]),
        K::MfaToken => secret(vec![Fx::FreshMfaToken]),
        K::MfaCode => prop_oneof![
            3 => Just(fx(Fx::MfaCode)),
            1 => Just(fx(Fx::Totp)),
            1 => "[0-9]{6}".prop_map(|c| J::S(V::Lit(c))),
            1 => marker().prop_map(J::S),
        ]
        .boxed(),
        K::ResponseType => select(vec!["code", "token", "id_token", "code id_token", "CODE"])
            .prop_map(|t| J::S(lit(t)))
            .boxed(),
        K::Challenge => prop_oneof![
            "[A-Za-z0-9_~.-]{43,128}".prop_map(|c| J::S(V::Lit(c))),
            "[A-Za-z0-9]{0,42}".prop_map(|c| J::S(V::Lit(c))),
            "[^A-Za-z0-9]{43}".prop_map(|c| J::S(V::Lit(c))),
        ]
        .boxed(),
        K::ChallengeMethod => select(vec!["S256", "plain", "s256", "S512"])
            .prop_map(|t| J::S(lit(t)))
            .boxed(),
        K::Text => prop_oneof![
            "[A-Za-z][A-Za-z0-9 :._-]{0,20}".prop_map(|t| J::S(V::Lit(t))),
            select(vec!["Editor", "content:write", "Users:Manage", "user", "ci", "billing"]).prop_map(|t| J::S(lit(t))),
        ]
        .boxed(),
        K::Email => prop_oneof![
            any_user().prop_map(|u| fx(Fx::Email(u))),
            select(vec!["new@example.test", "a@b", "@", "x@-bad-.test", "a@@b.test", "ALICE@example.test"]).prop_map(|t| J::S(lit(t))),
        ]
        .boxed(),
        K::UserIdOrName => user_ref(),
        K::NameList => name_list(),
        K::Timestamp => prop_oneof![
            select(vec![
                "2030-01-31T12:00:00Z",
                "2030-01-31T13:00:00+01:00",
                "9999-12-31T23:59:59Z",
                "9999-12-31T23:59:59-23:59",
                "0000-01-01T00:00:00+23:59",
                "1970-01-01T00:00:00Z",
                "2000-02-29T12:00:00.123456789012345678901234567890Z",
                "2001-02-29T12:00:00Z",
                "2030-13-01T00:00:00Z",
                "2030-01-01T24:00:60Z",
                "2030-01-01T00:00:00",
                "2030-01-01t00:00:00z",
                "2030-01-01T00:00:00+1:00",
                "2030-01-01T00:00:00.Z",
                "2030-01-01T00:00:00é",
                "+12030-01-01T00:00:00Z",
            ])
            .prop_map(|t| J::S(lit(t))),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})"
                .prop_map(|t| J::S(V::Lit(t))),
        ]
        .boxed(),
        K::Bool => any::<bool>().prop_map(J::Bool).boxed(),
        K::Seconds => prop_oneof![
            3 => select(vec![0i64, 1, 30, 60, 3600]).prop_map(|n| J::Num(n.to_string())),
            1 => select(vec!["315360000", "315360001", "-5", "1.5", "1e400", "18446744073709551616", "\"60\""]).prop_map(|n| J::Num(n.to_owned())),
        ]
        .boxed(),
        K::TenantId => select(vec!["default", "acme", "beta", "fuzz-new", "fuzz.two", "", "a/b", "ünï"])
            .prop_map(|t| J::S(lit(t)))
            .boxed(),
        K::IssuerPath => select(vec![
            "/realms/acme",
            "/realms/fuzz",
            "/api/auth-sandbox/x",
            "/",
            "",
            "no-slash",
            "/trailing/",
            "/api/invoke/beta/auth",
            "//double",
        ])
        .prop_map(|t| J::S(lit(t)))
        .boxed(),
        K::Algorithm => select(vec!["RS256", "ES256", "EdDSA", "HS256", "none", "rs256"])
            .prop_map(|t| J::S(lit(t)))
            .boxed(),
        K::UrlList => prop::collection::vec(url(), 0..3).prop_map(J::Arr).boxed(),
        K::GrantList => prop::collection::vec(value(K::Grant), 0..3)
            .prop_map(J::Arr)
            .boxed(),
        K::ScopeList => prop::collection::vec(scope(), 0..3).prop_map(J::Arr).boxed(),
        K::ErrorSim => (
            any::<bool>(),
            prop_oneof![Just(0i64), Just(50), Just(100), Just(101), Just(-1)],
            prop::collection::vec(
                select(vec!["invalid_client", "expired_token", "rate_limited", "server_error", "nope"]),
                0..3,
            ),
            prop_oneof![Just(0i64), Just(1), Just(5), Just(-1)],
        )
            .prop_map(|(enabled, rate, types, delay)| {
                J::Obj(vec![
                    ("enabled".into(), J::Bool(enabled)),
                    ("errorRate".into(), J::Num(rate.to_string())),
                    (
                        "errorTypes".into(),
                        J::Arr(types.into_iter().map(|t| J::S(lit(t))).collect()),
                    ),
                    ("delayMs".into(), J::Num(delay.to_string())),
                ])
            })
            .boxed(),
        K::Claims => prop_oneof![
            Just(J::Obj(vec![("team".into(), s("blue"))])),
            Just(J::Obj(vec![("sub".into(), s("override")), ("roles".into(), J::Num("1".into()))])),
            hostile(),
        ]
        .boxed(),
        K::Endpoint => select(vec!["token", "authorize", "identity_login", "service_login", "nope", ""])
            .prop_map(|t| J::S(lit(t)))
            .boxed(),
        K::Status => select(vec!["200", "400", "0", "99999", "-1", "abc"])
            .prop_map(|t| J::Num(t.to_owned()))
            .boxed(),
        K::Limit => select(vec!["1", "10000", "10001", "0", "-1", "1e3"])
            .prop_map(|t| J::Num(t.to_owned()))
            .boxed(),
        K::Number => select(vec!["0", "1", "18446744073709551615", "18446744073709551616", "-1", "x"])
            .prop_map(|t| J::Num(t.to_owned()))
            .boxed(),
        K::IdentityRefresh => secret(vec![Fx::IdentityRefresh, Fx::Refresh(0)]),
        K::ServiceRefresh => secret(vec![Fx::ServiceRefresh, Fx::IdentityRefresh]),
    };
    prop_oneof![8 => real, 1 => hostile()].boxed()
}

/// Some of a route's fields (a random subset in a random order), sometimes one twice,
/// sometimes an unknown one.
fn fields(fields: &'static [Field]) -> BoxedStrategy<Vec<(String, J)>> {
    if fields.is_empty() {
        return prop::collection::vec(("[a-z_]{1,12}", hostile()), 0..2).boxed();
    }
    let each: Vec<BoxedStrategy<Option<(String, J)>>> = fields
        .iter()
        .map(|&(name, kind)| {
            prop::option::weighted(0.7, value(kind).prop_map(move |v| (name.to_owned(), v))).boxed()
        })
        .collect();
    let extra = prop_oneof![
        6 => Just(None),
        1 => ("[a-zA-Z_]{1,10}", hostile()).prop_map(Some),
        1 => Union::new(fields.iter().map(|&(name, kind)| {
            // A repeated parameter (a secret one with a marker again).
            let v = if is_secret_name(name) { marker().prop_map(J::S).boxed() } else { value(kind) };
            v.prop_map(move |v| Some((name.to_owned(), v))).boxed()
        })),
    ];
    (each, extra, any::<prop::sample::Index>())
        .prop_map(|(each, extra, at)| {
            let mut out: Vec<(String, J)> = each.into_iter().flatten().collect();
            if let Some(extra) = extra {
                let i = at.index(out.len() + 1);
                out.insert(i, extra);
            }
            out
        })
        .boxed()
}

fn damage() -> BoxedStrategy<Damage> {
    prop_oneof![
        12 => Just(Damage::None),
        1 => any::<u8>().prop_map(Damage::Truncate),
        1 => Just(Damage::LeadingWhitespace),
        1 => Just(Damage::Bom),
        1 => Just(Damage::TrailingGarbage),
        1 => prop_oneof![1u16..20, 120u16..140, 5000u16..6000].prop_map(Damage::Deep),
        1 => any::<u8>().prop_map(Damage::InvalidUtf8),
    ]
    .boxed()
}

/// A JSON body of `members`: mostly the object, sometimes with secrets in a nested object
/// and array (redacted by their names there too), sometimes no object at all.
fn nested_json(members: Vec<(String, J)>, pick: u8, marker: V) -> J {
    match pick {
        0 => {
            let mut out = members;
            out.push((
                "profile".into(),
                J::Obj(vec![
                    ("password".into(), J::S(marker.clone())),
                    (
                        "items".into(),
                        J::Arr(vec![J::Obj(vec![("client_secret".into(), J::S(marker))])]),
                    ),
                ]),
            ));
            J::Obj(out)
        }
        1 => J::Arr(vec![J::Null]),
        2 => J::S(lit("a string")),
        _ => J::Obj(members),
    }
}

fn body(shape: Shape) -> BoxedStrategy<Body> {
    let f = fields(shape.fields);
    let json = (f.clone(), damage(), 0u8..11, marker())
        .prop_map(|(members, damage, pick, marker)| {
            Body::Json(nested_json(members, pick, marker), damage)
        })
        .boxed();
    let form = (f, damage())
        .prop_map(|(members, damage)| Body::Form(members, damage))
        .boxed();
    let (json_w, form_w) = if shape.json { (16, 2) } else { (2, 16) };
    prop_oneof![
        json_w => json,
        form_w => form,
        1 => Just(Body::None),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Body::Raw),
        1 => (prop_oneof![60_000usize..65_536, 65_536usize..66_000, 66_000usize..90_000], marker())
            .prop_map(|(n, m)| Body::Big(n, m)),
    ]
    .boxed()
}

fn content_type() -> BoxedStrategy<CType> {
    prop_oneof![
        24 => Just(CType::Auto),
        2 => Just(CType::None),
        4 => select(vec![
            "application/json",
            "application/x-www-form-urlencoded",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "application/x-www-form-urlencoded;charset=ISO-8859-1",
            "application/vnd.api+json",
            "application/jwt",
            "text/plain",
            "text/html; charset=utf-8",
            "multipart/form-data; boundary=xyz",
            "application/xml",
            "",
            ";",
            "application/",
            "json",
            "+json",
            "application/x-www-form-urlencoded, application/json",
        ])
        .prop_map(CType::Lit),
        1 => prop::collection::vec(0x80u8..=0xff, 1..8).prop_map(CType::Raw),
    ]
    .boxed()
}

fn basic_enc() -> BoxedStrategy<BasicEnc> {
    prop_oneof![
        8 => Just(BasicEnc::Std),
        1 => Just(BasicEnc::UrlSafe),
        1 => Just(BasicEnc::NoPadding),
        1 => Just(BasicEnc::Invalid),
        1 => Just(BasicEnc::NoColon),
        1 => Just(BasicEnc::Bare),
        1 => Just(BasicEnc::NotUtf8),
        1 => Just(BasicEnc::Sloppy),
        1 => Just(BasicEnc::FormEncoded),
    ]
    .boxed()
}

/// A secret credential: a fixture one or a marker or a forged JWT.
fn credential() -> BoxedStrategy<V> {
    prop_oneof![
        2 => marker(),
        4 => select(vec![
            Fx::Access(0),
            Fx::Access(1),
            Fx::Access(2),
            Fx::ClientToken,
            Fx::AcmeToken,
            Fx::BetaToken,
            Fx::IdentityToken,
            Fx::AdminToken,
            Fx::IdToken(0),
            Fx::Refresh(0),
            Fx::ApiKey,
        ])
        .prop_map(V::Fix),
        2 => jwt().prop_map(|t| V::Jwt(Box::new(t))),
        2 => beta_token().prop_map(|t| V::Jwt(Box::new(t))),
    ]
    .boxed()
}

fn auth() -> BoxedStrategy<Auth> {
    let basic_user = prop_oneof![
        3 => any_client().prop_map(|c| V::Fix(Fx::ClientId(c))),
        3 => any_user().prop_map(|u| V::Fix(Fx::Username(u))),
        1 => select(vec!["", "nobody", "a:b", "é"]).prop_map(lit),
    ];
    let basic_pass = prop_oneof![
        2 => marker(),
        2 => any_client().prop_map(|c| V::Fix(Fx::ClientSecret(c))),
        2 => any_user().prop_map(|u| V::Fix(Fx::Password(u))),
    ];
    prop_oneof![
        6 => Just(Auth::None),
        4 => (basic_user, basic_pass, basic_enc()).prop_map(|(user, pass, enc)| Auth::Basic { user, pass, enc }),
        5 => credential().prop_map(Auth::Bearer),
        1 => Just(Auth::EmptyBearer),
        1 => (select(vec!["Digest", "Token", "bearer", "BEARER", "Bearer\t"]), credential()).prop_map(|(s, v)| Auth::Scheme(s, v)),
        1 => prop::collection::vec(any::<u8>(), 1..40)
            .prop_filter("no line breaks", |b| !b.contains(&b'\r') && !b.contains(&b'\n') && !b.contains(&0))
            .prop_map(Auth::Raw),
        1 => (credential(), credential()).prop_map(|(a, b)| Auth::Twice(a, b)),
    ]
    .boxed()
}

fn extra_headers() -> BoxedStrategy<Vec<(String, Vec<u8>)>> {
    let one = prop_oneof![
        Just(("Expect".to_owned(), b"100-continue".to_vec())),
        Just(("Accept".to_owned(), b"*/*".to_vec())),
        Just(("X-Forwarded-For".to_owned(), b"10.0.0.1, \xff".to_vec())),
        Just(("Cookie".to_owned(), b"a=b; c".to_vec())),
        Just(("Origin".to_owned(), b"null".to_vec())),
        Just(("Content-Encoding".to_owned(), b"gzip".to_vec())),
        (1usize..8_000).prop_map(|n| ("X-Long".to_owned(), vec![b'v'; n])),
        ("[A-Za-z-]{1,20}", "[ -~]{0,40}").prop_map(|(n, v)| (n, v.into_bytes())),
    ];
    prop_oneof![3 => Just(vec![]), 1 => prop::collection::vec(one, 1..3)].boxed()
}

/// The credentials the route takes, mostly right.
fn auth_for(cred: Cred) -> BoxedStrategy<Auth> {
    let bearer = |values: Vec<Fx>| select(values).prop_map(|f| Auth::Bearer(V::Fix(f)));
    let right: BoxedStrategy<Auth> = match cred {
        Cred::Admin => bearer(vec![Fx::AdminToken]).boxed(),
        Cred::Guard => bearer(vec![
            Fx::AdminToken,
            Fx::AdminToken,
            Fx::IdentityToken,
            Fx::Access(0),
            Fx::Access(1),
            Fx::ClientToken,
        ])
        .boxed(),
        Cred::Bearer => prop_oneof![3 => bearer(vec![
            Fx::Access(0),
            Fx::Access(1),
            Fx::Access(2),
            Fx::ClientToken,
            Fx::AcmeToken,
            Fx::BetaToken,
            Fx::IdentityToken,
        ]), 1 => beta_token().prop_map(|t| Auth::Bearer(V::Jwt(Box::new(t))))]
        .boxed(),
        Cred::BasicUser => (any_user(), prop::bool::weighted(0.7), marker())
            .prop_map(|(u, right, marker)| Auth::Basic {
                user: V::Fix(Fx::Username(u)),
                pass: if right {
                    V::Fix(Fx::Password(u))
                } else {
                    marker
                },
                enc: BasicEnc::Std,
            })
            .boxed(),
        Cred::BasicClient => prop_oneof![
            2 => any_client().prop_map(|c| Auth::Basic {
                user: V::Fix(Fx::ClientId(c)),
                pass: V::Fix(Fx::ClientSecret(c)),
                enc: BasicEnc::Std,
            }),
            3 => Just(Auth::None),
        ]
        .boxed(),
        Cred::Nothing | Cred::App | Cred::ClientKey => Just(Auth::None).boxed(),
    };
    prop_oneof![3 => right, 1 => auth()].boxed()
}

fn headers(cred: Cred) -> BoxedStrategy<Headers> {
    let api_key = match cred {
        Cred::Guard => prop::option::weighted(
            0.25,
            prop_oneof![3 => Just(V::Fix(Fx::ApiKey)), 1 => credential()],
        )
        .boxed(),
        Cred::ClientKey => prop::option::weighted(
            0.85,
            prop_oneof![3 => any_client().prop_map(|c| V::Fix(Fx::ClientSecret(c))), 1 => credential()],
        )
        .boxed(),
        _ => prop::option::weighted(0.05, credential()).boxed(),
    };
    let app_share = if matches!(cred, Cred::App) { 0.9 } else { 0.05 };
    (
        content_type(),
        auth_for(cred),
        api_key,
        prop::option::weighted(
            app_share,
            prop_oneof![4 => Just(V::Fix(Fx::AppSecret)), 1 => marker()],
        ),
        extra_headers(),
        prop::bool::weighted(0.05),
    )
        .prop_map(
            |(content_type, auth, api_key, app_secret, extra, chunked)| Headers {
                content_type,
                auth,
                api_key,
                app_secret,
                extra,
                chunked,
            },
        )
        .boxed()
}

fn method(usual: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        24 => select(usual.to_vec()).prop_map(str::to_owned),
        4 => select(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]).prop_map(str::to_owned),
        1 => select(vec!["TRACE", "PURGE", "get", "M-SEARCH", "PROPFIND", "CONNECT"]).prop_map(str::to_owned),
        1 => "[A-Z]{1,40}",
    ]
    .boxed()
}

fn tenant() -> BoxedStrategy<TenantSel> {
    prop_oneof![
        8 => Just(TenantSel::Known(Tn::Default)),
        4 => Just(TenantSel::Known(Tn::Acme)),
        3 => Just(TenantSel::Known(Tn::Beta)),
        1 => select(vec![
            "/realms/nope",
            "/realms/acmex",
            "/realms",
            "/api/invoke/fuzz-new/auth",
            "/api/invoke//auth",
            "/realms/fuzz",
        ])
        .prop_map(TenantSel::Other),
    ]
    .boxed()
}

fn path_mut() -> BoxedStrategy<PathMut> {
    prop_oneof![
        48 => Just(PathMut::None),
        1 => Just(PathMut::TrailingSlash),
        1 => Just(PathMut::DoubleSlash),
        1 => Just(PathMut::DotSegment),
        1 => Just(PathMut::DotDot),
        1 => any::<u8>().prop_map(PathMut::Encoded),
        1 => Just(PathMut::Upper),
        1 => prop_oneof![1u32..300, 1_000u32..10_000, 66_000u32..70_000].prop_map(PathMut::Long),
        1 => select(vec!["%00", "%2F", "%FF%FE", ";x=1", "/%2e%2e/token", "/\u{e9}", "~", "*"]).prop_map(|s| PathMut::Append(s.to_owned())),
    ]
    .boxed()
}

fn path_id() -> BoxedStrategy<Id> {
    prop_oneof![
        6 => select(vec![
            Fx::UserId(User::Test),
            Fx::UserId(User::Alice),
            Fx::UserId(User::Bob),
            Fx::Username(User::Alice),
            Fx::Username(User::Test),
            Fx::RoleId,
            Fx::RoleName,
            Fx::PermId,
            Fx::PermName,
            Fx::ApiKeyId,
        ])
        .prop_map(Id::Fix),
        2 => select(vec!["perm_1", "perm_4", "user", "Users:Manage", "Content%20Editor", "content%3Awrite"]).prop_map(|s| Id::Raw(s.to_owned())),
        3 => select(vec![
            "%FF%FE", "%00", "..", ".", "%2F", "%", "%zz", "%C3%A9", "usr_0000000000000000", "a%2Fb", "%E2%80%AE", "+", "%20",
        ])
        .prop_map(|s| Id::Raw(s.to_owned())),
        1 => (1usize..5_000).prop_map(|n| Id::Raw("i".repeat(n))),
    ]
    .boxed()
}

fn random_path() -> BoxedStrategy<String> {
    prop_oneof![
        "(/[a-zA-Z0-9._~%-]{0,12}){0,5}",
        select(vec![
            "",
            "/",
            "/auth/login",
            "/identity",
            "/svc",
            "/api",
            "/api/auth-sandbox",
            "/.well-known",
            "/favicon.ico",
            "/identity/auth",
            "/svc/auth"
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

fn raw_query() -> BoxedStrategy<String> {
    prop_oneof![
        8 => Just(String::new()),
        1 => select(vec!["&&", "=x", "a", "a=%zz", "a=%FF%FE", "%00=%00", "&password=", "a=1&a=2", "x=%E2%80%AE"]).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Requests to one route (or, for `Route::Random`, to random paths). Built once per route:
/// strategies are made up front, never per case.
fn route_cases(route: Route, shape: Shape) -> BoxedStrategy<Case> {
    let route = match route {
        Route::Identity(path, _) if path.contains("{id}") => path_id()
            .prop_map(move |id| Route::Identity(path, Some(id)))
            .boxed(),
        Route::Random(_) => random_path().prop_map(Route::Random).boxed(),
        other => Just(other).boxed(),
    };
    (
        method(shape.methods),
        tenant(),
        route,
        path_mut(),
        fields(shape.fields),
        prop::bool::weighted(0.25),
        raw_query(),
        headers(shape.cred),
        body(shape),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(
                method,
                tenant,
                route,
                path_mut,
                params,
                query_too,
                raw_query,
                headers,
                body,
                get_body,
            )| {
                // GET and HEAD carry their parameters in the query and seldom a body; other
                // methods a body, and now and then a query as well.
                let get = method == "GET" || method == "HEAD";
                let (query, body) = match (get, body) {
                    (true, body) if get_body => (params, body),
                    (true, _) => (params, Body::None),
                    (false, body) if query_too => (params, body),
                    (false, body) => (vec![], body),
                };
                Case {
                    method,
                    tenant,
                    route,
                    path_mut,
                    query,
                    raw_query,
                    headers,
                    body,
                }
            },
        )
        .boxed()
}

/// One hostile request, mostly aimed at a real route of a real tenant.
pub(crate) fn case() -> BoxedStrategy<Case> {
    let mut arms: Vec<(u32, BoxedStrategy<Case>)> = routes()
        .into_iter()
        .map(|(route, shape)| (12, route_cases(route, shape)))
        .collect();
    let n = u32::try_from(arms.len()).expect("a few routes");
    arms.push((
        n,
        route_cases(Route::Random(String::new()), shape(GET_POST, TOKEN, false)),
    ));
    Union::new_weighted(arms).boxed()
}

// ---------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------

/// What rendering needs from the fixture.
pub(crate) trait Resolve {
    /// The fixture's value (fresh codes and MFA challenges are made on demand).
    fn fx(&mut self, fx: Fx) -> String;
    /// The server clock, Unix seconds.
    fn now(&self) -> i64;
    /// The HMAC key of a client's secret, of `beta`'s tokens.
    fn client_secret(&self, client: Client) -> Vec<u8>;
    fn beta_secret(&self) -> Vec<u8>;
}

/// A rendered request: its bytes, whether it was a `HEAD` (no body in the answer), and the
/// secrets it carries where the journal must not show them.
#[derive(Debug)]
pub(crate) struct Rendered {
    pub(crate) bytes: Vec<u8>,
    pub(crate) head: bool,
    pub(crate) secrets: Vec<String>,
}

struct Renderer<'a, R: Resolve> {
    fx: &'a mut R,
    secrets: Vec<String>,
}

/// Whether the journal redacts a parameter of this name: a copy of the rule in
/// `src/journal/redact.rs`, so the harness knows where it may put a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    ["code", "otp", "totp", "assertion", "idtokenhint"].contains(&folded.as_str())
        || [
            "secret",
            "password",
            "token",
            "code",
            "verifier",
            "assertion",
            "apikey",
        ]
        .iter()
        .any(|end| folded.ends_with(end))
        || ["password", "passwd", "secret"]
            .iter()
            .any(|word| folded.contains(word))
}

impl<R: Resolve> Renderer<'_, R> {
    /// A scalar's bytes; a secret one is noted when it stands where secrets belong.
    fn scalar(&mut self, v: &V, secret_slot: bool) -> Vec<u8> {
        let (bytes, secret) = match v {
            V::Lit(s) => (s.clone().into_bytes(), false),
            V::Bytes(b) => (b.clone(), false),
            V::Marker(m) => (m.clone().into_bytes(), true),
            V::Fix(f) => (self.fx.fx(*f).into_bytes(), f.is_secret()),
            V::Jwt(t) => (self.jwt(t).into_bytes(), true),
        };
        if secret && secret_slot && bytes.len() >= 16 {
            self.secrets
                .push(String::from_utf8_lossy(&bytes).into_owned());
        }
        bytes
    }

    fn json(&mut self, j: &J, out: &mut Vec<u8>, secret_slot: bool) {
        match j {
            J::S(v) => {
                let bytes = self.scalar(v, secret_slot);
                json_string(&bytes, out);
            }
            J::Num(n) => out.extend_from_slice(n.as_bytes()),
            J::Now(offset) => {
                out.extend_from_slice((self.fx.now() + offset).to_string().as_bytes())
            }
            J::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            J::Null => out.extend_from_slice(b"null"),
            J::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.json(item, out, secret_slot);
                }
                out.push(b']');
            }
            J::Obj(members) => {
                out.push(b'{');
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_string(name.as_bytes(), out);
                    out.push(b':');
                    // Inside a secret member everything is redacted; elsewhere a member's
                    // own name decides.
                    self.json(value, out, secret_slot || is_secret_name(name));
                }
                out.push(b'}');
            }
        }
    }

    /// A form or query value: a string as it is, anything else as its JSON text.
    fn form_value(&mut self, j: &J, secret_slot: bool) -> Vec<u8> {
        match j {
            J::S(v) => self.scalar(v, secret_slot),
            other => {
                let mut out = Vec::new();
                // Nested secrets in a form value are not redacted by name (a form value is
                // one string), so nothing secret is noted inside one.
                self.json(other, &mut out, false);
                out
            }
        }
    }

    fn form(&mut self, members: &[(String, J)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, (name, value)) in members.iter().enumerate() {
            if i > 0 {
                out.push(b'&');
            }
            let value = self.form_value(value, is_secret_name(name));
            out.extend(form_urlencoded::byte_serialize(name.as_bytes()).flat_map(str::bytes));
            out.push(b'=');
            out.extend(form_urlencoded::byte_serialize(&value).flat_map(str::bytes));
        }
        out
    }

    fn jwt(&mut self, t: &Jwt) -> String {
        let mut header = vec![];
        if let Some(alg) = t.alg {
            header.push(("alg".to_owned(), J::S(lit(alg))));
        }
        if let Some(typ) = t.typ {
            header.push(("typ".to_owned(), J::S(lit(typ))));
        }
        match &t.kid {
            Kid::None => {}
            Kid::Real(tn) => header.push(("kid".into(), J::S(V::Fix(Fx::Kid(*tn))))),
            Kid::Lit(s) => header.push(("kid".into(), J::S(V::Lit(s.clone())))),
            Kid::Number => header.push(("kid".into(), J::Num("42".into()))),
        }
        let mut h = Vec::new();
        self.json(&J::Obj(header), &mut h, false);
        let mut p = Vec::new();
        // The claims of a made token are not secrets of their own: the token is.
        self.json(&J::Obj(t.claims.clone()), &mut p, false);
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(h),
            URL_SAFE_NO_PAD.encode(p)
        );
        let key = match &t.sig {
            Sig::Empty => return format!("{signing_input}."),
            Sig::Missing => return signing_input,
            Sig::Garbage(g) => return format!("{signing_input}.{g}"),
            Sig::ClientSecret(c) => self.fx.client_secret(*c),
            Sig::BetaSecret => self.fx.beta_secret(),
            Sig::WrongKey => b"not-the-server-key-not-the-server-key".to_vec(),
        };
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &key);
        let tag = aws_lc_rs::hmac::sign(&key, signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    fn path(&mut self, case: &Case) -> Vec<u8> {
        let mut path = match &case.tenant {
            TenantSel::Known(tn) => tn.prefix().to_owned(),
            TenantSel::Other(p) => (*p).to_owned(),
        };
        match &case.route {
            Route::Oidc(p) => path.push_str(p),
            Route::Identity(p, id) => {
                path.push_str("/identity");
                let id = match id {
                    None => String::new(),
                    Some(Id::Raw(raw)) => raw.clone(),
                    Some(Id::Fix(f)) => {
                        let value = self.fx.fx(*f);
                        percent_encoding::utf8_percent_encode(&value, &ID_ENCODE).to_string()
                    }
                };
                path.push_str(&p.replace("{id}", &id));
            }
            Route::Service(p) => {
                path.push_str("/svc");
                path.push_str(p);
            }
            // The admin API is at the origin; below another prefix it is no admin path.
            Route::Admin(p) => {
                if matches!(case.tenant, TenantSel::Known(_)) {
                    path.clear();
                }
                path.push_str("/api/auth-sandbox");
                path.push_str(p);
            }
            Route::Random(p) => path.push_str(p),
        }
        match &case.path_mut {
            PathMut::None => {}
            PathMut::TrailingSlash => path.push('/'),
            PathMut::DoubleSlash => path = path.replacen('/', "//", 1),
            PathMut::DotSegment => path.insert_str(0, "/."),
            PathMut::DotDot => path.insert_str(0, "/x/.."),
            PathMut::Encoded(at) => {
                if !path.is_empty() {
                    let i = usize::from(*at) % path.len();
                    if path.is_char_boundary(i) && path.is_char_boundary(i + 1) {
                        let c = path.as_bytes()[i];
                        path.replace_range(i..=i, &format!("%{c:02X}"));
                    }
                }
            }
            PathMut::Upper => path = path.to_uppercase(),
            PathMut::Long(n) => {
                path.push('/');
                path.push_str(&"a".repeat(*n as usize));
            }
            PathMut::Append(s) => path.push_str(s),
        }
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        // A request target is visible ASCII: anything else is percent-encoded, as a client
        // library would.
        percent_encoding::utf8_percent_encode(&path, &NOT_VISIBLE)
            .to_string()
            .into_bytes()
    }

    fn body(&mut self, body: &Body) -> (Vec<u8>, Option<&'static str>) {
        match body {
            Body::None => (Vec::new(), None),
            Body::Form(members, damage) => {
                let form = self.form(members);
                (
                    apply(form, damage),
                    Some("application/x-www-form-urlencoded"),
                )
            }
            Body::Json(j, damage) => {
                let mut out = Vec::new();
                self.json(j, &mut out, false);
                (apply(out, damage), Some("application/json"))
            }
            Body::Raw(bytes) => (bytes.clone(), None),
            Body::Big(n, secret) => {
                let secret = self.scalar(secret, true);
                let mut out = b"password=".to_vec();
                out.extend_from_slice(&secret);
                out.extend_from_slice(b"&pad=");
                out.resize((*n).max(out.len()), b'x');
                (out, Some("application/x-www-form-urlencoded"))
            }
        }
    }

    fn auth(&mut self, auth: &Auth, out: &mut Vec<u8>) {
        let mut header = |value: &[u8]| {
            out.extend_from_slice(b"Authorization: ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        };
        match auth {
            Auth::None => {}
            Auth::Basic { user, pass, enc } => {
                let user = self.scalar(user, false);
                let pass = self.scalar(pass, true);
                let mut pair = user.clone();
                if !matches!(enc, BasicEnc::NoColon) {
                    pair.push(b':');
                }
                pair.extend_from_slice(&pass);
                let value = match enc {
                    BasicEnc::Std | BasicEnc::NoColon => {
                        format!("Basic {}", STANDARD.encode(&pair))
                    }
                    BasicEnc::UrlSafe => format!("Basic {}", URL_SAFE.encode(&pair)),
                    BasicEnc::NoPadding => format!("Basic {}", URL_SAFE_NO_PAD.encode(&pair)),
                    BasicEnc::Invalid => format!("Basic {}!*", STANDARD.encode(&pair)),
                    BasicEnc::Bare => "Basic".to_owned(),
                    BasicEnc::NotUtf8 => {
                        let mut bytes = user;
                        bytes.extend_from_slice(b":\xff\xfe");
                        bytes.extend_from_slice(&pass);
                        format!("Basic {}", STANDARD.encode(bytes))
                    }
                    BasicEnc::Sloppy => format!("basic   {}  ", STANDARD.encode(&pair)),
                    BasicEnc::FormEncoded => {
                        let user: String = form_urlencoded::byte_serialize(&user).collect();
                        let pass: String = form_urlencoded::byte_serialize(&pass).collect();
                        format!("Basic {}", STANDARD.encode(format!("{user}:{pass}")))
                    }
                };
                header(value.as_bytes());
            }
            Auth::Bearer(v) => {
                let token = self.scalar(v, true);
                let mut value = b"Bearer ".to_vec();
                value.extend_from_slice(&token);
                header(&value);
            }
            Auth::EmptyBearer => header(b"Bearer   "),
            Auth::Scheme(scheme, v) => {
                let token = self.scalar(v, true);
                let mut value = scheme.as_bytes().to_vec();
                value.push(b' ');
                value.extend_from_slice(&token);
                header(&value);
            }
            Auth::Raw(bytes) => header(bytes),
            Auth::Twice(a, b) => {
                for v in [a, b] {
                    let token = self.scalar(v, true);
                    let mut value = b"Bearer ".to_vec();
                    value.extend_from_slice(&token);
                    header(&value);
                }
            }
        }
    }
}

/// What a client escapes in a path segment (RFC 3986 unreserved characters stay).
const ID_ENCODE: percent_encoding::AsciiSet = percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Everything but visible ASCII (and `%`, kept so that paths can carry encodings).
const NOT_VISIBLE: percent_encoding::AsciiSet = percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?')
    .add(b'{')
    .add(b'}');

/// A JSON string literal of `bytes`, escaped as JSON needs; bytes that are not UTF-8 are
/// written raw (making the body invalid UTF-8, on purpose).
fn json_string(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0..=0x1f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

fn apply(mut body: Vec<u8>, damage: &Damage) -> Vec<u8> {
    match damage {
        Damage::None => body,
        Damage::Truncate(share) => {
            let keep = body.len() * usize::from(*share) / 256;
            body.truncate(keep);
            body
        }
        Damage::LeadingWhitespace => {
            let mut out = b" \r\n\t ".to_vec();
            out.extend(body);
            out
        }
        Damage::Bom => {
            let mut out = b"\xef\xbb\xbf".to_vec();
            out.extend(body);
            out
        }
        Damage::TrailingGarbage => {
            body.extend_from_slice(b"}}]]\x00garbage");
            body
        }
        Damage::Deep(depth) => {
            let depth = usize::from(*depth);
            let mut out = vec![b'['; depth];
            out.extend(body);
            out.extend(std::iter::repeat_n(b']', depth));
            out
        }
        Damage::InvalidUtf8(share) => {
            let at = body.len() * usize::from(*share) / 256;
            body.insert(at, 0xff);
            body
        }
    }
}

/// Renders `case` into the bytes of one HTTP/1.1 request to `host`.
pub(crate) fn render(case: &Case, host: &str, fx: &mut impl Resolve) -> Rendered {
    let mut r = Renderer {
        fx,
        secrets: Vec::new(),
    };
    let mut target = r.path(case);
    let mut query = r.form(&case.query);
    if !case.raw_query.is_empty() {
        if !query.is_empty() {
            query.push(b'&');
        }
        query.extend(
            percent_encoding::utf8_percent_encode(&case.raw_query, &NOT_VISIBLE)
                .to_string()
                .into_bytes(),
        );
    }
    if !query.is_empty() {
        target.push(b'?');
        target.extend(query);
    }
    let (body, natural_type) = r.body(&case.body);
    let h = &case.headers;
    let mut out = Vec::with_capacity(body.len() + target.len() + 256);
    out.extend_from_slice(case.method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(&target);
    out.extend_from_slice(b" HTTP/1.1\r\nHost: ");
    out.extend_from_slice(host.as_bytes());
    out.extend_from_slice(b"\r\n");
    let content_type: Option<Vec<u8>> = match &h.content_type {
        CType::Auto => natural_type.map(|t| t.as_bytes().to_vec()),
        CType::None => None,
        CType::Lit(t) => Some(t.as_bytes().to_vec()),
        CType::Raw(bytes) => Some(bytes.clone()),
    };
    if let Some(t) = content_type {
        out.extend_from_slice(b"Content-Type: ");
        out.extend_from_slice(&t);
        out.extend_from_slice(b"\r\n");
    }
    r.auth(&h.auth, &mut out);
    for (name, value) in [
        ("X-API-Key", &h.api_key),
        ("x-application-secret", &h.app_secret),
    ] {
        if let Some(v) = value {
            let v = r.scalar(v, true);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(&v);
            out.extend_from_slice(b"\r\n");
        }
    }
    for (name, value) in &h.extra {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    if h.chunked {
        out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        for chunk in body.chunks(1000) {
            out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
    } else {
        if !body.is_empty() || case.method == "POST" || case.method == "PUT" {
            out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&body);
    }
    Rendered {
        bytes: out,
        head: case.method == "HEAD",
        secrets: r.secrets,
    }
}
