//! [`ConfigError`]: why a config file or an admin API body was refused, naming the file,
//! the line and the field (`config.toml:7: users[0].password: missing field`), and the
//! parsers that produce it from serde_json's and toml's errors.

use std::fmt;

use serde::de::DeserializeOwned;

/// Why a config was refused: where (file, line), which field, and what is wrong with it.
///
/// Its `Display` is one line, the one `mockauth --config` prints before exiting with 2:
///
/// ```
/// use mockauth::Config;
///
/// let err = Config::from_json_str("{\n  \"accessTokenTTL\": -5\n}").unwrap_err();
/// assert_eq!(err.line(), Some(2));
/// assert_eq!(err.field(), Some("accessTokenTTL"));
/// assert_eq!(
///     err.to_string(),
///     "line 2: accessTokenTTL must be a positive integer of seconds (at most 315360000), found -5"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    file: Option<String>,
    line: Option<usize>,
    field: Option<String>,
    message: String,
    /// Whether the message continues the field's name as a sentence ("… must be …").
    continues_field: bool,
}

impl ConfigError {
    /// An error with no position or field (an unreadable file, an unknown extension).
    pub(crate) fn plain(message: impl Into<String>) -> Self {
        Self {
            file: None,
            line: None,
            field: None,
            message: message.into(),
            continues_field: false,
        }
    }

    /// An error about `field` (a path such as `users[2].username`), found after parsing.
    pub(crate) fn at_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            continues_field: continues(&message),
            field: Some(field.into()),
            ..Self::plain(message)
        }
    }

    /// Turns a serde message found at `path` (serde_path_to_error's, `.` for the root)
    /// into a field and a message: `missing field `x`` at `users[0]` becomes the field
    /// `users[0].x`, and a message starting with `.x` extends the path the same way.
    fn from_serde(path: &str, line: Option<usize>, raw: &str) -> Self {
        let path = (path != ".").then_some(path);
        let child = |name: &str| match path {
            Some(path) => format!("{path}.{name}"),
            None => name.to_owned(),
        };
        let quoted = |rest: &str| rest.split('`').nth(1).map(str::to_owned);
        let (field, message) =
            if let Some(name) = raw.strip_prefix("missing field ").and_then(quoted) {
                (Some(child(&name)), "missing field".to_owned())
            } else if let Some(rest) = raw.strip_prefix("unknown field ") {
                let name = quoted(rest).unwrap_or_default();
                let expected = rest.split_once(", ").map_or("", |(_, e)| e);
                // serde_path_to_error already took the unknown key into the path.
                let field = match path {
                    Some(path) if path == name || path.ends_with(&format!(".{name}")) => {
                        path.to_owned()
                    }
                    _ => child(&name),
                };
                (Some(field), format!("unknown field; {expected}"))
            } else if let Some(rest) = raw.strip_prefix('.') {
                let (name, message) = rest.split_once(' ').unwrap_or((rest, ""));
                (Some(child(name)), message.to_owned())
            } else {
                (path.map(str::to_owned), raw.to_owned())
            };
        Self {
            line,
            ..Self::at_field_or_plain(field, message)
        }
    }

    fn at_field_or_plain(field: Option<String>, message: String) -> Self {
        match field {
            Some(field) => Self::at_field(field, message),
            None => Self::plain(message),
        }
    }

    /// The same error, said to be in `file`.
    pub(crate) fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The file, when the error came from one.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The 1-based line of the offending value, when the parser knew it.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The field, as a path such as `users[0].password` (admin API field names).
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What is wrong, without the position or the field.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `field: message`, or `field must …` when the message continues the field's name:
    /// what the admin API puts in `error_description`.
    pub(crate) fn describe(&self) -> String {
        match (&self.field, self.continues_field) {
            (Some(field), true) => format!("{field} {}", self.message),
            (Some(field), false) => format!("{field}: {}", self.message),
            (None, _) => self.message.clone(),
        }
    }
}

/// Messages that read as the rest of a sentence starting with the field's name.
fn continues(message: &str) -> bool {
    ["must ", "is ", "needs "]
        .iter()
        .any(|verb| message.starts_with(verb))
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            (None, Some(line)) => write!(f, "line {line}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.describe())
    }
}

impl std::error::Error for ConfigError {}

/// Parses JSON text into `T`, naming the line and field of the first problem.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    // serde would also read a struct from an array of its fields; nobody means that.
    if !text.trim_start().starts_with('{') {
        let line = text[..text.len() - text.trim_start().len()]
            .matches('\n')
            .count()
            + 1;
        return Err(ConfigError {
            line: Some(line),
            ..ConfigError::plain("must be a JSON object, e.g. {\"accessTokenTTL\": 600}")
        });
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        json_error(&path, &err.into_inner())
    })?;
    deserializer.end().map_err(|err| json_error(".", &err))?;
    Ok(parsed)
}

fn json_error(path: &str, err: &serde_json::Error) -> ConfigError {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    let raw = text.strip_suffix(&position).unwrap_or(&text);
    let line = (err.line() > 0).then_some(err.line());
    if err.is_syntax() || err.is_eof() {
        // Where the parser stopped says more than the field it was in.
        return ConfigError {
            line,
            ..ConfigError::plain(format!("malformed JSON: {raw}"))
        };
    }
    ConfigError::from_serde(path, line, raw)
}

/// Parses TOML text into `T`, naming the line and field of the first problem.
#[cfg(feature = "toml")]
pub(crate) fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let line = inner
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        ConfigError::from_serde(&path, line, inner.message().trim_end())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_unknown_fields_become_part_of_the_path() {
        let missing = ConfigError::from_serde("users[0]", Some(7), "missing field `password`");
        assert_eq!(
            missing.to_string(),
            "line 7: users[0].password: missing field"
        );
        let unknown = ConfigError::from_serde(
            ".",
            Some(1),
            "unknown field `ttl`, expected `enabled` or `accessTokenTTL`",
        );
        assert_eq!(unknown.field(), Some("ttl"));
        assert_eq!(
            unknown.message(),
            "unknown field; expected `enabled` or `accessTokenTTL`"
        );
    }

    #[test]
    fn a_message_starting_with_a_dot_extends_the_path() {
        let err = ConfigError::from_serde(
            "tenants[1].errorSimulation",
            None,
            ".errorRate must be a percentage from 0 to 100, found 150",
        )
        .in_file("mockauth.json");
        assert_eq!(
            err.to_string(),
            "mockauth.json: tenants[1].errorSimulation.errorRate must be a percentage from 0 to 100, found 150"
        );
    }
}
