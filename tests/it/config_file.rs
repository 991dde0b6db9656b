//! Config files (JSON and TOML) declaring tenants, clients, users, lifetimes and error
//! simulation with the admin API's field names: loaded from Rust with `Config` and
//! `MockAuthBuilder::config`, and by the binary with `--config`; bad files are refused with
//! one line naming the file, the line and the field.

use std::path::PathBuf;
use std::time::Duration;

use crate::common;
use mockauth::{Config, MockAuth};
use serde_json::Value;

const JSON_CONFIG: &str = r#"{
  "accessTokenTTL": 600,
  "tenants": [
    {"projectId": "acme", "issuerPath": "/realms/acme", "algorithm": "ES256", "accessTokenTTL": 60},
    {"projectId": "flaky", "errorSimulation": {"enabled": true, "errorRate": 100, "errorTypes": ["server_error"]}},
    {"projectId": "off", "enabled": false}
  ],
  "clients": [
    {"configId": "acme", "clientName": "Web", "clientId": "web", "clientSecret": "web-secret",
     "grantTypes": ["client_credentials", "password"], "scopes": ["openid", "api"]}
  ],
  "users": [
    {"configId": "acme", "username": "alice", "email": "alice@acme.test", "password": "alice-pw",
     "roles": ["admin"], "claims": {"team": "blue"}}
  ]
}"#;

#[cfg_attr(not(feature = "toml"), allow(dead_code))]
const TOML_CONFIG: &str = r#"
refreshTokenTTL = 120

[[tenants]]
projectId = "acme"
issuerPath = "/realms/acme"

[[clients]]
configId = "acme"
clientName = "Web"
clientId = "web"
clientSecret = "web-secret"

[[users]]
configId = "acme"
username = "alice"
email = "alice@acme.test"
password = "alice-pw"
mfaEnabled = true
"#;

/// A file in the temp dir, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let path = std::env::temp_dir().join(format!("mockauth-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A password-grant login at `issuer` with client `web`.
fn login(issuer: &str, username: &str, password: &str) -> (u16, Value) {
    let response = common::blocking_http()
        .post(format!("{issuer}/token"))
        .basic_auth("web", Some("web-secret"))
        .form(&[
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
            ("scope", "openid"),
        ])
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap())
}

fn client_credentials_status(token_url: &str, id: &str, secret: &str) -> u16 {
    common::blocking_http()
        .post(token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn a_json_config_declares_tenants_clients_users_lifetimes_and_error_simulation() {
    // Arrange
    let config = Config::from_json_str(JSON_CONFIG).unwrap();

    // Act
    let auth = MockAuth::builder().config(config).start_blocking();
    let acme = auth.tenant("acme");
    let (status, tokens) = login(&acme.issuer(), "alice", "alice-pw");
    let default_client = auth.default_client();
    let default_tokens = common::blocking_http()
        .post(auth.token_url())
        .basic_auth(default_client.client_id(), default_client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap();
    let flaky = auth.tenant("flaky");
    let flaky_client = flaky.default_client();
    let off_status = common::blocking_http()
        .get(auth.tenant("off").discovery_url())
        .send()
        .unwrap()
        .status();

    // Assert
    assert_eq!(auth.tenant_ids(), ["default", "acme", "flaky", "off"]);
    assert_eq!(acme.issuer(), format!("{}/realms/acme", auth.issuer()));
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["expires_in"], 60);
    let claims = common::jwt_payload(tokens["access_token"].as_str().unwrap());
    assert_eq!(claims["team"], "blue");
    assert_eq!(claims["roles"], serde_json::json!(["admin"]));
    assert_eq!(default_tokens["expires_in"], 600);
    assert_eq!(
        client_credentials_status(
            &flaky.token_url(),
            flaky_client.client_id(),
            flaky_client.client_secret().unwrap()
        ),
        500
    );
    assert_eq!(off_status, 404);
}

#[test]
#[cfg(feature = "toml")]
fn a_toml_config_declares_the_same_shapes() {
    // Arrange
    let config = Config::from_toml_str(TOML_CONFIG).unwrap();

    // Act
    let auth = MockAuth::builder().config(config).start_blocking();
    let acme = auth.tenant("acme");
    let (status, challenge) = login(&acme.issuer(), "alice", "alice-pw");
    let web_at_default = client_credentials_status(&auth.token_url(), "web", "web-secret");

    // Assert
    assert_eq!(status, 403, "{challenge}");
    assert_eq!(challenge["error"], "mfa_required");
    assert_eq!(acme.totp_code("alice").len(), 6);
    assert_eq!(web_at_default, 401);
    assert_eq!(
        client_credentials_status(&acme.token_url(), "web", "web-secret"),
        200
    );
}

#[test]
#[cfg(feature = "toml")]
fn from_file_reads_json_or_toml_by_extension() {
    // Arrange
    let json = TempFile::new("ext.json", JSON_CONFIG);
    let toml = TempFile::new("ext.toml", TOML_CONFIG);

    // Act
    let from_json = MockAuth::builder()
        .config(Config::from_file(json.path()).unwrap())
        .start_blocking();
    let from_toml = MockAuth::builder()
        .config(Config::from_file(toml.path()).unwrap())
        .start_blocking();

    // Assert
    assert_eq!(from_json.tenant_ids(), ["default", "acme", "flaky", "off"]);
    assert_eq!(from_toml.tenant_ids(), ["default", "acme"]);
}

#[test]
fn declared_fault_rules_fail_the_calls_they_name_and_then_let_them_through() {
    // Arrange
    let config = Config::from_json_str(
        r#"{"faults": [
            {"endpoint": "token", "nextCalls": 1, "inject": "rate_limited", "retryAfter": 3},
            {"endpoint": "jwks", "error": "temporarily_unavailable", "status": 503, "name": "jwks down"}
        ]}"#,
    )
    .unwrap();
    let auth = MockAuth::builder().config(config).start_blocking();
    let client = auth.default_client();
    let token = || {
        common::blocking_http()
            .post(auth.token_url())
            .basic_auth(client.client_id(), client.client_secret())
            .form(&[("grant_type", "client_credentials")])
            .send()
            .unwrap()
    };

    // Act
    let first = token();
    let second = token();
    let jwks = common::blocking_http().get(auth.jwks_url()).send().unwrap();

    // Assert
    assert_eq!(first.status(), 429);
    assert_eq!(first.headers()["retry-after"], "3");
    assert_eq!(second.status(), 200);
    assert_eq!(jwks.status(), 503);
    let body: Value = jwks.json().unwrap();
    assert_eq!(
        body["error_description"],
        "temporarily_unavailable injected by mockauth fault rule \"jwks down\""
    );
    assert!(auth.requests()[0].injected);
}

#[test]
fn a_builder_setter_after_the_config_wins() {
    // Arrange
    let config = Config::from_json_str(r#"{"accessTokenTTL": 600}"#).unwrap();

    // Act
    let auth = MockAuth::builder()
        .config(config)
        .access_token_ttl(Duration::from_secs(30))
        .start_blocking();
    let client = auth.default_client();
    let tokens: Value = common::blocking_http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .unwrap()
        .json()
        .unwrap();

    // Assert
    assert_eq!(tokens["expires_in"], 30);
}

#[test]
fn a_bad_file_is_refused_naming_the_file_line_and_field() {
    // Arrange
    let cases = [
        (
            "missing.toml",
            "[[users]]\nusername = \"alice\"\nemail = \"a@x.test\"\n",
            "missing.toml:1: users[0].password: missing field",
        ),
        (
            "ttl.json",
            "{\n  \"tenants\": [\n    {\"projectId\": \"a\",\n     \"accessTokenTTL\": 0}\n  ]\n}",
            "ttl.json:4: tenants[0].accessTokenTTL must be a positive integer of seconds (at most 315360000), found 0",
        ),
        (
            "typo.toml",
            "accessTokenTTL = 60\n\n[[tenants]]\nprojectId = \"a\"\nenable = false\n",
            "typo.toml:5: tenants[0].enable: unknown field; expected one of `configId`, `projectId`, `issuerPath`, `algorithm`, `enabled`, `accessTokenTTL`, `refreshTokenTTL`, `errorSimulation`",
        ),
        (
            "rate.json",
            "{\"errorSimulation\": {\"enabled\": true,\n \"errorRate\": 150}}",
            "rate.json:2: errorSimulation.errorRate must be a percentage from 0 to 100, found 150",
        ),
        (
            "grant.toml",
            "[[clients]]\nclientName = \"x\"\ngrantTypes = [\"password\", \"implicit\"]\n",
            "grant.toml:3: clients[0].grantTypes[1] must be one of authorization_code, client_credentials, password, refresh_token, urn:ietf:params:oauth:grant-type:jwt-bearer; found \"implicit\"",
        ),
        (
            "twice.json",
            r#"{"users": [{"username": "al", "email": "a@x.test", "password": "p"}, {"username": "al", "email": "b@x.test", "password": "p"}]}"#,
            "twice.json: users[1].username: \"al\" is declared twice in tenant \"default\"",
        ),
        (
            "ghost.json",
            r#"{"clients": [{"configId": "ghost", "clientName": "x"}]}"#,
            "ghost.json: clients[0].configId: no tenant \"ghost\" is declared; add {\"projectId\": \"ghost\"} to tenants",
        ),
        (
            "fault.json",
            "{\"faults\": [\n  {\"endpoint\": \"tokn\", \"inject\": \"hang\"}\n]}",
            "fault.json:2: faults[0].endpoint must be one of discovery, jwks, authorize, token, userinfo, introspect, revoke, validate, basic, mfa_verify, logout, identity_login, identity_refresh, identity_validate, identity_impersonate, identity_users, identity_roles, identity_permissions, identity_apikeys, service_register, service_login, service_refresh, service_revoke, apps_signup, apps_login, apps_refresh, apps_logout, apps_me, apps_jwks, auth (every auth endpoint) or any; found \"tokn\"",
        ),
        (
            "triggers.toml",
            "[[faults]]\nendpoint = \"token\"\nnextCalls = 1\nprobability = 0.5\ninject = \"hang\"\n",
            "triggers.toml: faults[0].nextCalls is one of three exclusive triggers (nextCalls, everyNthCall, probability); keep one",
        ),
        (
            "face.json",
            r#"{"faces": [{"name": "identiy"}]}"#,
            "face.json: faces[0].name: unknown face \"identiy\"; the faces are identity, service and apps",
        ),
        (
            "groups.json",
            r#"{"faces": [{"name": "service", "prefix": "/svc", "groups": ["auth"]}]}"#,
            "groups.json: faces[0].groups: applies to the identity face only, not service",
        ),
        (
            "clash.json",
            r#"{"faces": [{"name": "identity"}, {"name": "service"}]}"#,
            "clash.json: faces: faces identity and service are both mounted at \"\" and would both answer /auth/login; give one a prefix, e.g. --face service=/service",
        ),
        (
            "broken.json",
            "{\n  \"accessTokenTTL\": 60,\n}",
            "broken.json:3: malformed JSON: trailing comma",
        ),
    ];

    // TOML files need the `toml` feature; without it they are refused before parsing.
    let cases = cases
        .into_iter()
        .filter(|(name, ..)| cfg!(feature = "toml") || !name.ends_with(".toml"));
    for (name, text, expected) in cases {
        let file = TempFile::new(name, text);

        // Act
        let err = Config::from_file(file.path()).unwrap_err();

        // Assert
        let shown = err.to_string().replace(file.path(), name);
        assert_eq!(shown, expected, "{name}");
        assert_eq!(err.file(), Some(file.path()));
    }
}

#[test]
fn declared_faces_are_mounted_with_their_groups_and_rate_limits() {
    // Arrange: the identity face below /id with only its auth group and no rate limits.
    let config = Config::from_json_str(
        r#"{"faces": [{"name": "identity", "prefix": "/id", "groups": ["auth"], "rateLimits": false},
                      {"name": "service", "prefix": "/svc"}]}"#,
    )
    .unwrap();
    let auth = MockAuth::builder().config(config).start_blocking();
    let http = reqwest::blocking::Client::new();
    let login = || {
        http.post(format!("{}/id/auth/login", auth.issuer()))
            .json(&serde_json::json!({"username": "testuser", "password": "password123"}))
            .send()
            .unwrap()
    };

    // Act: more logins than the default 5 per minute.
    let statuses: Vec<u16> = (0..7).map(|_| login().status().as_u16()).collect();
    let users = http
        .get(format!("{}/id/users", auth.issuer()))
        .send()
        .unwrap();
    let service = http
        .post(format!("{}/svc/auth/login", auth.issuer()))
        .json(&serde_json::json!({"identifier": "testuser", "password": "password123"}))
        .send()
        .unwrap();

    // Assert
    assert_eq!(statuses, vec![200; 7]);
    assert_eq!(users.status(), 404, "the users group is off");
    assert_eq!(
        service.status(),
        401,
        "the service face answers (no application secret sent)"
    );
}

#[test]
fn a_missing_file_is_refused_naming_it() {
    // Arrange
    let path = std::env::temp_dir().join("mockauth-does-not-exist.json");

    // Act
    let err = Config::from_file(&path).unwrap_err();

    // Assert
    assert!(
        err.to_string().starts_with(&format!(
            "{}: cannot read the config file: ",
            path.display()
        )),
        "{err}"
    );
    assert_eq!(err.line(), None);
}

#[cfg(feature = "cli")]
mod binary {
    //! `mockauth --config FILE`: exit codes, stderr and the declared server.

    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};

    use serde_json::Value;

    use super::{client_credentials_status, login, TempFile, JSON_CONFIG, TOML_CONFIG};

    /// Runs the binary with `--config path --port 0`, reads its ready line, then stops it.
    fn ready_with(path: &str, check: impl FnOnce(&Value)) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mockauth"))
            .args(["--port", "0", "--config", path])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready: Result<Value, _> = serde_json::from_str(&line);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check(&ready.unwrap_or_else(|e| panic!("ready line {line:?}: {e}")));
        }));
        child.kill().unwrap();
        child.wait().unwrap();
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }

    /// Runs the binary and returns its exit code, stdout and stderr.
    fn run(args: &[&str]) -> (Option<i32>, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_mockauth"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        (
            output.status.code(),
            text(output.stdout),
            text(output.stderr),
        )
    }

    #[test]
    fn the_binary_serves_what_a_json_config_declares() {
        // Arrange
        let file = TempFile::new("bin.json", JSON_CONFIG);

        // Act & Assert
        ready_with(file.path(), |ready| {
            let origin = ready["issuer"].as_str().unwrap();
            let (status, tokens) = login(&format!("{origin}/realms/acme"), "alice", "alice-pw");
            assert_eq!(status, 200, "{tokens}");
            assert_eq!(tokens["expires_in"], 60);
            let default_status = client_credentials_status(
                &format!("{origin}/token"),
                ready["client_id"].as_str().unwrap(),
                ready["client_secret"].as_str().unwrap(),
            );
            assert_eq!(default_status, 200);
        });
    }

    #[test]
    fn the_binary_serves_what_a_toml_config_declares() {
        // Arrange
        let file = TempFile::new("bin.toml", TOML_CONFIG);

        // Act & Assert
        ready_with(file.path(), |ready| {
            let origin = ready["issuer"].as_str().unwrap();
            let token_url = format!("{origin}/realms/acme/token");
            assert_eq!(
                client_credentials_status(&token_url, "web", "web-secret"),
                200
            );
        });
    }

    #[test]
    fn a_bad_config_file_exits_2_with_one_line_naming_file_line_and_field() {
        // Arrange
        let file = TempFile::new(
            "bin-bad.toml",
            "accessTokenTTL = 60\n\n[[users]]\nusername = \"alice\"\nemail = \"a@x.test\"\n",
        );

        // Act
        let (code, stdout, stderr) = run(&["--port", "0", "--config", file.path()]);

        // Assert
        assert_eq!(code, Some(2));
        assert_eq!(stdout, "");
        assert_eq!(
            stderr,
            format!(
                "mockauth: {}:3: users[0].password: missing field\n",
                file.path()
            )
        );
    }

    #[test]
    fn a_missing_config_file_or_value_exits_2() {
        // Arrange
        let missing = std::env::temp_dir().join("mockauth-no-such-config.json");

        // Act
        let (code, stdout, stderr) = run(&["--config", missing.to_str().unwrap()]);
        let (no_value_code, _, no_value_stderr) = run(&["--config"]);

        // Assert
        assert_eq!(code, Some(2));
        assert_eq!(stdout, "");
        assert!(
            stderr.starts_with(&format!(
                "mockauth: {}: cannot read the config file: ",
                missing.display()
            )),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_eq!(no_value_code, Some(2));
        assert!(
            no_value_stderr.starts_with("mockauth: --config needs a file;"),
            "{no_value_stderr}"
        );
    }
}
